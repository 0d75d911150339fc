/** Rules about sizes: the HTML's weight (Gmail clips) and the length of the subject and preview text. */
import { parseKlaviyoTemplate, renderKlaviyoTemplate } from '../klaviyo-language/index.js';
import { buildPreviewContext } from '../preview/context.js';
import type { QaContext, QaRule } from './types.js';

const KB = 1024;

export const sizeBudget: QaRule = {
  id: 'size-budget',
  defaultSeverity: 'error',
  description: 'The HTML stays under the size Gmail clips at (102 KB), with a warning before it.',
  check(context) {
    const { budgets } = context.input;
    const warnAt = (budgets?.size_warning_kb ?? 90) * KB;
    const failAt = (budgets?.size_error_kb ?? 102) * KB;
    const bytes = Buffer.byteLength(context.input.html.content, 'utf8');
    const size = `${(bytes / KB).toFixed(1)} KB`;
    const fix =
      'move repeated styles into a <style> block, drop unused CSS and markup, and shorten long URLs';
    if (bytes > failAt) {
      return [
        {
          at: context.fileStart,
          message: `the HTML is ${size}, over the ${failAt / KB} KB budget: Gmail clips it`,
          fix,
        },
      ];
    }
    if (bytes > warnAt) {
      return [
        {
          at: context.fileStart,
          severity: 'warning',
          message: `the HTML is ${size}, close to the ${failAt / KB} KB budget (warning at ${warnAt / KB} KB); Klaviyo's link tracking adds more`,
          fix,
        },
      ];
    }
    return [];
  },
};

/** The text as a recipient sees it: rendered with the sample when there is one, tags dropped otherwise. */
function visibleLength(context: QaContext, source: string): { length: number; rendered: boolean } {
  const sample = context.input.sample;
  if (sample) {
    const parsed = parseKlaviyoTemplate(source, { file: context.input.templateFile });
    if (parsed.ast) {
      const { output } = renderKlaviyoTemplate(parsed.ast, buildPreviewContext(sample, context.input.brand), {
        autoescape: false,
        mode: 'text',
        catalog: sample.catalog ?? {},
      });
      return { length: Array.from(output).length, rendered: true };
    }
  }
  const stripped = source.replace(/\{\{[^}]*\}\}|\{%[^%]*%\}|\{#[^#]*#\}/g, '');
  return { length: Array.from(stripped).length, rendered: false };
}

function lengthRule(
  id: 'subject-length' | 'preview-text-length',
  key: 'subject' | 'preview_text',
  what: string,
  max: (c: QaContext) => number,
  advice: string,
): QaRule {
  return {
    id,
    defaultSeverity: 'warning',
    description: `The ${what} fits the inbox: at most ${id === 'subject-length' ? 60 : 110} characters by default.`,
    check(context) {
      const value = context.input.frontMatter[key];
      if (typeof value !== 'string') return [];
      const limit = max(context);
      const { length, rendered } = visibleLength(context, value);
      if (length <= limit) return [];
      const at = context.input.frontMatterPositions?.[key];
      return [
        {
          at: at ? { file: context.input.templateFile, ...at } : context.fileStart,
          message: `the ${what} is ${length} characters${rendered ? ` with sample '${context.input.sample?.name}'` : ' (not counting personalisation)'}, over ${limit}`,
          fix: advice,
        },
      ];
    },
  };
}

export const subjectLength = lengthRule(
  'subject-length',
  'subject',
  'subject',
  (c) => c.input.budgets?.subject_max ?? 60,
  'shorten it: mobile inboxes show about 40 characters',
);

export const previewTextLength = lengthRule(
  'preview-text-length',
  'preview_text',
  'preview text',
  (c) => c.input.budgets?.preview_text_max ?? 110,
  'shorten it: inboxes show about 90 characters after the subject',
);
