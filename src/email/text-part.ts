/**
 * The plain-text part generated from the HTML when a template has no `.txt`. html-to-text with no wrapping
 * (wrapping splits Klaviyo tags across lines), no upper-casing (it would turn `{{ first_name }}` into
 * `{{ FIRST_NAME }}`), layout tables read as blocks, images and hidden preheaders left out. Every Klaviyo tag
 * is swapped for a plain token before conversion and put back after, so tags survive byte for byte, including
 * the unsubscribe link.
 */
import { convert, type HtmlToTextOptions } from 'html-to-text';
import { lex } from './klaviyo-language/lexer.js';

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: '[style*="display:none"]', format: 'skip' },
    { selector: '[style*="display: none"]', format: 'skip' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    ...['table', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th'].map((selector) => ({
      selector,
      format: 'block',
    })),
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
  ],
};

export function generateTextPart(html: string): string {
  let prefix = 'klvtag';
  while (html.includes(prefix)) prefix += 'q';
  const tags: string[] = [];
  let protectedHtml = '';
  let from = 0;
  for (const token of lex(html).tokens) {
    if (token.type === 'text') continue;
    protectedHtml += html.slice(from, token.start) + `${prefix}${tags.length}z`;
    tags.push(html.slice(token.start, token.end));
    from = token.end;
  }
  protectedHtml += html.slice(from);
  const text = convert(protectedHtml, OPTIONS);
  const restored = text.replace(
    new RegExp(`${prefix}(\\d+)z`, 'g'),
    (match, index: string) => tags[Number(index)] ?? match,
  );
  return `${restored.replace(/[ \t]+$/gm, '').trim()}\n`;
}
