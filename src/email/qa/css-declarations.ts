/**
 * The CSS declarations an email actually writes, in `style` attributes and `<style>` blocks, with the offset of
 * each property name in the HTML. The client-support rule checks caniemail's matches against them: caniemail
 * matches a property title as a substring of the property (`transform` in `text-transform`), so a feature is
 * only reported when a declaration names exactly that property.
 */

export interface CssDeclaration {
  /** Lower-cased property name, e.g. `text-transform`. */
  property: string;
  value: string;
  /** Offset of the property name in the HTML. */
  offset: number;
}

/** Comments blanked out at the same length, so offsets still match. */
function withoutComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?(\*\/|$)/g, (comment) => comment.replace(/[^\n]/g, ' '));
}

/** `prop: value; prop: value` starting at `base` in the HTML. */
function declarationsIn(list: string, base: number, out: CssDeclaration[]): void {
  const declaration = /([^;:]*):([^;]*)/g;
  for (let m = declaration.exec(list); m; m = declaration.exec(list)) {
    const raw = m[1]!;
    const name = raw.trim();
    if (!/^-?[a-z][a-z0-9-]*$/i.test(name)) continue;
    out.push({
      property: name.toLowerCase(),
      value: m[2]!.trim(),
      offset: base + m.index + raw.indexOf(name),
    });
  }
}

const STYLE_ATTRIBUTE = /\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
const STYLE_BLOCK = /<style\b[^>]*>/gi;

export function cssDeclarations(html: string): CssDeclaration[] {
  const out: CssDeclaration[] = [];
  for (let m = STYLE_ATTRIBUTE.exec(html); m; m = STYLE_ATTRIBUTE.exec(html)) {
    const value = m[1] ?? m[2] ?? '';
    declarationsIn(withoutComments(value), m.index + m[0].length - value.length - 1, out);
  }
  STYLE_ATTRIBUTE.lastIndex = 0;
  const lower = html.toLowerCase();
  for (let m = STYLE_BLOCK.exec(html); m; m = STYLE_BLOCK.exec(html)) {
    const start = m.index + m[0].length;
    const close = lower.indexOf('</style', start);
    const end = close === -1 ? html.length : close;
    const css = withoutComments(html.slice(start, end));
    // Only the innermost braces hold declarations: `@media (...) { .a { color: red } }`.
    const block = /\{([^{}]*)\}/g;
    for (let b = block.exec(css); b; b = block.exec(css)) declarationsIn(b[1]!, start + b.index + 1, out);
    STYLE_BLOCK.lastIndex = end;
  }
  STYLE_BLOCK.lastIndex = 0;
  return out;
}
