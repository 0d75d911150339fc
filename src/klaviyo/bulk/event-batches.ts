/**
 * Bulk event bodies (`POST /api/event-bulk-create-jobs`) sized to Klaviyo's caps: 1,000 events in all, 5 MB with
 * margin, no string over 100 KB. Events are grouped by profile, as the body wants (one entry per profile with
 * its events), which also saves the bytes of repeating the profile. Klaviyo fails the whole request when a
 * `unique_id` repeats for one profile and metric, so a repeat within the open batch is dropped here and reported
 * as a duplicate; across batches Klaviyo itself keeps only the first.
 */
import type { components } from '../generated/openapi.js';
import { jsonBytes, longStringPointer } from './batch-packer.js';
import { BULK_EVENT_LIMITS, type BulkBodyLimits } from './limits.js';

type S = components['schemas'];
export type BulkEventBody = S['EventsBulkCreateJob'];
type Entry = S['EventsBulkCreateQueryResourceObject'];
/** The profile of an event: `{ type: 'profile', id?, attributes: { email, phone_number, ... }, meta? }`. */
export type BulkEventProfile = Entry['attributes']['profile']['data'];
type EventAttributes = Entry['attributes']['events']['data'][number]['attributes'];
/** One event's attributes; `unique_id` is required: it is what makes a resend safe. */
export type BulkEventAttributes = EventAttributes & { unique_id: string };

export interface BulkEventInput {
  profile: BulkEventProfile;
  event: BulkEventAttributes;
}

/**
 * A body ready to send. `groups[i][j]` is the event an error pointer
 * `/data/attributes/events-bulk-create/data/i/attributes/events/data/j` names; a pointer into the profile of
 * entry `i` names every event of `groups[i]`.
 */
export interface BulkEventBatch {
  body: BulkEventBody;
  groups: BulkEventInput[][];
  eventCount: number;
}

export type BulkEventOutput =
  | { kind: 'batch'; batch: BulkEventBatch }
  | { kind: 'duplicate'; input: BulkEventInput }
  | { kind: 'too-large'; input: BulkEventInput; bytes: number; limit: number; pointer?: string };

interface OpenGroup {
  profile: BulkEventProfile;
  inputs: BulkEventInput[];
}

/** The identity Klaviyo matches a profile by, so events of one person share one entry. */
export function profileKeyOf(profile: BulkEventProfile): string {
  const a = profile.attributes;
  if (profile.id) return `id:${profile.id}`;
  if (a.email) return `email:${a.email.trim().toLowerCase()}`;
  if (a.phone_number) return `phone:${a.phone_number}`;
  if (a.external_id) return `external:${a.external_id}`;
  if (a.anonymous_id) return `anonymous:${a.anonymous_id}`;
  return `attributes:${JSON.stringify(a)}`;
}

function entryOf(profile: BulkEventProfile, events: BulkEventAttributes[]): Entry {
  return {
    type: 'event-bulk-create',
    attributes: {
      profile: { data: profile },
      events: { data: events.map((attributes) => ({ type: 'event' as const, attributes })) },
    },
  };
}

function bodyOf(entries: Entry[]): BulkEventBody {
  return {
    data: { type: 'event-bulk-create-job', attributes: { 'events-bulk-create': { data: entries } } },
  };
}

const ENVELOPE_BYTES = jsonBytes(bodyOf([]));

export class BulkEventBatcher {
  private groups = new Map<string, OpenGroup>();
  private seen = new Set<string>();
  private count = 0;
  private bytes = ENVELOPE_BYTES;

  constructor(private readonly limits: BulkBodyLimits = BULK_EVENT_LIMITS) {}

  /** Adds one event; returns what it produced: nothing, a sealed batch, or the event itself set aside. */
  add(input: BulkEventInput): BulkEventOutput | undefined {
    const uniqueId = input.event.unique_id;
    if (typeof uniqueId !== 'string' || uniqueId === '')
      throw new TypeError('A bulk event needs a unique_id: without one a resend could double-count it');
    const key = profileKeyOf(input.profile);
    const dedupeKey = JSON.stringify([key, input.event.metric.data.attributes.name, uniqueId]);
    if (this.seen.has(dedupeKey)) return { kind: 'duplicate', input };

    const eventBytes = jsonBytes({ type: 'event', attributes: input.event });
    const groupBytes = jsonBytes(entryOf(input.profile, []));
    const { maxBodyBytes, maxItems, maxStringBytes } = this.limits;
    const longString =
      maxStringBytes !== undefined && eventBytes + groupBytes > maxStringBytes
        ? longStringPointer(input, maxStringBytes)
        : undefined;
    if (longString !== undefined)
      return { kind: 'too-large', input, bytes: eventBytes, limit: maxStringBytes!, pointer: longString };
    if (ENVELOPE_BYTES + groupBytes + eventBytes > maxBodyBytes)
      return { kind: 'too-large', input, bytes: groupBytes + eventBytes, limit: maxBodyBytes };

    let sealed: BulkEventBatch | undefined;
    if (this.count + 1 > maxItems || this.bytes + this.cost(key, groupBytes, eventBytes) > maxBodyBytes)
      sealed = this.seal();
    this.bytes += this.cost(key, groupBytes, eventBytes);
    this.count += 1;
    this.seen.add(dedupeKey);
    const group = this.groups.get(key);
    if (group) group.inputs.push(input);
    else this.groups.set(key, { profile: input.profile, inputs: [input] });
    return sealed ? { kind: 'batch', batch: sealed } : undefined;
  }

  /** The last, partly filled batch. */
  finish(): BulkEventBatch | undefined {
    return this.count > 0 ? this.seal() : undefined;
  }

  /** Bytes an event adds: itself, plus a new profile entry when its profile has none in the open batch. */
  private cost(key: string, groupBytes: number, eventBytes: number): number {
    const group = this.groups.get(key);
    if (group) return eventBytes + (group.inputs.length > 0 ? 1 : 0);
    return groupBytes + eventBytes + (this.groups.size > 0 ? 1 : 0);
  }

  private seal(): BulkEventBatch {
    const groups = [...this.groups.values()];
    const batch: BulkEventBatch = {
      body: bodyOf(
        groups.map((g) =>
          entryOf(
            g.profile,
            g.inputs.map((i) => i.event),
          ),
        ),
      ),
      groups: groups.map((g) => g.inputs),
      eventCount: this.count,
    };
    this.groups = new Map();
    this.seen = new Set();
    this.count = 0;
    this.bytes = ENVELOPE_BYTES;
    return batch;
  }
}

/** Every batch for an array of events, the in-batch duplicates dropped and the events too large to send. */
export function bulkEventBatches(
  inputs: Iterable<BulkEventInput>,
  limits?: BulkBodyLimits,
): { batches: BulkEventBatch[]; duplicates: BulkEventInput[]; oversized: BulkEventInput[] } {
  const batcher = new BulkEventBatcher(limits);
  const out = {
    batches: [] as BulkEventBatch[],
    duplicates: [] as BulkEventInput[],
    oversized: [] as BulkEventInput[],
  };
  for (const input of inputs) {
    const result = batcher.add(input);
    if (result?.kind === 'batch') out.batches.push(result.batch);
    else if (result?.kind === 'duplicate') out.duplicates.push(result.input);
    else if (result?.kind === 'too-large') out.oversized.push(result.input);
  }
  const last = batcher.finish();
  if (last) out.batches.push(last);
  return out;
}
