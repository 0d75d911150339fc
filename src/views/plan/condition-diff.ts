/**
 * What changed between two sets of condition groups (a segment definition, an entry filter, a split), one
 * condition at a time: "total value of Placed Order at least 750 -> 500 in the last 365 days", not the whole
 * definition twice.
 */
import { isRecord } from '../../engine/normalize.js';
import { describeCondition, describeConditionGroups } from './conditions.js';

function groupsOf(definition: unknown): string[][] {
  const groups =
    isRecord(definition) && Array.isArray(definition.condition_groups) ? definition.condition_groups : [];
  return groups.map((group) =>
    isRecord(group) && Array.isArray(group.conditions) ? group.conditions.map(describeCondition) : [],
  );
}

/**
 * Two sentences with their common words written once: "at least 750 -> 500 in the last 365 days"; when more
 * than one word differs on a side, the differing words are bracketed: "[a b -> c]".
 */
export function wordChange(before: string, after: string): string {
  const a = before.split(' ');
  const b = after.split(' ');
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix += 1;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix += 1;
  const from = a.slice(prefix, a.length - suffix).join(' ');
  const to = b.slice(prefix, b.length - suffix).join(' ');
  const single = !from.includes(' ') && !to.includes(' ') && from !== '' && to !== '';
  const middle = single ? `${from} -> ${to}` : `[${from || '(nothing)'} -> ${to || '(nothing)'}]`;
  return [...a.slice(0, prefix), middle, ...a.slice(a.length - suffix)].join(' ');
}

/** Lines, one per changed, added or removed condition (groups are ANDed, conditions within one ORed). */
export function conditionChanges(before: unknown, after: unknown): string[] {
  const was = groupsOf(before);
  const now = groupsOf(after);
  const lines: string[] = [];
  for (let g = 0; g < Math.max(was.length, now.length); g += 1) {
    const old = was[g];
    const next = now[g];
    if (!old) {
      lines.push(`condition added: ${next!.join(' OR ')}`);
      continue;
    }
    if (!next) {
      lines.push(`condition removed: ${old.join(' OR ')}`);
      continue;
    }
    // Conditions that are in both stay silent; the rest pair up in order as edits, the surplus as adds/removes.
    const removed = old.filter((c) => !next.includes(c));
    const added = next.filter((c) => !old.includes(c));
    const paired = Math.min(removed.length, added.length);
    for (let i = 0; i < paired; i += 1)
      lines.push(`condition changed: ${wordChange(removed[i]!, added[i]!)}`);
    for (const c of removed.slice(paired)) lines.push(`condition removed: ${c}`);
    for (const c of added.slice(paired)) lines.push(`condition added: ${c}`);
  }
  // Same conditions, regrouped (an OR became an AND): the sentence is the only honest description.
  if (lines.length === 0 && describeConditionGroups(before) !== describeConditionGroups(after)) {
    lines.push(
      `conditions regrouped: ${describeConditionGroups(before)} -> ${describeConditionGroups(after)}`,
    );
  }
  return lines;
}
