/** What the law and Klaviyo require of a marketing email: an unsubscribe link and a postal address. */
import { scanTags } from '../klaviyo-language/tag-scan.js';
import { visibleText } from './html-scan.js';
import type { Finding, QaContext, QaRule } from './types.js';

const UNSUBSCRIBE_TAGS = new Set(['unsubscribe', 'unsubscribe_link', 'unsubscribe_url']);

function hasUnsubscribe(source: string): boolean {
  return scanTags(source).some((t) => t.kind === 'block' && UNSUBSCRIBE_TAGS.has(t.name));
}

function transactionalNote(context: QaContext): string {
  return context.input.frontMatter.transactional === true && !context.input.transactionalAllowed
    ? ' (transactional: true does not apply: the template is not listed in transactional_templates)'
    : '';
}

export const unsubscribeRequired: QaRule = {
  id: 'unsubscribe-required',
  defaultSeverity: 'error',
  description:
    'Every marketing email has an unsubscribe link in its HTML and its text part (CAN-SPAM, Klaviyo).',
  check(context) {
    if (context.transactional) return [];
    const findings: Finding[] = [];
    const { html, text } = context.input;
    if (!hasUnsubscribe(html.content)) {
      findings.push({
        at: context.fileStart,
        message: `the HTML has no unsubscribe link${transactionalNote(context)}`,
        fix: `add {% unsubscribe %} or <a href="{% unsubscribe_link %}">Unsubscribe</a> to the footer`,
      });
    }
    if (text && !hasUnsubscribe(text.content)) {
      findings.push({
        at: { file: text.file, line: 1, col: 1 },
        message: `the plain-text part has no unsubscribe link${transactionalNote(context)}`,
        fix: 'add a line like "Unsubscribe: {% unsubscribe_link %}"',
      });
    }
    return findings;
  },
};

/** Lowercase words and digits only, so "410 Alder St.,<br>Bend" matches "410 alder st bend". */
function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export const postalAddressRequired: QaRule = {
  id: 'postal-address-required',
  defaultSeverity: 'error',
  description: "Every marketing email shows the brand's postal address (CAN-SPAM, CASL).",
  check(context) {
    if (context.transactional) return [];
    const html = context.input.html.content;
    const usesTag = scanTags(html).some(
      (t) => t.kind === 'variable' && /^organization\.full_address\b/.test(t.name),
    );
    if (usesTag) return [];
    const address = context.input.brand.postal_address;
    if (
      address &&
      normalise(address) !== '' &&
      ` ${normalise(visibleText(html))} `.includes(` ${normalise(address)} `)
    ) {
      return [];
    }
    return [
      {
        at: context.fileStart,
        message: address
          ? `the email does not show the brand's postal address (${address})`
          : 'the email does not show a postal address',
        fix: 'add {{ organization.full_address }} or [[brand.postal_address]] to the footer',
      },
    ];
  },
};
