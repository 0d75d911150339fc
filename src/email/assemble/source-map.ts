/**
 * Where each character of an assembled email came from.
 *
 * Before Handlebars runs, every piece of literal content in the template, its layout and its partials is tagged
 * with an invisible marker (a Unicode noncharacter followed by three private-use characters numbering an entry
 * in a table of file:line:col). Handlebars copies content verbatim, so the markers travel through partials,
 * `[[#each]]` and `[[[body]]]` into the output, where they are removed and turned into this map. A position in
 * the output then maps to the source file, line and column it was written at. Text produced by a build-time
 * expression of the brand or the front matter (`[[brand.name]]`, `[[[template.subject]]]`) maps to where that
 * value is written (brand.yaml, the template's front matter) when the assembler is told, so a problem in a
 * subject is reported at the template that wrote it, not at the layout that inserted it. Other expressions
 * map to the content just before them, so they land on the right line.
 */
import type { SourcePosition } from '../diagnostic.js';

/** U+FDD0 is a noncharacter: it never occurs in real text, so it can open a marker unambiguously. */
export const MARKER_LEAD = '\uFDD0';
const DIGIT_BASE = 0xe000;
const DIGIT_RANGE = 0x1000;
const MARKER_LENGTH = 4;

interface MarkerEntry {
  file: number;
  line: number;
  col: number;
  /** The build-time value (`template.subject`) whose text follows, for a marker placed before an expression. */
  value?: string;
}

/** Where a build-time value (`brand.tokens.logo_url`, `template.subject`) is written, if known. */
export type ValueLocator = (path: string) => SourcePosition | undefined;

/** A marker's position: `generated` when the text after it was produced by a value, not copied from a file. */
interface SpanPosition {
  position: SourcePosition;
  generated: boolean;
}

/** The table markers number into. One per assembler, shared by every output it produces. */
export class MarkerTable {
  private readonly files: string[] = [];
  private readonly fileIds = new Map<string, number>();
  private readonly entries: MarkerEntry[] = [];

  fileId(file: string): number {
    let id = this.fileIds.get(file);
    if (id === undefined) {
      id = this.files.length;
      this.files.push(file);
      this.fileIds.set(file, id);
    }
    return id;
  }

  /** A marker standing for `line:col` (1-based) of the file with id `file`, or for the value it inserts there. */
  marker(file: number, line: number, col: number, value?: string): string {
    const index = this.entries.length;
    this.entries.push(value === undefined ? { file, line, col } : { file, line, col, value });
    return (
      MARKER_LEAD +
      String.fromCharCode(DIGIT_BASE + (index % DIGIT_RANGE)) +
      String.fromCharCode(DIGIT_BASE + (Math.floor(index / DIGIT_RANGE) % DIGIT_RANGE)) +
      String.fromCharCode(DIGIT_BASE + Math.floor(index / (DIGIT_RANGE * DIGIT_RANGE)))
    );
  }

  position(index: number, locateValue?: ValueLocator): SpanPosition | undefined {
    const entry = this.entries[index];
    if (!entry) return undefined;
    const written = { file: this.files[entry.file] ?? '', line: entry.line, col: entry.col };
    if (entry.value === undefined) return { position: written, generated: false };
    return { position: locateValue?.(entry.value) ?? written, generated: true };
  }

