/** Review and refresh as text, for the CLI: the parts the GitHub views show, in the order a person reads them. */
import type { RefreshResult, ReviewResult } from '../../commands/results.js';
import { renderPlanText } from '../plan/index.js';
import { renderDriftText } from './drift.js';
import { reportLines } from './render.js';
import { validateText } from './validate.js';

export function reviewText(result: ReviewResult): string {
  const sections = [
    validateText(result.validation),
    reportLines(result.previews.manifest, result.previews.galleryShown).join('\n'),
  ];
  const { planning } = result;
  if (planning.status === 'planned') {
    sections.push(renderPlanText(planning.plan).trimEnd());
    sections.push(
      Object.entries(planning.reviewFingerprints)
        .map(([brand, fingerprint]) => `review fingerprint of ${brand}: ${fingerprint}`)
        .join('\n'),
    );
  } else sections.push(`No plan: ${planning.message}`);
  return sections.join('\n\n');
}

export function refreshText(result: RefreshResult): string {
  const lines: string[] = [];
  for (const segment of result.reasserted) {
    const what = `segment ${segment.key} of ${segment.brand}`;
    if (segment.outcome === 'updated')
      lines.push(
        `re-asserted ${what}${segment.id ? ` (${segment.id})` : ''}` +
          (segment.handEdit ? ': it had been edited in Klaviyo; `klaviyo-gitops pull` keeps such edits' : ''),
      );
    else lines.push(`! could not re-assert ${what}: ${segment.error ?? 'failed'}`);
  }
  if (result.reasserted.length === 0) lines.push('No segment definition had drifted.');
  lines.push('', renderDriftText(result.drift).trimEnd(), '');
  for (const segment of result.segments) {
    const count = segment.profileCount === undefined ? 'not in Klaviyo' : `${segment.profileCount} profiles`;
    lines.push(`${segment.brand}/${segment.key}  ${count}`);
  }
  return lines.join('\n').trimEnd();
}
