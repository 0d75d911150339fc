/**
 * Bulk subscribe (`POST /api/profile-subscription-bulk-create-jobs`), with the consent rules a sync relies on:
 * at most 1,000 profiles; `consented_at` only with `historical_import`, and then required and in the past;
 * email consent needs a valid email and SMS consent an E.164 phone number. Any broken rule refuses the whole
 * request (one 400 error per bad item, pointing at it). Accepted consent is recorded per channel with its
 * timestamp and method, and lifts UNSUBSCRIBE, SPAM_REPORT and USER_SUPPRESSED suppressions as Klaviyo does.
 */
import { setConsent, type Channel } from '../consent.js';
import type { Handler, HandlerContext } from '../context.js';
import type { KlaviyoHttpError } from '../errors.js';
import { invalid, KlaviyoHttpErrors } from '../errors.js';
import { isE164, isEmail } from '../identifiers.js';
import { bodyAttributes, getPath, isObject, obj, str, type JsonObject } from '../json.js';
import { addToLists, bodyProfiles, createJob, namedLists } from './bulk-jobs.js';
import { upsertProfile } from './profiles.js';

export const SUBSCRIBE_MAX_PROFILES = 1000;
const CHANNELS: readonly Channel[] = ['email', 'sms'];
const PROFILES = '/data/attributes/profiles/data';

/** The channels a profile entry asks to subscribe, with the consent time each carries. */
function requested(entry: JsonObject): Array<{ channel: Channel; consentedAt: unknown }> {
  const subscriptions = obj(obj(entry.attributes).subscriptions);
  return CHANNELS.flatMap((channel) => {
    const marketing = getPath(subscriptions, `${channel}.marketing`);
    return isObject(marketing) ? [{ channel, consentedAt: marketing.consented_at }] : [];
  });
}

function entryProblems(
  ctx: HandlerContext,
  entry: JsonObject,
  i: number,
  historical: boolean,
): KlaviyoHttpError[] {
  const at = `${PROFILES}/${i}`;
  const a = obj(entry.attributes);
  const id = str(entry.id);
  const existing = id !== undefined ? ctx.account.profiles[id] : undefined;
  const problems: KlaviyoHttpError[] = [];
  if (id !== undefined && !existing)
    problems.push(invalid(`The profile with id '${id}' does not exist.`, { pointer: `${at}/id` }));
  for (const { channel, consentedAt } of requested(entry)) {
    const pointer = `${at}/attributes/subscriptions/${channel}/marketing/consented_at`;
    if (!historical && consentedAt != null)
      problems.push(invalid('consented_at is only allowed when historical_import is true.', { pointer }));
    if (historical) {
      const ms = consentedAt == null ? Number.NaN : Date.parse(String(consentedAt));
      if (Number.isNaN(ms))
        problems.push(invalid('consented_at is required when historical_import is true.', { pointer }));
      else if (ms > ctx.nowMs) problems.push(invalid('consented_at must be in the past.', { pointer }));
    }
    if (channel === 'email') {
      const email = a.email ?? existing?.attributes.email;
      if (!isEmail(email))
        problems.push(
          invalid('Email consent needs a valid email address.', { pointer: `${at}/attributes/email` }),
        );
    } else {
      const phone = a.phone_number ?? existing?.attributes.phone_number;
      if (!isE164(phone))
        problems.push(
          invalid('SMS consent needs a phone number in E.164 format (+15005550006).', {
            pointer: `${at}/attributes/phone_number`,
          }),
        );
    }
  }
  return problems;
}

export const bulkSubscribeHandlers: Record<string, Handler> = {
  bulk_subscribe_profiles: (req, ctx) => {
    const attributes = bodyAttributes(req.body);
    const historical = attributes.historical_import === true;
    const entries = bodyProfiles(req.body);
    if (entries.length > SUBSCRIBE_MAX_PROFILES)
      throw invalid(
        `A bulk subscribe takes at most ${SUBSCRIBE_MAX_PROFILES} profiles; this one has ${entries.length}.`,
        { pointer: PROFILES },
      );
    const listIds = namedLists(ctx, req.body);
    const problems = entries.flatMap((entry, i) => entryProblems(ctx, entry, i, historical));
    if (problems.length > 0) throw new KlaviyoHttpErrors(problems);
    const methodDetail = str(attributes.custom_source) ?? null;
    const profileIds = entries.map((entry) => {
      const { email, phone_number } = obj(entry.attributes);
      const identity = {
        ...(email != null ? { email } : {}),
        ...(phone_number != null ? { phone_number } : {}),
      };
      const { profile } = upsertProfile(ctx, identity, str(entry.id));
      for (const { channel, consentedAt } of requested(entry)) {
        const at = historical
          ? new Date(String(consentedAt)).toISOString().replace('.000Z', '+00:00')
          : ctx.now;
        setConsent(profile, channel, {
          consent: 'SUBSCRIBED',
          at,
          now: ctx.now,
          method: 'API',
          methodDetail,
        });
      }
      return profile.id;
    });
    addToLists(ctx, listIds, profileIds);
    createJob(ctx, 'profile-subscription-bulk-create-job', profileIds, listIds);
    return { status: 202 };
  },
};
