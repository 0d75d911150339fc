/**
 * The gallery's Flows view: per flow, its emails in the order subscribers receive them, each card an inbox line
 * (sender, subject, preview text as sent) with the wait before it and the branch it sits on; an A/B test's
 * variants side by side with their share. Each card links to the template view showing its body, and the
 * template view links back (`flowUsesByTemplate`). Pure: manifest entries in, HTML out.
 */
import type { FlowDelay, FlowEmail } from '../../previews/flow-emails.js';
import {
  flowEmailId,
  type FlowEmailPreview,
  type FlowPreview,
  type FlowVariantPreview,
} from '../../previews/manifest.js';
import { escapeHtml } from './html.js';

/** A flow email variant sending a template, for the template view's links back. */
export interface FlowUse {
  anchor: string;
  label: string;
}

export function flowsView(flows: readonly FlowPreview[], findings: (flow: FlowPreview) => string): string {
  const emails = flows.reduce((n, f) => n + f.emails.length, 0);
  const body =
    flows.length === 0
      ? '<p class="empty">No flow sends an email.</p>'
      : flows.map((flow) => flowSection(flow, findings(flow))).join('\n');
  return `<section class="flows-view" id="flows" aria-labelledby="flows-title">
<h2 id="flows-title">Flows</h2>
<p class="note">${plural(emails, 'email')} in ${plural(flows.length, 'flow')}, in the order subscribers receive them: the wait before each email, its subject and preview text as sent (the step's own, else the template's), and every A/B variant. The body of each email is its template, shown under Templates.</p>
${body}
</section>`;
}

function flowSection(flow: FlowPreview, findings: string): string {
  const facts = [
    `<span class="status">${escapeHtml(flow.status)}</span>`,
    `<code>${escapeHtml(flow.source)}</code>`,
    ...(flow.blueprint ? [`extends <code>${escapeHtml(flow.blueprint)}</code>`] : []),
  ].join(' · ');
  return `<section class="flow" id="${flowAnchor(flow)}" data-brand="${escapeHtml(flow.brand)}" data-flow="${escapeHtml(flow.key)}">
<h3>${escapeHtml(flow.name)} <code>${escapeHtml(flow.key)}</code> <span class="brand-name">${escapeHtml(flow.brandName)}</span></h3>
<p class="flow-facts">${facts}</p>
${findings}
<ol class="flow-emails">
${flow.emails.map((email, i) => emailItem(flow, email, i === 0)).join('\n')}
</ol>
</section>`;
}

function emailItem(flow: FlowPreview, email: FlowEmailPreview, first: boolean): string {
  const test = email.abTest
    ? ` · A/B test: ${escapeHtml(email.abTest.name)} <span class="muted">(winner by ${escapeHtml(email.abTest.winnerMetric.replace(/-/g, ' '))}${email.abTest.autoWinner ? ', picked automatically' : ''})</span>`
    : '';
  const branches = email.branches.length
    ? `<p class="branch">Only when ${email.branches
        .map((b) => `${escapeHtml(b.label)} <strong>${b.arm === 'then' ? 'yes' : 'no'}</strong>`)
        .join(', then ')}</p>`
    : '';
  return `<li class="flow-email" id="${flowEmailAnchor(flow, email)}" data-step="${escapeHtml(email.step)}">
<p class="delay">${escapeHtml(describeDelay(email.delay, first))}</p>
<h4>Step <code>${escapeHtml(email.step)}</code>${test}</h4>
${branches}
<div class="variants">
${email.variants.map((v) => variantCard(flow, email, v)).join('\n')}
</div>
</li>`;
}

