/**
 * A quick look at which `{% tags %}` and `{{ variables }}` a template uses, without parsing it fully: enough
 * for compliance checks, and it works on templates that still have syntax errors.
 */
import { lex } from './lexer.js';

export interface TagUse {
  kind: 'block' | 'variable';
  /** The tag name (`unsubscribe`) or the variable expression as written (`organization.full_address|safe`). */
  name: string;
  offset: number;
}

export function scanTags(source: string): TagUse[] {
  const uses: TagUse[] = [];
  let inComment = false;
  for (const token of lex(source).tokens) {
    if (token.type === 'text' || token.type === 'comment') continue;
    const inner = source.slice(token.innerStart, token.innerEnd).trim();
    if (token.type === 'block') {
      const name = /^\S*/.exec(inner)![0];
      if (inComment) {
        if (name === 'endcomment') inComment = false;
        continue;
      }
      if (name === 'comment') {
        inComment = true;
        continue;
      }
      uses.push({ kind: 'block', name, offset: token.start });
    } else if (!inComment) {
      uses.push({ kind: 'variable', name: inner, offset: token.start });
    }
  }
  return uses;
}
