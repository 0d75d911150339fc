/**
 * The plain-text part generated from the HTML when a template has no `.txt`. html-to-text with no wrapping
 * (wrapping splits Klaviyo tags across lines), no upper-casing (it would turn `{{ first_name }}` into
 * `{{ FIRST_NAME }}`), layout tables read as blocks, images and hidden preheaders left out. Every Klaviyo tag
 * is swapped for a plain token before conversion and put back after, so tags survive byte for byte, including
 * the unsubscribe link.
 */
import { convert, type FormatCallback, type HtmlToTextOptions } from 'html-to-text';
import { lex } from './klaviyo-language/lexer.js';

/**
 * A link prints as `text [url]`, or just `text` when the text is the URL. A link with no text (an image link,
 * its image left out) prints nothing, where html-to-text would print a bare URL.
 */
const linkWithText: FormatCallback = (elem, walk, builder) => {
  const href = (elem.attribs?.href ?? '').replace(/^mailto:/, '');
  if (!href) {
    walk(elem.children, builder);
    return;
  }
  let text = '';
  builder.pushWordTransform((word) => {
    text += word;
    return word;
  });
  walk(elem.children, builder);
  builder.popWordTransform();
  if (text && text !== href) builder.addInline(` [${href}]`, { noWordTransform: true });
};

const OPTIONS: HtmlToTextOptions = {
  wordwrap: false,
  formatters: { linkWithText },
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: '[style*="display:none"]', format: 'skip' },
    { selector: '[style*="display: none"]', format: 'skip' },
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
    ...['table', 'tbody', 'thead', 'tfoot', 'tr', 'td', 'th'].map((selector) => ({
      selector,
      format: 'block',
    })),
    { selector: 'a', format: 'linkWithText' },
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
  const tidy = restored
    .replace(/[^\S\n]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return `${tidy}\n`;
}
