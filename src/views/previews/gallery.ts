/**
 * The preview gallery: one self-contained HTML page (no external assets, no scripts) that shows every email
 * at desktop and mobile width side by side, with its subject, preview text, size and findings. Each email is
 * embedded with `srcdoc`, so `index.html` alone is a complete artifact a reviewer can open.
 * Pure: a manifest and the rendered documents in, a string out.
 */
import type { Diagnostic } from '../../project/diagnostics.js';
import {
  emailId,
  PREVIEW_WIDTHS,
  type PreviewEntry,
  type PreviewManifest,
  type PreviewWidth,
  type RenderedPreview,
} from '../../previews/manifest.js';
import { FLOWS_STYLE, flowsView, flowUsesByTemplate, type FlowUse } from './flows-view.js';
import { escapeHtml } from './html.js';

export { escapeHtml };

/** The rendered email and its text part, by `emailId` (`brand/key`). */
export interface RenderedDocument {
  html: string;
  text: string;
}

/**
 * Frame heights when the browser has not measured the email. Tall enough for most emails, so the frame
 * itself rarely scrolls (a scrollbar inside the frame would narrow its viewport); the box around it scrolls.
 */
const DEFAULT_HEIGHT: Record<PreviewWidth, number> = { desktop: 3000, mobile: 4500 };

export function buildGallery(
  manifest: PreviewManifest,
  documents: ReadonlyMap<string, RenderedDocument>,
): string {
  const { summary } = manifest;
  const brands = groupByBrand(manifest.emails);
  const counts = [
    plural(summary.emails, 'email'),
    plural(brands.length, 'brand'),
    `${summary.failed} failed`,
    plural(summary.errors, 'error'),
    plural(summary.warnings, 'warning'),
  ].join(' · ');
  const uses = flowUsesByTemplate(manifest.flows);
  const sections = brands.map(([, emails]) => brandSection(emails, documents, uses)).join('\n');
  const flows = flowsView(manifest.flows, (flow) => (flow.findings.length ? findingList(flow.findings) : ''));
  const views = `<nav class="views" aria-label="Views"><a href="#flows">Flows: ${plural(summary.flowEmails, 'email')} in ${plural(summary.flows, 'flow')}</a> · <a href="#templates">Templates: ${plural(summary.emails, 'email')}</a></nav>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Email previews · ${escapeHtml(manifest.dir)}</title>
<style>
${STYLE}
${FLOWS_STYLE}
</style>
</head>
<body>
<header class="page">
<h1>Email previews</h1>
<p class="counts">${escapeHtml(counts)}</p>
<p class="note">Rendered from <code>${escapeHtml(manifest.dir)}</code> with each template's sample data. Frames are ${PREVIEW_WIDTHS.desktop} px (desktop) and ${PREVIEW_WIDTHS.mobile} px (mobile) wide.</p>
${views}
</header>
<main>
${flows}
<div class="templates-view" id="templates">
${overviewTable(manifest.emails)}
${sections}
</div>
</main>
</body>
</html>
`;
}

function groupByBrand(emails: readonly PreviewEntry[]): Array<[string, PreviewEntry[]]> {
  const brands = new Map<string, PreviewEntry[]>();
  for (const email of emails) {
    const list = brands.get(email.brand) ?? [];
    list.push(email);
    brands.set(email.brand, list);
  }
  return [...brands.entries()];
}

function overviewTable(emails: readonly PreviewEntry[]): string {
  if (emails.length === 0) return '<p class="empty">No templates found.</p>';
  const rows = emails.map((email) => {
    const { errors, warnings } = countFindings(email.findings);
    const subject = email.status === 'rendered' ? escapeHtml(email.subject) : '<em>not rendered</em>';
    const size = email.status === 'rendered' ? formatKb(email.sizeBytes) : '';
    return `<tr class="${email.status}${errors > 0 ? ' has-errors' : ''}">
<td>${escapeHtml(email.brand)}</td>
<td><a href="#${anchor(email)}">${escapeHtml(email.key)}</a></td>
<td>${subject}</td>
<td class="num">${size}</td>
<td class="num">${errors}</td>
<td class="num">${warnings}</td>
</tr>`;
  });
  return `<nav aria-label="All emails">
<table class="overview">
<thead><tr><th>Brand</th><th>Template</th><th>Subject</th><th class="num">Size</th><th class="num">Errors</th><th class="num">Warnings</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</nav>`;
}

