/** Reading conditions for rules: what a flow's trigger, entry filters and splits guarantee about a profile. */
import type { BrandProject, Condition, LoadedFlow } from '../model.js';

export type Channel = 'email' | 'sms' | 'push';

/** Conditions that hold for every profile in the flow: top-level items that are not `any:` groups. */
export function guaranteedConditions(conditions: Condition[] | undefined): Condition[] {
  return (conditions ?? []).filter((c) => c.any === undefined);
}

/** Channels a condition list guarantees marketing consent for. */
export function consentChannels(
  conditions: Condition[] | undefined,
  brand: BrandProject,
  depth = 0,
): Set<Channel> {
  const channels = new Set<Channel>();
  for (const condition of guaranteedConditions(conditions)) {
    if (condition.consent) channels.add(condition.consent.channel);
    const member = condition.member_of;
    if (member && 'list' in member) channels.add('email');
    if (member && 'segment' in member && depth < 5) {
      for (const c of segmentConsent(member.segment, brand, depth + 1)) channels.add(c);
    }
  }
  return channels;
}

function segmentConsent(key: string, brand: BrandProject, depth: number): Set<Channel> {
  const segment = brand.segments.get(key);
  if (!segment?.valid) return new Set();
  return consentChannels(segment.value.all, brand, depth);
}

/**
 * Consent every profile entering the flow has. A list trigger implies email consent (joining a list is an
 * email subscription); a segment trigger implies what the segment's own conditions require.
 */
export function flowConsent(flow: LoadedFlow, brand: BrandProject): Set<Channel> {
  const channels = consentChannels(flow.value.entry_filters, brand);
  const trigger = flow.value.trigger;
  if (trigger.list !== undefined) channels.add('email');
  if (trigger.segment !== undefined)
    for (const c of segmentConsent(trigger.segment, brand, 0)) channels.add(c);
  return channels;
}