  /**
   * Removes the markers from `text` and returns the clean text with the map of where its parts came from.
   * `locateValue` says where the brand's and the front matter's values are written.
   */
  strip(
    text: string,
    fallback: SourcePosition,
    locateValue?: ValueLocator,
  ): { text: string; map: AssembledSourceMap } {
    const offsets: number[] = [];
    const markers: number[] = [];
    let out = '';
    let from = 0;
    let at = text.indexOf(MARKER_LEAD);
    while (at !== -1) {
      out += text.slice(from, at);
      const index = decode(text, at);
      if (index === undefined) {
        // A U+FDD0 that came in through a build-time value, not a marker: keep it.
        out += MARKER_LEAD;
        from = at + 1;
        at = text.indexOf(MARKER_LEAD, from);
        continue;
      }
      // Two markers at the same output offset: the later one describes the text that follows.
      if (offsets.length > 0 && offsets[offsets.length - 1] === out.length) {
        markers[markers.length - 1] = index;
      } else {
        offsets.push(out.length);
        markers.push(index);
      }
      from = at + MARKER_LENGTH;
      at = text.indexOf(MARKER_LEAD, from);
    }
    out += text.slice(from);
    const positions = markers.map((marker) => this.position(marker, locateValue));
    return { text: out, map: new AssembledSourceMap(out, offsets, positions, fallback) };
  }
}

function decode(text: string, at: number): number | undefined {
  if (at + MARKER_LENGTH > text.length) return undefined;
  let index = 0;
  let scale = 1;
  for (let k = 1; k < MARKER_LENGTH; k += 1) {
    const digit = text.charCodeAt(at + k) - DIGIT_BASE;
    if (digit < 0 || digit >= DIGIT_RANGE) return undefined;
    index += digit * scale;
    scale *= DIGIT_RANGE;
  }
  return index;
}

/** A span of the output: where it starts, and the file, line and column it was written at. */
export type SourceSpan =
  | [offset: number, file: string, line: number, col: number]
  | [offset: number, file: string, line: number, col: number, generated: true]
  | [offset: number];

export interface SourceMapDescription {
  fallback: SourcePosition;
  spans: SourceSpan[];
}

/** Maps offsets (or 1-based line:col) in an assembled output back to the source files. */
export class AssembledSourceMap {
  private lineStarts: number[] | undefined;

  constructor(
    private readonly output: string,
    private readonly offsets: readonly number[],
    private readonly positions: ReadonlyArray<SpanPosition | undefined>,
    private readonly fallback: SourcePosition,
  ) {}

  /** The source position of the character at `offset` in the output. */
  locate(offset: number): SourcePosition {
    let lo = 0;
    let hi = this.offsets.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.offsets[mid]! <= offset) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found === -1) return { ...this.fallback };
    const start = this.offsets[found]!;
    const span = this.positions[found];
    if (!span) return { ...this.fallback };
    const { position } = span;
    // A value's text does not follow its YAML column for column: the value's own position it is.
    if (span.generated) return { ...position };
    const newline = this.output.lastIndexOf('\n', offset - 1);
    // A newline between the marker and the offset came from a build-time value: stay on the marker's line.
    if (newline >= start) return position;
    return { ...position, col: position.col + (offset - start) };
  }

  /**
   * Everything `locate` answers from, apart from the output text, as plain data: each span's start offset and
   * the position it maps to (no position: the fallback). Two maps with equal descriptions locate alike, so a
   * result that carries source positions can be cached under it.
   */
  describe(): SourceMapDescription {
    const spans = this.offsets.map((offset, i): SourceSpan => {
      const span = this.positions[i];
      if (!span) return [offset];
      const { file, line, col } = span.position;
      return span.generated ? [offset, file, line, col, true] : [offset, file, line, col];
    });
    return { fallback: { ...this.fallback }, spans };
  }

  /** The source position of 1-based `line:col` in the output. */
  locateLineCol(line: number, col: number): SourcePosition {
    return this.locate(this.offsetOf(line, col));
  }

  /** The offset of 1-based `line:col` in the output. */
  offsetOf(line: number, col: number): number {
    if (!this.lineStarts) {
      const starts = [0];
      for (let i = this.output.indexOf('\n'); i !== -1; i = this.output.indexOf('\n', i + 1))
        starts.push(i + 1);
      this.lineStarts = starts;
    }
    const start = this.lineStarts[Math.max(0, Math.min(line - 1, this.lineStarts.length - 1))] ?? 0;
    return Math.min(this.output.length, start + Math.max(0, col - 1));
  }
}
