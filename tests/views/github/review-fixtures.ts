/** Realistic command results for the GitHub views: a plan made by the real diff from desired and remote states. */
import type { RenderResult, ReviewResult, ValidateResult } from '../../../src/commands/results.js';
import { diffBrand } from '../../../src/engine/diff/index.js';
import { assemblePlan, type Plan } from '../../../src/engine/plan.js';
import { reviewedResources, reviewFingerprint } from '../../../src/engine/review-fingerprint.js';
import type { Diagnostic } from '../../../src/project/diagnostics.js';
import { summarize, type PreviewEntry } from '../../../src/previews/manifest.js';
import {
  dFlow,
  dList,
  desiredState,
  dSegment,
  dTemplate,
  remoteState,
  rFlow,
  rList,
  rSegment,
  rTemplate,
  vipDefinition,
  welcomeDefinition,
  withIds,
} from '../../engine/fixtures.js';

const ids = { '@list:newsletter': 'LNEWS1', '@metric:Placed Order': 'MPLACE', '@template:welcome': 'TWELC1' };
export const html = '<html>\n<body>\n<p>Welcome</p>\n{% unsubscribe %}\n</body>\n</html>';

/** trailhead: create a list, update a segment and a template, replace a flow, delete a list. */
export function samplePlan(extraLists = 0): Plan {
  const changed = structuredClone(vipDefinition);
  (
    changed.condition_groups[0]!.conditions[0] as { measurement_filter: { value: number } }
  ).measurement_filter.value = 5;
  const extra = Array.from({ length: extraLists }, (_, i) => dList(`extra-${i}`, `Extra list ${i}`));
  const desired = desiredState({
    deletion: { list: 'delete', segment: 'retain', template: 'retain', flow: 'retain' },
    lists: [dList('newsletter', 'Newsletter'), dList('vip-list', 'VIP list'), ...extra],
    segments: [dSegment('vip', changed)],
    templates: [dTemplate('welcome', html.replace('Welcome', 'Welcome aboard'))],
    flows: [dFlow('welcome', welcomeDefinition({ extraStep: true }))],
  });
  const remote = remoteState({
    lists: [rList('newsletter', 'LNEWS1', 'Newsletter'), rList('old', 'LOLD01', 'Old list')],
    segments: [rSegment('vip', 'SVIP01', withIds(vipDefinition, ids))],
    templates: [rTemplate('welcome', 'TWELC1', html)],
    flows: [
      rFlow('welcome', 'FWELC1', welcomeDefinition(), ids, {
        'email-1': { html, text: 'text of welcome', key: 'welcome' },
      }),
    ],
  });
  return assemblePlan([diffBrand(desired, remote)], new Date('2026-07-20T12:00:00Z'));
}

/** A plan with nothing to do for trailhead. */
export function emptyPlan(): Plan {
  const desired = desiredState({ lists: [dList('newsletter', 'Newsletter')] });
  const remote = remoteState({ lists: [rList('newsletter', 'LNEWS1', 'Newsletter')] });
  return assemblePlan([diffBrand(desired, remote)], new Date('2026-07-20T12:00:00Z'));
}

export function finding(
  file: string,
  line: number,
  rule: string,
  message: string,
  severity: Diagnostic['severity'] = 'warning',
): Diagnostic {
  return { file, line, col: 3, rule, severity, message };
}

export function validation(diagnostics: Diagnostic[] = []): ValidateResult {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return {
    command: 'validate',
    files: 12,
    errors,
    warnings: diagnostics.length - errors,
    brands: ['trailhead'],
    diagnostics,
  };
}

export function preview(key: string, extra: Partial<PreviewEntry> = {}): PreviewEntry {
  return {
    status: 'rendered',
    brand: 'trailhead',
    brandName: 'Trailhead',
    key,
    name: `Email ${key}`,
    source: `marketing/brands/trailhead/templates/${key}.html`,
    files: { html: `trailhead/${key}.html`, text: `trailhead/${key}.txt` },
    findings: [],
    subject: `Subject of ${key}`,
    previewText: `Preview of ${key}`,
    sizeBytes: 20_480,
    ...extra,
  } as PreviewEntry;
}

export function previews(emails: PreviewEntry[] = []): RenderResult {
  return {
    command: 'render',
    manifest: { version: 1, dir: 'marketing', emails, summary: summarize(emails) },
    outDir: '/tmp/previews',
    gallery: '/tmp/previews/index.html',
    galleryShown: 'output/previews/index.html',
    screenshotFailures: 0,
    otherFindings: 0,
  };
}

export function plannedReview(
  plan: Plan,
  parts: { diagnostics?: Diagnostic[]; emails?: PreviewEntry[] } = {},
): ReviewResult {
  return {
    command: 'review',
    validation: validation(parts.diagnostics),
    previews: previews(parts.emails ?? [preview('welcome')]),
    planning: {
      status: 'planned',
      target: 'target: local sandbox',
      plan,
      reviewFingerprints: Object.fromEntries(plan.brands.map((b) => [b.brand, reviewFingerprint(b)])),
      reviewedResources: Object.fromEntries(plan.brands.map((b) => [b.brand, reviewedResources(b)])),
    },
  };
}

export function skippedReview(
  why: 'validation-failed' | 'no-key',
  parts: { diagnostics?: Diagnostic[]; emails?: PreviewEntry[] } = {},
): ReviewResult {
  return {
    command: 'review',
    validation: validation(parts.diagnostics),
    previews: previews(parts.emails ?? [preview('welcome')]),
    planning: {
      status: 'skipped',
      why,
      message: why === 'no-key' ? 'KLAVIYO_API_KEY_TRAILHEAD is not set' : 'the files have errors',
    },
  };
}
