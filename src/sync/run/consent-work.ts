/**
 * The consent stream: every customer through the consent gate, with Klaviyo's current consent read first for
 * those the source would subscribe (so an unsubscribe or suppression Klaviyo holds, newer than the source's
 * consent, wins), then bulk subscribe jobs: one channel, one list and one `historical_import` setting per job.
 * Every skip is counted as `<channel>:<reason>`.
 */
import type { BulkItemError, KlaviyoClient, ProfileConsent } from '../../klaviyo/index.js';
import {
  decideConsent,
  type ChannelDecision,
  type ConsentPolicy,
  type KlaviyoChannelState,
  type KlaviyoConsentState,
} from '../consent-gate.js';
import type { ItemFailure } from '../history/ledger.js';
import type { ConsentChannel } from '../model.js';
import {
  MAX_PROFILES_PER_SUBSCRIBE_JOB,
  subscriptionJobBodies,
  type Subscribe,
} from '../subscription-jobs.js';
import { addSkip } from './figures.js';
import { customerOf } from './record-sources.js';
import { recordOf, sendWithRecovery } from './resend.js';
import { batchKey, type SegmentOutcome, type StreamWork } from './stream-work.js';

const CUSTOMERS_PER_SEGMENT = 500;

export interface ConsentWorkOptions {
  client: KlaviyoClient;
  policy: ConsentPolicy;
  /** Klaviyo list id per channel that has a list in sync.yaml; `null` when the list is not in Klaviyo yet. */
  listIds: Partial<Record<ConsentChannel, string | null>>;
  /** Stored on the consent records: which tool, brand and source subscribed. */
  customSource: string;
  now: () => Date;
}

export function consentWork(options: ConsentWorkOptions): StreamWork {
  return {
    stream: 'consent',
    weigh: (record) => (record.kind === 'customer' || record.buyer !== undefined ? 1 : undefined),
    maxWeight: CUSTOMERS_PER_SEGMENT,
    count: () => {},
    succeeded: (figures) => figures.subscribed.email + figures.subscribed.sms,
    async send(records, figures, context): Promise<SegmentOutcome> {
      const call = context.signal ? { signal: context.signal } : {};
      const now = options.now();
      const customers = records.map(customerOf);
      // The source's own rules first: only those it would subscribe cost a lookup in Klaviyo.
      const hopeful = customers.map((c) => decideConsent(c, options.policy, now));
      const emails = hopeful.flatMap((v) => (v.email.action === 'subscribe' ? [v.email.address] : []));
      const phones = hopeful.flatMap((v) => (v.sms.action === 'subscribe' ? [v.sms.address] : []));
      const byEmail = emails.length > 0 ? await options.client.consent.byEmails(emails, call) : new Map();
      const byPhone =
        phones.length > 0 ? await options.client.consent.byPhoneNumbers(phones, call) : new Map();

      const subscribes: Subscribe[] = [];
      const skip = (decision: Extract<ChannelDecision, { action: 'skip' }>) =>
        addSkip(figures, `${decision.channel}:${decision.reason}`);
      customers.forEach((customer, index) => {
        const first = hopeful[index]!;
        const state: KlaviyoConsentState = {};
        const email =
          first.email.action === 'subscribe' ? byEmail.get(first.email.address.toLowerCase()) : undefined;
        const phone = first.sms.action === 'subscribe' ? byPhone.get(first.sms.address) : undefined;
        if (email) state.email = channelState(email, 'email');
        if (phone) state.sms = channelState(phone, 'sms');
        const verdict = decideConsent(customer, options.policy, now, state);
        for (const decision of [verdict.email, verdict.sms]) {
          if (decision.action === 'skip') skip(decision);
          else if (options.listIds[decision.channel] === null)
            addSkip(figures, `${decision.channel}:list-not-in-klaviyo`);
          else subscribes.push(decision);
        }
      });

      const failures: ItemFailure[] = [];
      const sent: SegmentOutcome['batches'] = [];
      for (const group of jobGroups(subscribes)) {
        const key = batchKey(
          'consent',
          group.map((d) => `${d.channel}|${d.address}|${d.consentedAt ?? ''}`),
        );
        const channel = group[0]!.channel;
        if (context.acknowledged.has(key)) {
          figures.subscribed[channel] += group.length;
          continue;
        }
        const listIds: Partial<Record<ConsentChannel, string>> = {};
        const listId = options.listIds[channel];
        if (typeof listId === 'string') listIds[channel] = listId;
        const result = await sendWithRecovery(group, {
          send: (items) =>
            options.client.bulkJobs.subscribe(
              subscriptionJobBodies(items, { listIds, customSource: options.customSource })[0]!,
              call,
            ),
          itemsNamed: (error: BulkItemError) => [error.index],
        });
        figures.subscribed[channel] += result.accepted.length;
        figures.failed += result.refused.length;
        const record = recordOf(key, group.length, result, (item) => item.address);
        failures.push(...record.failures);
        if (result.unavailable !== undefined) return { batches: sent, failures, halt: result.unavailable };
        sent.push(record.batch);
      }
      return { batches: sent, failures };
    },
  };
}

/** Decisions as the jobs take them: by channel and by whether dated (historical import), 1,000 at most. */
function jobGroups(decisions: readonly Subscribe[]): Subscribe[][] {
  const groups = new Map<string, Subscribe[]>();
  for (const decision of decisions) {
    const key = `${decision.channel}|${decision.consentedAt !== undefined}`;
    groups.set(key, [...(groups.get(key) ?? []), decision]);
  }
  return [...groups.values()].flatMap((group) => {
    const parts: Subscribe[][] = [];
    for (let i = 0; i < group.length; i += MAX_PROFILES_PER_SUBSCRIBE_JOB)
      parts.push(group.slice(i, i + MAX_PROFILES_PER_SUBSCRIBE_JOB));
    return parts;
  });
}

/** The client's reading of a profile's consent in the gate's terms (Klaviyo's zone-less times are UTC). */
function channelState(profile: ProfileConsent, channel: ConsentChannel): KlaviyoChannelState {
  const held = profile.channels[channel];
  const known =
    held.consent === 'SUBSCRIBED' || held.consent === 'NEVER_SUBSCRIBED' ? held.consent : 'UNSUBSCRIBED';
  const state: KlaviyoChannelState = { consent: known };
  const at = utc(held.consentTimestamp ?? held.lastUpdated);
  if (at !== undefined) state.consentTimestamp = at;
  if (held.suppressions.length > 0)
    state.suppressions = held.suppressions.map((s) => ({
      reason: s.reason,
      ...(utc(s.timestamp) !== undefined && { timestamp: utc(s.timestamp)! }),
    }));
  return state;
}

function utc(timestamp: string | undefined): string | undefined {
  if (!timestamp) return undefined;
  return /(Z|[+-]\d{2}:?\d{2})$/i.test(timestamp) ? timestamp : `${timestamp}Z`;
}
