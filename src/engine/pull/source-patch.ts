/**
 * An edit of a built email (what Klaviyo holds) carried back into the file it was built from. The build's source
 * map says, for each character of the output, which file and line it came from (the template's body, its layout,
 * a partial). When every changed line comes from the target file, the same lines are changed there; a changed
 * line that holds a build expression (`[[brand.name]]`) keeps the expression when only the text around it
 * changed. Anything else (an edit in the layout or a partial, or lines that do not map one to one) is refused
 * with the place it touched, and the caller decides what to do instead.
 */
import { diffArrays } from 'diff';
import { unsafeForBuild } from '../import/index.js';

/** Maps an offset of the built output to where it was written. */
export interface BuildSourceMap {
  locate(offset: number): { file: string; line: number; col: number };
}

export interface PatchTarget {
  /** Display path, as the source map names it. */
  file: string;
  text: string;
  /** 1-based: the first line of the file that belongs to the template (below its front matter). */
  firstLine: number;
}

export type SourcePatch =
  | {
      ok: true;
      text: string;
      /** 1-based lines of the target written, for the output. */
      lines: number[];
      notes: string[];
    }
  | { ok: false; reason: string; outside?: { file: string; line: number } };

interface Line {
  start: number;
  text: string;
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (const part of text.split('\n')) {
    lines.push({ start, text: part });
    start += part.length + 1;
  }
  return lines;
}

/** A build expression or block tag: `[[...]]`, `[[[...]]]`. */
const EXPRESSION = /\[\[\[[\s\S]*?\]\]\]|\[\[[\s\S]*?\]\]/g;

class Refusal {
  constructor(
    readonly reason: string,
    readonly outside?: { file: string; line: number },
  ) {}
}

export function patchSource(
  built: string,
  edited: string,
  map: BuildSourceMap,
  target: PatchTarget,
): SourcePatch {
  try {
    return new Patcher(built, map, target).patch(edited);
  } catch (error) {
    if (error instanceof Refusal)
      return { ok: false, reason: error.reason, ...(error.outside ? { outside: error.outside } : {}) };
    throw error;
  }
}

class Patcher {
  private readonly builtLines: Line[];
  private readonly source: string[];
  /** Source line (1-based) -> its new lines. */
  private readonly replaced = new Map<number, string[]>();
  private readonly insertedAfter = new Map<number, string[]>();
  private readonly notes: string[] = [];

  constructor(
    built: string,
    private readonly map: BuildSourceMap,
    private readonly target: PatchTarget,
  ) {
    this.builtLines = splitLines(built);
    this.source = target.text.split('\n');
  }

  patch(edited: string): SourcePatch {
    const newLines = edited.split('\n');
    let oldIndex = 0;
    const parts = diffArrays(
      this.builtLines.map((l) => l.text),
      newLines,
    );
    for (let p = 0; p < parts.length; p += 1) {
      const part = parts[p]!;
      if (!part.added && !part.removed) {
        oldIndex += part.count ?? part.value.length;
        continue;
      }
      // One hunk: removed lines, then added lines (either may be empty).
      let removed = 0;
      let added: string[] = [];
      while (p < parts.length && (parts[p]!.added || parts[p]!.removed)) {
        const q = parts[p]!;
        if (q.removed) removed += q.count ?? q.value.length;
        else added = [...added, ...q.value];
        p += 1;
      }
      p -= 1;
      this.hunk(oldIndex, removed, added);
      oldIndex += removed;
    }
    const out: string[] = [];
    const lines: number[] = [];
    this.insertedAfter.get(0)?.forEach((l) => out.push(l));
    this.source.forEach((text, i) => {
      const number = i + 1;
      const replacement = this.replaced.get(number);
      if (replacement) {
        out.push(...replacement);
        lines.push(number);
      } else out.push(text);
      const after = this.insertedAfter.get(number);
      if (after) {
        out.push(...after);
        lines.push(number);
      }
    });
    if (this.insertedAfter.has(0)) lines.unshift(this.target.firstLine);
    return {
      ok: true,
      text: out.join('\n'),
      lines: [...new Set(lines)].sort((a, b) => a - b),
      notes: this.notes,
    };
  }

