/**
 * Pull as text: the plan's problems, one line per file written with the edits it took, notes, the template
 * markers refreshed, changes that follow, what could not be pulled, then the summary.
 */
import type { PullResult, TemplateMarkerRefresh } from '../../commands/results.js';
import type { ResourcePull } from '../../engine/pull/index.js';

const label = (pull: ResourcePull): string => `${pull.kind} ${pull.key}`;

function markerLine(marker: TemplateMarkerRefresh): string {
  return marker.outcome === 'refreshed'
    ? `  template ${marker.key}: its marker in Klaviyo now records the pulled content (content unchanged)`
    : `  template ${marker.key}: its marker in Klaviyo could not be refreshed (${marker.error ?? ''}); the next apply refreshes it`;
}

export function pullText(result: PullResult): string {
  const warnings = result.problems.map((p) => `${p.severity}: ${p.brand}: ${p.message}`);
  const lines: string[] = [];
  const notPulled: string[] = [];
  const files = new Set<string>();
  const followers: string[] = [];
  for (const { brand, pulls, knockOn } of result.brands) {
    followers.push(...knockOn);
    for (const pull of pulls) {
      for (const write of pull.writes) {
        files.add(write.file);
        const what = pull.pulled.filter((p) => p.file === write.file && p.what !== '').map((p) => p.what);
        lines.push(`${write.created ? '+' : '~'} ${write.file}: ${label(pull)}: ${what.join(', ')}`);
      }
      if (pull.writes.length > 0) for (const note of pull.notes) lines.push(`    ${label(pull)}: ${note}`);
      for (const n of pull.notPulled)
        notPulled.push(
          `  ${result.brands.length > 1 ? `${brand}: ` : ''}${label(pull)}${n.path ? ` ${n.path}` : ''}: ${n.reason}`,
        );
    }
  }
  const edits = result.pulledEdits;
  if (edits === 0 && notPulled.length === 0)
    return [...warnings, 'Nothing to pull: no edits made in Klaviyo since the last apply.'].join('\n');
  lines.push(...result.markers.map(markerLine));
  for (const change of followers)
    lines.push(`    the next plan also changes ${change}: it follows from the pulled files`);
  if (notPulled.length > 0) lines.push('', `Not pulled (${notPulled.length}):`, ...notPulled);
  lines.push(
    '',
    `Pulled ${edits} edit${edits === 1 ? '' : 's'} into ${files.size} file${files.size === 1 ? '' : 's'}; review with git diff and commit` +
      (notPulled.length > 0 ? `; ${notPulled.length} not pulled (listed above)` : ''),
  );
  return [...warnings, ...lines].join('\n');
}
