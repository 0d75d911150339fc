/**
 * The profiles stream: customers (from a customers export, or each order's buyer) into profile import jobs. The
 * same identity is merged once per segment; each job is polled to completion and its per-profile import errors
 * go to the history. A relay address or a phone Klaviyo would refuse is never a profile's identifier.
 */
import {
  ProfileImportBatcher,
  type BulkItemError,
  type KlaviyoClient,
  type ProfileImportItem,
} from '../../klaviyo/index.js';
import type { ItemFailure } from '../history/ledger.js';
import type { SourceCustomer } from '../model.js';
import { e164Phone, isRelayEmail } from '../text-values.js';
import { addSkip } from './figures.js';
import { customerOf } from './record-sources.js';
import { sendWithRecovery } from './resend.js';
import { batchKey, type SegmentOutcome, type StreamWork } from './stream-work.js';

/** Profiles per segment: well under a job's 10,000, so several jobs are in flight on a small export too. */
const PROFILES_PER_SEGMENT = 2_000;
/** How often a job is polled; Klaviyo's jobs take seconds to minutes. */
const POLL_INTERVAL_MS = 500;

export interface ProfilesWorkOptions {
  client: KlaviyoClient;
  pollIntervalMs?: number;
}

/** How Klaviyo would find the person: a marketable email, else an E.164 phone, else the external id. */
export function identityKeyOf(customer: SourceCustomer): string | undefined {
  const { email, phone, externalId } = customer.identity;
  if (email !== undefined && !isRelayEmail(email)) return `email:${email.toLowerCase()}`;
  const e164 = e164Phone(phone);
  if (e164 !== undefined) return `phone:${e164}`;
  if (externalId !== undefined) return `external:${externalId}`;
  return undefined;
}

export function profilesWork(options: ProfilesWorkOptions): StreamWork {
  return {
    stream: 'profiles',
    weigh: () => 1,
    maxWeight: PROFILES_PER_SEGMENT,
    count: (_record, figures) => {
      figures.customersRead += 1;
    },
    succeeded: (figures) => figures.customersSynced,
    async send(records, figures, context): Promise<SegmentOutcome> {
      const merged = new Map<string, ProfileImportItem>();
      for (const record of records) {
        const customer = customerOf(record);
        const key = identityKeyOf(customer);
        if (key === undefined) {
          addSkip(figures, 'customer-without-contact');
          continue;
        }
        merged.set(key, mergeProfiles(merged.get(key), profileOf(customer)));
      }
      const batcher = new ProfileImportBatcher();
      const batches: ProfileImportItem[][] = [];
      const failures: ItemFailure[] = [];
      for (const profile of merged.values()) {
        const out = batcher.add(profile);
        if (out?.kind === 'batch') batches.push(out.batch.profiles);
        else if (out?.kind === 'too-large') {
          figures.failed += 1;
          failures.push({ item: nameOf(profile), code: 'too-large', detail: `${out.oversized.bytes} bytes` });
        }
      }
      const last = batcher.finish();
      if (last) batches.push(last.profiles);

      const sent: SegmentOutcome['batches'] = [];
      const call = context.signal ? { signal: context.signal } : {};
      for (const profiles of batches) {
        const key = batchKey('profiles', profiles.map(nameOf));
        if (context.acknowledged.has(key)) {
          figures.customersSynced += profiles.length;
          continue;
        }
        let jobId: string | undefined;
        const result = await sendWithRecovery(profiles, {
          send: async (items) => {
            const bodyBatcher = new ProfileImportBatcher();
            for (const item of items) bodyBatcher.add(item);
            jobId = (await options.client.profileImports.create(bodyBatcher.finish()!.body, call)).id;
          },
          itemsNamed: (error: BulkItemError) => [error.index],
        });
        figures.failed += result.refused.length;
        for (const refusal of result.refused)
          failures.push({
            batchKey: key,
            item: nameOf(refusal.item),
            code: refusal.code,
            detail: refusal.detail,
            ...(refusal.pointer !== undefined && { pointer: refusal.pointer }),
          });
        if (result.unavailable !== undefined) return { batches: sent, failures, halt: result.unavailable };
        if (jobId === undefined || result.accepted.length === 0) continue;
        const job = await options.client.profileImports.waitFor(jobId, {
          ...call,
          intervalMs: options.pollIntervalMs ?? POLL_INTERVAL_MS,
        });
        const completed = job.attributes.completed_count ?? 0;
        const failed = job.attributes.failed_count ?? 0;
        figures.customersSynced += completed;
        figures.failed += failed;
        if (failed > 0)
          for await (const error of options.client.profileImports.errors(jobId, call)) {
            const pointer = error.attributes.source?.pointer ?? undefined;
            const index = /\/profiles\/data\/(\d+)/.exec(pointer ?? '')?.[1];
            const profile = index !== undefined ? result.accepted[Number(index)] : undefined;
            failures.push({
              batchKey: key,
              item: profile ? nameOf(profile) : 'a profile',
              code: error.attributes.code,
              detail: error.attributes.detail,
              ...(pointer && { pointer }),
            });
          }
        sent.push({ key, items: profiles.length, accepted: completed, failed, jobId });
      }
      return { batches: sent, failures };
    },
  };
}

function profileOf(customer: SourceCustomer): ProfileImportItem {
  const { email, phone, externalId } = customer.identity;
  const attributes: ProfileImportItem['attributes'] = {};
  if (email !== undefined && !isRelayEmail(email)) attributes.email = email;
  const e164 = e164Phone(phone);
  if (e164 !== undefined) attributes.phone_number = e164;
  if (externalId !== undefined) attributes.external_id = externalId;
  if (customer.firstName !== undefined) attributes.first_name = customer.firstName;
  if (customer.lastName !== undefined) attributes.last_name = customer.lastName;
  if (customer.location !== undefined) attributes.location = { ...customer.location };
  if (Object.keys(customer.properties).length > 0) attributes.properties = { ...customer.properties };
  return { type: 'profile', attributes };
}

/** A later record of the same person adds what the earlier one lacked; it never blanks a field. */
function mergeProfiles(earlier: ProfileImportItem | undefined, later: ProfileImportItem): ProfileImportItem {
  if (!earlier) return later;
  const attributes = { ...earlier.attributes };
  for (const [field, value] of Object.entries(later.attributes))
    if (value !== undefined && value !== null) (attributes as Record<string, unknown>)[field] = value;
  if (earlier.attributes.properties && later.attributes.properties)
    attributes.properties = { ...earlier.attributes.properties, ...later.attributes.properties };
  return { ...earlier, attributes };
}

function nameOf(profile: ProfileImportItem): string {
  const a = profile.attributes;
  return String(a.email ?? a.phone_number ?? a.external_id ?? 'a profile');
}