function variantCard(flow: FlowPreview, email: FlowEmailPreview, v: FlowVariantPreview): string {
  const title = v.label ? `Variant ${v.label} · ${v.share}%` : 'Email';
  const from = `${escapeHtml(email.sender.fromLabel)} &lt;${escapeHtml(email.sender.fromEmail)}&gt;`;
  const source = (line: FlowVariantPreview['subject']) =>
    `<span class="muted">(${line.from === 'step' ? 'set by the step' : "the template's"})</span>`;
  const template = `<a href="#${escapeHtml(`email-${flow.brand}-${v.template}`)}">template <code>${escapeHtml(v.template)}</code></a>`;
  const facts: Array<[string, string]> = [];
  if (v.status === 'rendered') {
    facts.push(['Subject', `${escapeHtml(v.subjectLine)} ${source(v.subject)}`]);
    facts.push([
      'Preview text',
      `${v.previewLine ? escapeHtml(v.previewLine) : '<em>none</em>'} ${source(v.previewText)}`,
    ]);
  }
  facts.push(['From', from]);
  if (email.sender.replyTo) facts.push(['Reply to', escapeHtml(email.sender.replyTo)]);
  facts.push(['Body', template]);
  facts.push(['Message', escapeHtml(v.name)]);
  const inbox =
    v.status === 'rendered'
      ? `<p class="inbox"><span class="sender">${escapeHtml(email.sender.fromLabel)}</span> <span class="subject">${escapeHtml(v.subjectLine)}</span>${v.previewLine ? ` <span class="preheader">${escapeHtml(v.previewLine)}</span>` : ''}</p>`
      : `<p class="no-preview">No preview: ${escapeHtml(v.reason)}</p>`;
  return `<article class="flow-variant ${v.status}"${v.label ? ` data-variant="${v.label}"` : ''} aria-label="${escapeHtml(`${email.step}: ${title}`)}">
<p class="variant-title">${escapeHtml(title)}</p>
${inbox}
<dl>${facts.map(([t, d]) => `<dt>${t}</dt><dd>${d}</dd>`).join('')}</dl>
</article>`;
}

/** "Wait 2 days, until 10:00 on Mon or Tue, then 3 hours": the delays as a marketer reads them. */
export function describeDelay(delays: readonly FlowDelay[], first: boolean): string {
  if (delays.length === 0) return first ? 'As soon as the flow starts' : 'Right after the previous email';
  return `Wait ${delays.map(oneDelay).join(', then ')}`;
}

function oneDelay(delay: FlowDelay): string {
  const unit = delay.amount === 1 ? delay.unit.replace(/s$/, '') : delay.unit;
  const until = delay.until;
  if (!until) return `${delay.amount} ${unit}`;
  const days = until.weekdays?.length
    ? ` on ${until.weekdays.map((d) => d.slice(0, 1).toUpperCase() + d.slice(1, 3)).join(', ')}`
    : '';
  return `${delay.amount} ${unit}, until ${until.time ?? 'the day starts'}${days}`;
}

/** For each template (`brand/key`), the flow email variants that send it. */
export function flowUsesByTemplate(flows: readonly FlowPreview[]): Map<string, FlowUse[]> {
  const uses = new Map<string, FlowUse[]>();
  for (const flow of flows)
    for (const email of flow.emails)
      for (const v of email.variants) {
        const list = uses.get(v.preview) ?? [];
        list.push({
          anchor: flowEmailAnchor(flow, email),
          label: `${flow.name} › ${email.step}${v.label ? ` (variant ${v.label})` : ''}`,
        });
        uses.set(v.preview, list);
      }
  return uses;
}

function flowAnchor(flow: FlowPreview): string {
  return escapeHtml(`flow-${flow.brand}-${flow.key}`);
}

function flowEmailAnchor(flow: FlowPreview, email: Pick<FlowEmail, 'step'>): string {
  return escapeHtml(`flow-email-${flowEmailId(flow, email).replace(/\//g, '-')}`);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export const FLOWS_STYLE = `
nav.views { margin: 0 0 16px; font-weight: 600; }
.flows-view { margin: 0 0 40px; }
section.flow { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 16px; margin: 0 0 24px; }
.brand-name, .muted { color: var(--muted); font-weight: normal; }
.flow-facts { margin: 0 0 8px; color: var(--muted); }
ol.flow-emails { list-style: none; margin: 0; padding: 0; }
li.flow-email { border-left: 3px solid var(--line); margin: 0 0 0 8px; padding: 0 0 16px 16px; }
li.flow-email h4 { margin: 4px 0 6px; font-size: 15px; }
.delay { margin: 0; color: var(--muted); font-style: italic; }
.branch { margin: 0 0 6px; }
.variants { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
article.flow-variant { flex: 1 1 320px; max-width: 560px; border: 1px solid var(--line); border-radius: 6px; padding: 12px; background: var(--paper); }
article.flow-variant.failed { border-color: var(--error); }
.variant-title { margin: 0 0 6px; font-weight: 700; }
p.inbox { margin: 0 0 8px; padding: 8px 10px; background: #fff; border: 1px solid var(--line); border-radius: 4px; overflow-wrap: anywhere; }
p.inbox .sender { font-weight: 700; margin-right: 8px; }
p.inbox .subject { font-weight: 600; }
p.inbox .preheader { color: var(--muted); }
p.inbox .preheader::before { content: "– "; }
`.trim();
