/**
 * The events stream: each order's events (`eventsFromOrder`, backfill outside the live window) into bulk event
 * jobs of at most 1,000 events, deduplicated within each job. An order is never split over two segments, so the
 * cursor always falls between whole orders.
 */
import {
  BULK_EVENT_LIMITS,
  BulkEventBatcher,
  profileKeyOf,
  type BulkEventAttributes,
  type BulkEventInput,
  type BulkItemError,
  type KlaviyoClient,
} from '../../klaviyo/index.js';
import type { ItemFailure } from '../history/ledger.js';
import type { SourceOrder } from '../model.js';
import { bulkEventEntry, eventsFromOrder } from '../order-events.js';
import { addSkip, addValue, type RunFigures } from './figures.js';
import { recordOf, sendWithRecovery } from './resend.js';
import { batchKey, type SegmentOutcome, type StreamWork } from './stream-work.js';

export interface EventsWorkOptions {
  client: KlaviyoClient;
  liveWindowHours: number;
  now: () => Date;
}

export function eventsWork(options: EventsWorkOptions): StreamWork {
  return {
    stream: 'events',
    weigh: (record) => (record.kind === 'order' ? eventCount(record.order) : undefined),
    maxWeight: BULK_EVENT_LIMITS.maxItems,
    count: (_record, figures) => {
      figures.ordersFetched += 1;
    },
    succeeded: (figures) => figures.eventsAccepted,
    async send(records, figures, context): Promise<SegmentOutcome> {
      const batcher = new BulkEventBatcher();
      const batches: BulkEventInput[][] = [];
      const failures: ItemFailure[] = [];
      const take = (out: ReturnType<BulkEventBatcher['add']>): void => {
        if (out?.kind === 'batch') batches.push(out.batch.groups.flat());
        else if (out?.kind === 'duplicate') addSkip(figures, 'duplicate-event');
        else if (out?.kind === 'too-large') {
          figures.failed += 1;
          failures.push({
            item: out.input.event.unique_id,
            code: 'too-large',
            detail: `the event is ${out.bytes} bytes, over Klaviyo's ${out.limit}`,
            ...(out.pointer !== undefined && { pointer: out.pointer }),
          });
        }
      };
      const timing = { now: options.now(), liveWindowHours: options.liveWindowHours };
      for (const record of records) {
        if (record.kind !== 'order') continue;
        const events = eventsFromOrder(record.order, timing);
        const entry = bulkEventEntry(record.order, events);
        if (!entry) {
          addSkip(figures, 'order-without-contact');
          continue;
        }
        const profile = entry.attributes.profile.data;
        for (const event of entry.attributes.events.data)
          take(batcher.add({ profile, event: event.attributes as BulkEventAttributes }));
      }
      const last = batcher.finish();
      if (last) batches.push(last.groups.flat());

      const sent: SegmentOutcome['batches'] = [];
      for (const inputs of batches) {
        const key = batchKey(
          'events',
          inputs.map((i) => `${profileKeyOf(i.profile)}|${i.event.unique_id}`),
        );
        if (context.acknowledged.has(key)) {
          // Acknowledged by the interrupted run this one continues: counted as it was then, not sent again.
          countAccepted(figures, inputs);
          continue;
        }
        const result = await sendWithRecovery(inputs, {
          send: (items) =>
            options.client.bulkEvents.create(
              bodyOf(items),
              context.signal ? { signal: context.signal } : undefined,
            ),
          itemsNamed,
        });
        countAccepted(figures, result.accepted);
        figures.failed += result.refused.length;
        const record = recordOf(key, inputs.length, result, (item) => item.event.unique_id);
        failures.push(...record.failures);
        if (result.unavailable !== undefined) return { batches: sent, failures, halt: result.unavailable };
        sent.push(record.batch);
      }
      return { batches: sent, failures };
    },
  };
}

/** How many events `eventsFromOrder` makes of an order, without making them. */
function eventCount(order: SourceOrder): number {
  return (
    1 + order.lines.length + (order.fulfilledAt ? 1 : 0) + (order.cancelledAt ? 1 : 0) + order.refunds.length
  );
}

function countAccepted(figures: RunFigures, inputs: readonly BulkEventInput[]): void {
  figures.eventsAccepted += inputs.length;
  for (const { event } of inputs)
    if (event.metric.data.attributes.name === 'Placed Order' && typeof event.value === 'number')
      addValue(figures, event.value_currency ?? 'unknown', event.value);
}

/** The body for these events: grouped by profile in first-seen order, as the batcher built it. */
function bodyOf(items: readonly BulkEventInput[]) {
  const batcher = new BulkEventBatcher({ ...BULK_EVENT_LIMITS, maxItems: Number.MAX_SAFE_INTEGER });
  for (const item of items) batcher.add(item);
  return batcher.finish()!.body;
}

/** Positions in `items` of what an error names: one event, or every event of the profile entry it names. */
function itemsNamed(error: BulkItemError, items: readonly BulkEventInput[]): number[] {
  const groups = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = profileKeyOf(item.profile);
    const group = groups.get(key) ?? [];
    group.push(index);
    groups.set(key, group);
  });
  const group = [...groups.values()][error.index] ?? [];
  if (error.event === undefined) return group;
  const one = group[error.event];
  return one === undefined ? [] : [one];
}
