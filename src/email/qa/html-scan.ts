/** The elements of an email with their attributes and offsets, read once and shared by the markup rules. */
import { Parser } from 'htmlparser2';

export interface HtmlElement {
  name: string;
  attributes: Record<string, string>;
  /** Offset of the element's `<` in the HTML. */
  start: number;
}

export function scanElements(html: string): HtmlElement[] {
  const elements: HtmlElement[] = [];
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        elements.push({ name, attributes: { ...attributes }, start: parser.startIndex });
      },
    },
    { lowerCaseTags: true, lowerCaseAttributeNames: true, decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return elements;
}

/** Visible text of the HTML, whitespace collapsed: for literal checks like the postal address. */
export function visibleText(html: string): string {
  const parts: string[] = [];
  let skip = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (name === 'style' || name === 'script' || name === 'head' || name === 'title') skip += 1;
        parts.push(' ');
      },
      onclosetag(name) {
        if ((name === 'style' || name === 'script' || name === 'head' || name === 'title') && skip > 0)
          skip -= 1;
        parts.push(' ');
      },
      ontext(text) {
        if (skip === 0) parts.push(text);
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return parts.join('').replace(/\s+/g, ' ').trim();
}
