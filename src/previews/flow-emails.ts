/**
 * What each flow sends, as a subscriber meets it: the send-email steps in step order, each with the waits
 * before it, the branch it sits on, the sender, and per A/B variant the subject and preview text actually sent
 * (the step's override, else the template's: the same rule compile applies to the flow message). Pure: a loaded
 * flow in, data out; rendering the lines with sample data is render-flows.ts.
 */
import type { BrandConfig, EmailStep, LoadedFlow, LoadedTemplate, Step, Weekday } from '../project/model.js';
import { assignStepKeys } from '../project/steps.js';
import type { YamlPath } from '../project/yaml-source.js';

/** One wait step on the way to an email. */
export interface FlowDelay {
  /** The wait's step key. */
  step: string;
  amount: number;
  unit: 'minutes' | 'hours' | 'days';
  /** Then held until this local time (`HH:MM`) and/or one of these weekdays. */
  until?: { time?: string; weekdays?: Weekday[] };
}

/** A split the email sits behind: it is only sent on this arm. */
export interface FlowBranch {
  /** The split's step key. */
  step: string;
  /** The split's name, else its key. */
  label: string;
  /** `then`: the condition holds; `else`: it does not. */
  arm: 'then' | 'else';
}

/** A line of the inbox and where its text comes from. */
export interface InboxText {
  /** As written (Klaviyo tags unrendered). */
  written: string;
  /** `step`: the flow step overrides the template; `template`: the template's front matter. */
  from: 'step' | 'template';
  /** Where a step's override was written, for findings about it. */
  at?: { file: string; line: number; col: number };
}

export interface FlowEmailVariant {
  /** `A`, `B`, ... for an A/B test; empty for a plain email step. */
  label: string;
  /** Share of the step's recipients, in percent (Klaviyo splits evenly: compile sends no allocations). */
  share: number;
  /** The template key the email sends. */
  template: string;
  /** The message name in Klaviyo (the step's, else the template's, else the template key). */
  name: string;
  subject: InboxText;
  previewText: InboxText;
  /** Where the variant's `email:` was written. */
  line: number;
}

export interface FlowEmail {
  /** The step key: its `id` as written in the YAML, else the generated `email-<n>` / `ab-test-<n>`. */
  step: string;
  /** Display path of the file the step was written in (the blueprint's, for a flow that extends one). */
  file: string;
  line: number;
  /** The waits since the previous email on the same path (or since the flow started), in order. */
  delay: FlowDelay[];
  /** The splits on the path to this email, outermost first. */
  branches: FlowBranch[];
  sender: { fromLabel: string; fromEmail: string; replyTo?: string };
  /** Set for an A/B test step. */
  abTest?: { name: string; winnerMetric: string; autoWinner: boolean };
  /** One for a plain email step; every email variant of an A/B test. */
  variants: FlowEmailVariant[];
}

/** The flow's email steps in step order (a step, then its `then` branch, then its `else` branch). */
export function flowEmails(
  flow: LoadedFlow,
  brand: BrandConfig,
  templates: ReadonlyMap<string, LoadedTemplate>,
): FlowEmail[] {
  const keys = assignStepKeys(flow.value.steps);
  const sender = {
    fromLabel: brand.sender.from_label,
    fromEmail: brand.sender.from_email,
    ...(brand.sender.reply_to_email !== undefined ? { replyTo: brand.sender.reply_to_email } : {}),
  };
  const out: FlowEmail[] = [];
  const where = (path: YamlPath) => {
    const { file, line, col } = flow.at(path);
    return { file, line, col };
  };

  const variant = (email: EmailStep, path: YamlPath, label: string, share: number): FlowEmailVariant => {
    const front = templates.get(email.template)?.frontMatter;
    // The same fallbacks as compile's flow message, so the preview shows what Klaviyo is sent.
    return {
      label,
      share,
      template: email.template,
      name: email.name ?? front?.name ?? email.template,
      subject: inboxText(email.subject, front?.subject, () => where([...path, 'subject'])),
      previewText: inboxText(email.preview_text, front?.preview_text, () => where([...path, 'preview_text'])),
      line: flow.at(path).line,
    };
  };

  const visit = (steps: Step[], path: YamlPath, waits: FlowDelay[], branches: FlowBranch[]): void => {
    let pending = waits;
    steps.forEach((step, i) => {
      const here = [...path, i];
      const key = keys.get(step)!;
      const at = flow.at(here);
      const email = { step: key, file: at.file, line: at.line, delay: pending, branches, sender };
      if (step.wait) {
        pending = [...pending, delayOf(key, step.wait)];
      } else if (step.email) {
        out.push({ ...email, variants: [variant(step.email, [...here, 'email'], '', 100)] });
        pending = [];
      } else if (step.ab_test) {
        const test = step.ab_test;
        const emails = test.variants.flatMap((v, n) => (v.email ? [{ email: v.email, n }] : []));
        if (emails.length === 0) return;
        const shares = evenShares(test.variants.length);
        out.push({
          ...email,
          abTest: {
            name: test.name ?? `${flow.value.name}: ${key}`,
            winnerMetric: test.winner_metric ?? 'unique-clicks',
            autoWinner: test.auto_winner ?? true,
          },
          variants: emails.map(({ email: e, n }) =>
            variant(e, [...here, 'ab_test', 'variants', n, 'email'], variantLabel(n), shares[n]!),
          ),
        });
        pending = [];
      } else {
        const split = step.split ?? step.trigger_split;
        if (!split) return;
        const kind = step.split ? 'split' : 'trigger_split';
        const label = split.name ?? key;
        const arm = (name: 'then' | 'else'): FlowBranch[] => [...branches, { step: key, label, arm: name }];
        visit(split.then ?? [], [...here, kind, 'then'], pending, arm('then'));
        visit(split.else ?? [], [...here, kind, 'else'], pending, arm('else'));
      }
    });
  };
  visit(flow.value.steps, ['steps'], [], []);
  return out;
}

function inboxText(
  override: string | undefined,
  fromTemplate: string | undefined,
  at: () => NonNullable<InboxText['at']>,
): InboxText {
  return override !== undefined
    ? { written: override, from: 'step', at: at() }
    : { written: fromTemplate ?? '', from: 'template' };
}

function delayOf(step: string, wait: NonNullable<Step['wait']>): FlowDelay {
  // Compile's rule: the one unit given (a wait with none is an error there; it counts as one day here).
  const unit = (['minutes', 'hours', 'days'] as const).find((u) => wait[u] !== undefined) ?? 'days';
  const delay: FlowDelay = { step, amount: Number(wait[unit] ?? 1), unit };
  if (wait.until) delay.until = { ...wait.until };
  return delay;
}

/** Whole percents that add up to 100, the first variants taking the remainder. */
export function evenShares(count: number): number[] {
  const base = Math.floor(100 / count);
  return Array.from({ length: count }, (_, i) => base + (i < 100 - base * count ? 1 : 0));
}

function variantLabel(index: number): string {
  return String.fromCharCode(65 + index);
}
