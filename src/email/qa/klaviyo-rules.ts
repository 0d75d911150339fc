/** The Klaviyo template language in every part of the email: syntax, and variables the sample lacks. */
import { parseKlaviyoTemplate, renderKlaviyoTemplate, type ParseResult } from '../klaviyo-language/index.js';
import { buildPreviewContext } from '../preview/context.js';
import type { SourcePosition } from '../diagnostic.js';
import type { Finding, QaContext, QaRule } from './types.js';

interface Part {
  name: 'HTML' | 'text part' | 'subject' | 'preview text';
  source: string;
  locate: (offset: number) => SourcePosition;
  html: boolean;
}

function parts(context: QaContext): Part[] {
  const { input } = context;
  const out: Part[] = [{ name: 'HTML', source: input.html.content, locate: context.locateHtml, html: true }];
  if (input.text)
    out.push({ name: 'text part', source: input.text.content, locate: context.locateText, html: false });
  for (const [key, name] of [
    ['subject', 'subject'],
    ['preview_text', 'preview text'],
  ] as const) {
    const value = input.frontMatter[key];
    if (typeof value !== 'string') continue;
    const at = input.frontMatterPositions?.[key] ?? { line: context.fileStart.line, col: 1 };
    out.push({ name, source: value, locate: () => ({ file: input.templateFile, ...at }), html: false });
  }
  return out;
}

/**
 * Only the text part says which part it is. A subject or preview text finding is already at its key in the
 * front matter; unlabelled, the same problem found again in the HTML a layout inserted the value into (the
 * source map places that at the key too) is the same finding, and is reported once.
 */
function labelled(part: Part, message: string): string {
  return part.name === 'text part' ? `${part.name}: ${message}` : message;
}

const cache = new WeakMap<QaContext, Map<string, ParseResult>>();

function parse(context: QaContext, part: Part): ParseResult {
  let results = cache.get(context);
  if (!results) cache.set(context, (results = new Map()));
  let result = results.get(part.name);
  if (!result) {
    result = parseKlaviyoTemplate(part.source, { file: context.input.templateFile, locate: part.locate });
    results.set(part.name, result);
  }
  return result;
}

export const klaviyoSyntax: QaRule = {
  id: 'klaviyo-syntax',
  defaultSeverity: 'error',
  description: "Klaviyo's {{ }} and {% %} tags parse: known tags and filters, balanced blocks.",
  check(context) {
    const findings: Finding[] = [];
    for (const part of parts(context)) {
      for (const d of parse(context, part).diagnostics) {
        const finding: Finding = {
          at: { file: d.file, line: d.line, col: d.col },
          message: labelled(part, d.message),
          severity: d.severity,
        };
        if (d.fix !== undefined) finding.fix = d.fix;
        findings.push(finding);
      }
    }
    return findings;
  },
};

export const unresolvedVariable: QaRule = {
  id: 'unresolved-variable',
  defaultSeverity: 'warning',
  description:
    'Variables the template uses that its sample does not provide (they render empty in Klaviyo when missing).',
  check(context) {
    const sample = context.input.sample;
    if (!sample) return [];
    const data = buildPreviewContext(sample, context.input.brand);
    const findings: Finding[] = [];
    for (const part of parts(context)) {
      const { ast } = parse(context, part);
      if (!ast) continue;
      const { warnings } = renderKlaviyoTemplate(ast, data, {
        sampleName: sample.name,
        autoescape: part.html,
        mode: part.html ? 'html' : 'text',
        catalog: sample.catalog ?? {},
        coupons: sample.coupons ?? {},
      });
      for (const w of warnings) {
        findings.push({
          at: { file: w.file, line: w.line, col: w.col },
          message: labelled(part, w.message),
          fix:
            w.kind === 'unresolved-variable'
              ? `add it to samples/${sample.name}.yaml, or give it a fallback with |default:'…'`
              : `add it to samples/${sample.name}.yaml`,
        });
      }
    }
    return findings;
  },
};