function brandSection(
  emails: PreviewEntry[],
  documents: ReadonlyMap<string, RenderedDocument>,
  uses: ReadonlyMap<string, FlowUse[]>,
): string {
  const first = emails[0]!;
  return `<section class="brand" id="brand-${escapeHtml(first.brand)}">
<h2>${escapeHtml(first.brandName)} <code>${escapeHtml(first.brand)}</code></h2>
${emails.map((email) => emailArticle(email, documents.get(emailId(email)), uses.get(emailId(email)) ?? [])).join('\n')}
</section>`;
}

function emailArticle(
  email: PreviewEntry,
  document: RenderedDocument | undefined,
  uses: readonly FlowUse[],
): string {
  const facts: Array<[string, string]> = [];
  if (email.status === 'rendered') {
    facts.push(['Subject', escapeHtml(email.subject)]);
    facts.push(['Preview text', email.previewText ? escapeHtml(email.previewText) : '<em>none</em>']);
    facts.push(['Size', formatKb(email.sizeBytes)]);
    if (email.sample !== undefined) facts.push(['Sample', `<code>${escapeHtml(email.sample)}</code>`]);
  }
  facts.push(['Source', `<code>${escapeHtml(email.source)}</code>`]);
  if (uses.length > 0)
    facts.push([
      'Sent in flows',
      uses.map((use) => `<a href="#${use.anchor}">${escapeHtml(use.label)}</a>`).join(', '),
    ]);
  const factList = facts.map(([term, value]) => `<dt>${term}</dt><dd>${value}</dd>`).join('');
  const body =
    email.status === 'rendered' && document
      ? `<div class="frames">
${frame(email, document.html, 'desktop')}
${frame(email, document.html, 'mobile')}
</div>
<details class="text-part"><summary>Plain-text part</summary><pre>${escapeHtml(document.text)}</pre></details>`
      : `<p class="no-preview">No preview: ${escapeHtml(email.status === 'failed' ? email.reason : 'the rendered HTML is missing')}</p>`;
  return `<article class="email ${email.status}" id="${anchor(email)}" data-brand="${escapeHtml(email.brand)}" data-key="${escapeHtml(email.key)}">
<header>
<h3>${escapeHtml(email.name)} <code>${escapeHtml(email.key)}</code>${email.status === 'failed' ? ' <span class="badge error">failed</span>' : ''}</h3>
<dl>${factList}</dl>
${fileLinks(email)}
${findingList(email.findings)}
</header>
${body}
</article>`;
}

function frame(email: RenderedPreview, html: string, width: PreviewWidth): string {
  const pixels = PREVIEW_WIDTHS[width];
  const measured = email.measures?.[width];
  const height = measured ? Math.max(1, Math.ceil(measured.height)) : DEFAULT_HEIGHT[width];
  const label = width === 'desktop' ? 'Desktop' : 'Mobile';
  const overflow =
    measured && measured.scrollWidth > pixels
      ? ` <span class="badge warning">${measured.scrollWidth} px wide: scrolls sideways</span>`
      : '';
  // Without allow-scripts nothing in the email runs; allow-same-origin lets tools inspect the frame.
  return `<figure class="frame ${width}">
<figcaption>${label} · ${pixels} px${overflow}</figcaption>
<div class="viewport" style="width:${pixels + 16}px">
<iframe title="${escapeHtml(`${emailId(email)} at ${pixels} px`)}" data-email="${escapeHtml(emailId(email))}" data-width="${pixels}" width="${pixels}" height="${height}" sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox" srcdoc="${escapeHtml(html)}"></iframe>
</div>
</figure>`;
}

function fileLinks(email: PreviewEntry): string {
  const links: string[] = [];
  const { files } = email;
  if (files.html) links.push(`<a href="${escapeHtml(files.html)}">HTML</a>`);
  if (files.text) links.push(`<a href="${escapeHtml(files.text)}">Text</a>`);
  if (files.desktopPng) links.push(`<a href="${escapeHtml(files.desktopPng)}">Desktop PNG</a>`);
  if (files.mobilePng) links.push(`<a href="${escapeHtml(files.mobilePng)}">Mobile PNG</a>`);
  return links.length ? `<p class="files">${links.join(' · ')}</p>` : '';
}

