/**
 * The consent gate's subscribe decisions as bulk subscribe job bodies. Klaviyo sets `historical_import` per
 * job and a list per job, so decisions are grouped by channel and by whether they carry a consent date; jobs
 * hold at most Klaviyo's 1,000 profiles.
 */
import type { KlaviyoSchemas } from '../klaviyo/index.js';
import type { ChannelDecision } from './consent-gate.js';
import type { ConsentChannel } from './model.js';

export type SubscriptionJobBody = KlaviyoSchemas['schemas']['SubscriptionCreateJobCreateQuery'];
export type Subscribe = Extract<ChannelDecision, { action: 'subscribe' }>;

export const MAX_PROFILES_PER_SUBSCRIBE_JOB = 1_000;

export interface SubscriptionJobOptions {
  /** Klaviyo list id per channel; a channel without one is subscribed with no list (account default opt-in). */
  listIds: Partial<Record<ConsentChannel, string>>;
  /** Stored on the consent records, e.g. `klaviyo-gitops sync emberwick/shopify-customers run 42`. */
  customSource: string;
}

export function subscriptionJobBodies(
  decisions: readonly Subscribe[],
  options: SubscriptionJobOptions,
): SubscriptionJobBody[] {
  const groups = new Map<string, Subscribe[]>();
  for (const decision of decisions) {
    const key = `${decision.channel}|${decision.consentedAt !== undefined}`;
    const group = groups.get(key) ?? [];
    group.push(decision);
    groups.set(key, group);
  }
  const bodies: SubscriptionJobBody[] = [];
  for (const [key, group] of groups) {
    const [channel, historical] = key.split('|') as [ConsentChannel, string];
    for (let i = 0; i < group.length; i += MAX_PROFILES_PER_SUBSCRIBE_JOB)
      bodies.push(
        jobBody(channel, historical === 'true', group.slice(i, i + MAX_PROFILES_PER_SUBSCRIBE_JOB), options),
      );
  }
  return bodies;
}

function jobBody(
  channel: ConsentChannel,
  historical: boolean,
  decisions: readonly Subscribe[],
  options: SubscriptionJobOptions,
): SubscriptionJobBody {
  const listId = options.listIds[channel];
  const body: SubscriptionJobBody = {
    data: {
      type: 'profile-subscription-bulk-create-job',
      attributes: {
        custom_source: options.customSource,
        // Only with a real past date per profile: Klaviyo then skips double opt-in, so nothing undated goes here.
        historical_import: historical,
        profiles: {
          data: decisions.map((d) => ({
            type: 'profile',
            attributes: {
              ...(channel === 'email' ? { email: d.address } : { phone_number: d.address }),
              subscriptions: {
                [channel]: {
                  marketing: {
                    consent: 'SUBSCRIBED',
                    ...(historical && d.consentedAt !== undefined && { consented_at: d.consentedAt }),
                  },
                },
              },
            },
          })),
        },
      },
    },
  };
  if (listId !== undefined) body.data.relationships = { list: { data: { type: 'list', id: listId } } };
  return body;
}