  private hunk(at: number, removed: number, added: string[]): void {
    if (removed === added.length) {
      for (let k = 0; k < removed; k += 1) this.changeLine(at + k, added[k]!);
      return;
    }
    if (removed > 0) {
      const first = this.wholeLine(at);
      for (let k = 0; k < removed; k += 1) {
        const line = this.wholeLine(at + k);
        if (line !== first + k) throw new Refusal('the edited lines do not map one to one onto the source');
        if (this.source[line - 1] !== this.builtLines[at + k]!.text)
          throw new Refusal(`the edit removes or adds lines around a build expression (line ${line})`);
        this.set(this.replaced, line, k === 0 ? added.map(fromKlaviyo) : []);
      }
      return;
    }
    // Lines added between two output lines: after the source line before them, else before the one after.
    const before = at > 0 ? this.tryWholeLine(at - 1) : undefined;
    if (before !== undefined) return this.set(this.insertedAfter, before, added.map(fromKlaviyo));
    const after = at < this.builtLines.length ? this.tryWholeLine(at) : undefined;
    if (after !== undefined) return this.set(this.insertedAfter, after - 1, added.map(fromKlaviyo));
    throw new Refusal('lines were added outside the template', this.place(at > 0 ? at - 1 : at, 0));
  }

  private set(map: Map<number, string[]>, line: number, lines: string[]): void {
    if (map.has(line)) throw new Refusal(`two edits land on line ${line}`);
    map.set(line, lines);
  }

  /** One output line changed in place: only the characters that differ must come from the target. */
  private changeLine(index: number, next: string): void {
    const old = this.builtLines[index]!;
    let prefix = 0;
    while (prefix < old.text.length && prefix < next.length && old.text[prefix] === next[prefix]) prefix += 1;
    let suffix = 0;
    while (
      suffix < old.text.length - prefix &&
      suffix < next.length - prefix &&
      old.text[old.text.length - 1 - suffix] === next[next.length - 1 - suffix]
    )
      suffix += 1;
    const from = prefix;
    const to = old.text.length - suffix;
    // The characters replaced, or the two around an insertion.
    const probe = to > from ? range(from, to) : [from - 1, from].filter((c) => c >= 0 && c < old.text.length);
    const line = this.lineOf(old, probe.length > 0 ? probe : [0]);
    const source = this.source[line - 1] ?? '';
    const replacement = next.slice(from, next.length - suffix);
    this.set(this.replaced, line, [
      patchLine(source, old.text, from, to, replacement, next, line, this.notes),
    ]);
  }

  /** The target line all these characters of an output line come from; refuses any other file or line. */
  private lineOf(line: Line, columns: number[]): number {
    let found: number | undefined;
    for (const c of columns) {
      const at = this.map.locate(line.start + c);
      if (at.file !== this.target.file || at.line < this.target.firstLine)
        throw new Refusal(`the edit touched ${at.file}:${at.line}`, { file: at.file, line: at.line });
      if (found !== undefined && found !== at.line)
        throw new Refusal('one edited line comes from several source lines');
      found = at.line;
    }
    return found!;
  }

  private wholeLine(index: number): number {
    const line = this.builtLines[index]!;
    return this.lineOf(line, line.text.length > 0 ? range(0, line.text.length) : [0]);
  }

  private tryWholeLine(index: number): number | undefined {
    try {
      return this.wholeLine(index);
    } catch (error) {
      if (error instanceof Refusal) return undefined;
      throw error;
    }
  }

  private place(index: number, col: number): { file: string; line: number } {
    const line = this.builtLines[index];
    const at = this.map.locate((line?.start ?? 0) + col);
    return { file: at.file, line: at.line };
  }
}

/** Text taken from Klaviyo into a source file: refused when the build would read it as its own syntax. */
function fromKlaviyo(text: string): string {
  const unsafe = unsafeForBuild(text);
  if (unsafe) throw new Refusal(`the edited text cannot go into a template file: ${unsafe}`);
  return text;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/**
 * The source line with output characters [from, to) replaced. When the source line holds build expressions,
 * the change must fall in the literal text between them; otherwise the line is written as Klaviyo has it.
 */
function patchLine(
  source: string,
  built: string,
  from: number,
  to: number,
  replacement: string,
  whole: string,
  lineNumber: number,
  notes: string[],
): string {
  if (source === built) return fromKlaviyo(whole);
  const literals = source.split(EXPRESSION);
  const expressions = source.match(EXPRESSION) ?? [];
  const pattern = new RegExp(`^${literals.map(escapeRegExp).join('([\\s\\S]*?)')}$`, 'd');
  const match = pattern.exec(built);
  if (match?.indices) {
    // Where each literal piece starts in the output (after the value of the expression before it) and in the
    // source (after the expression itself).
    let sourceAt = 0;
    for (let i = 0; i < literals.length; i += 1) {
      const literal = literals[i]!;
      const start = i === 0 ? 0 : match.indices[i]![1];
      if (from >= start && to <= start + literal.length) {
        const s = sourceAt + (from - start);
        return source.slice(0, s) + fromKlaviyo(replacement) + source.slice(s + (to - from));
      }
      sourceAt += literal.length + (expressions[i]?.length ?? 0);
    }
  }
  notes.push(
    `line ${lineNumber}: the edit changed text a build expression writes; written as Klaviyo has it (${expressions.join(' ')} became text)`,
  );
  return fromKlaviyo(whole);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