/** Errors in plain sight; warnings folded away when there are more than a few. */
function findingList(findings: readonly Diagnostic[]): string {
  if (findings.length === 0) return '<p class="clean">No findings.</p>';
  const errors = findings.filter((d) => d.severity === 'error');
  const warnings = findings.filter((d) => d.severity !== 'error');
  const list = (items: readonly Diagnostic[], label: string): string =>
    `<ul class="findings" aria-label="${label}">\n${items.map(findingItem).join('\n')}\n</ul>`;
  const parts: string[] = [];
  if (errors.length > 0) parts.push(list(errors, 'Errors'));
  if (warnings.length > 3) {
    parts.push(
      `<details class="warnings"><summary>${plural(warnings.length, 'warning')}</summary>\n${list(warnings, 'Warnings')}\n</details>`,
    );
  } else if (warnings.length > 0) {
    parts.push(list(warnings, 'Warnings'));
  }
  return parts.join('\n');
}

function findingItem(d: Diagnostic): string {
  const where = escapeHtml(`${d.file}:${d.line}:${d.col}`);
  const fix = d.fix ? ` <span class="fix">(${escapeHtml(d.fix)})</span>` : '';
  return `<li class="finding ${d.severity}"><span class="badge ${d.severity}">${d.severity}</span> <code>${where}</code> <code class="rule">${escapeHtml(d.rule)}</code> ${escapeHtml(d.message)}${fix}</li>`;
}

function countFindings(findings: readonly Diagnostic[]): { errors: number; warnings: number } {
  const errors = findings.filter((d) => d.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}

function anchor(email: { brand: string; key: string }): string {
  return escapeHtml(`email-${email.brand}-${email.key}`);
}

export function formatKb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

const STYLE = `
:root { color-scheme: light; --ink: #1d2330; --muted: #5b6474; --line: #d9dde5; --paper: #f5f6f8; --error: #b42318; --warning: #9a6700; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px; background: var(--paper); color: var(--ink); font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { margin: 0 0 4px; font-size: 24px; }
h2 { margin: 40px 0 16px; font-size: 20px; border-bottom: 2px solid var(--line); padding-bottom: 6px; }
h3 { margin: 0 0 8px; font-size: 17px; }
code { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #eceef2; padding: 1px 4px; border-radius: 3px; }
.counts { margin: 0 0 4px; font-weight: 600; }
.note { margin: 0 0 16px; color: var(--muted); }
table.overview { border-collapse: collapse; background: #fff; border: 1px solid var(--line); margin-bottom: 8px; }
table.overview th, table.overview td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
table.overview .num { text-align: right; font-variant-numeric: tabular-nums; }
table.overview tr.has-errors td, table.overview tr.failed td { background: #fdecea; }
article.email { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 16px; margin: 0 0 24px; }
article.email.failed { border-color: var(--error); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0 0 8px; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
.files { margin: 0 0 8px; }
.clean { margin: 0 0 12px; color: var(--muted); }
ul.findings { list-style: none; margin: 0 0 12px; padding: 0; }
li.finding { padding: 3px 0; overflow-wrap: anywhere; }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 11px; font-weight: 700; text-transform: uppercase; color: #fff; }
.badge.error { background: var(--error); }
.badge.warning { background: var(--warning); }
.fix { color: var(--muted); }
.frames { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
figure.frame { margin: 0; }
figcaption { margin: 0 0 6px; color: var(--muted); font-weight: 600; }
.viewport { max-height: 85vh; overflow-x: hidden; overflow-y: auto; border: 1px solid var(--line); background: var(--paper); }
iframe { display: block; border: 0; }
.no-preview { padding: 16px; border: 1px dashed var(--error); color: var(--error); }
details.warnings { margin: 0 0 12px; }
details.warnings summary { color: var(--warning); font-weight: 600; cursor: pointer; }
details.text-part { margin-top: 12px; }
details.text-part pre { white-space: pre-wrap; max-width: 80ch; background: var(--paper); padding: 12px; border-radius: 4px; }
`.trim();
