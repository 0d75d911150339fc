/** Render as text: one line per email with its counts, the errors under it, then the totals and the gallery. */
import type { RenderResult } from '../../commands/results.js';
import { emailId, flowEmailId, type PreviewManifest } from '../../previews/manifest.js';
import { formatDiagnostic } from '../../project/diagnostics.js';
import { formatKb } from '../previews/gallery.js';
import { plural } from './plural.js';

export function renderText(result: RenderResult): { stdout: string; stderr?: string } {
  const findings = result.otherFindings;
  return {
    stdout: reportLines(result.manifest, result.galleryShown).join('\n'),
    ...(findings > 0
      ? {
          stderr: `note: ${plural(findings, 'finding')} outside templates; run \`klaviyo-gitops validate\` to see them`,
        }
      : {}),
  };
}

export function reportLines(manifest: PreviewManifest, gallery: string): string[] {
  const width = Math.max(0, ...manifest.emails.map((e) => emailId(e).length));
  const lines: string[] = [];
  for (const email of manifest.emails) {
    const id = emailId(email).padEnd(width);
    const errors = email.findings.filter((f) => f.severity === 'error');
    const warnings = email.findings.length - errors.length;
    const counts = email.findings.length
      ? `  (${plural(errors.length, 'error')}, ${plural(warnings, 'warning')})`
      : '';
    lines.push(
      email.status === 'rendered'
        ? `${id}  ${formatKb(email.sizeBytes).padStart(9)}  ${email.subject}${counts}`
        : `${id}  FAILED: ${email.reason}${counts}`,
    );
    for (const finding of errors) lines.push(`  ${formatDiagnostic(finding)}`);
  }
  for (const flow of manifest.flows)
    for (const email of flow.emails)
      for (const variant of email.variants)
        if (variant.status === 'failed')
          lines.push(
            `${flowEmailId(flow, email)}${variant.label ? ` (variant ${variant.label})` : ''}  FAILED: ${variant.reason}`,
          );
  for (const finding of manifest.flows.flatMap((f) => f.findings).filter((f) => f.severity === 'error'))
    lines.push(`  ${formatDiagnostic(finding)}`);
  const { summary } = manifest;
  lines.push(
    `${plural(summary.flowEmails, 'flow email')} in ${plural(summary.flows, 'flow')}, in step order in the gallery.`,
  );
  if (summary.warnings > 0) lines.push('Warnings are listed in the gallery and in manifest.json.');
  lines.push(
    `${plural(summary.rendered, 'email')} rendered, ${summary.failed} failed, ${plural(summary.errors, 'error')}, ` +
      `${plural(summary.warnings, 'warning')}: ${gallery}`,
  );
  return lines;
}
