/** Realistic command results for the GitHub views: a plan made by the real diff from desired and remote states. */
import type { RenderResult, ReviewResult, ValidateResult } from '../../../src/commands/results.js';
import { diffBrand } from '../../../src/engine/diff/index.js';
import { assemblePlan, type Plan } from '../../../src/engine/plan.js';
import { reviewedResources, reviewFingerprint } from '../../../src/engine/review-fingerprint.js';
import type { Diagnostic } from '../../../src/project/diagnostics.js';
import { summarize, type FlowPreview, type PreviewEntry } from '../../../src/previews/manifest.js';
import { dList, desiredState, remoteState, rList } from '../../engine/fixtures.js';

export { html, samplePlan } from '../sample-plan.js';

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

export function previews(emails: PreviewEntry[] = [], flows: FlowPreview[] = []): RenderResult {
  return {
    command: 'render',
    manifest: { version: 1, dir: 'marketing', emails, flows, summary: summarize(emails, flows) },
    outDir: '/tmp/previews',
    gallery: '/tmp/previews/index.html',
    galleryShown: 'output/previews/index.html',
    screenshotFailures: 0,
    otherFindings: 0,
  };
}

export function plannedReview(
  plan: Plan,
  parts: { diagnostics?: Diagnostic[]; emails?: PreviewEntry[]; flows?: FlowPreview[] } = {},
): ReviewResult {
  return {
    command: 'review',
    validation: validation(parts.diagnostics),
    previews: previews(parts.emails ?? [preview('welcome')], parts.flows),
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
  parts: { diagnostics?: Diagnostic[]; emails?: PreviewEntry[]; flows?: FlowPreview[] } = {},
): ReviewResult {
  return {
    command: 'review',
    validation: validation(parts.diagnostics),
    previews: previews(parts.emails ?? [preview('welcome')], parts.flows),
    planning: {
      status: 'skipped',
      why,
      message: why === 'no-key' ? 'KLAVIYO_API_KEY_TRAILHEAD is not set' : 'the files have errors',
    },
  };
}

/** A trailhead flow whose steps each send `template`, with the subject `Subject of <step>`. */
export function flowPreview(key: string, steps: Array<{ step: string; template: string }>): FlowPreview {
  return {
    brand: 'trailhead',
    brandName: 'Trailhead',
    key,
    name: `Flow ${key}`,
    source: `marketing/brands/trailhead/flows/${key}.yaml`,
    status: 'live',
    findings: [],
    emails: steps.map(({ step, template }, i) => ({
      step,
      file: `marketing/brands/trailhead/flows/${key}.yaml`,
      line: 4 + i,
      delay: i === 0 ? [] : [{ step: `wait-${i}`, amount: 2, unit: 'days' }],
      branches: [],
      sender: { fromLabel: 'Trailhead', fromEmail: 'hi@trailhead.example' },
      variants: [
        {
          label: '',
          share: 100,
          template,
          name: template,
          subject: { written: `Subject of ${step}`, from: 'step' },
          previewText: { written: '', from: 'template' },
          line: 5 + i,
          preview: `trailhead/${template}`,
          status: 'rendered',
          subjectLine: `Subject of ${step}`,
          previewLine: `Preview of ${template}`,
        },
      ],
    })),
  };
}
