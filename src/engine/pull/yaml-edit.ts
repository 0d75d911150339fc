/**
 * Edits of a YAML file that keep everything they do not change: comments, key order, quoting, folded text,
 * flow or block style. The file is parsed with the `yaml` package's Document API, and only the nodes an edit
 * concerns are written again, in place (a scalar, a pair, a `{ ... }` collection); every other byte stays.
 * Re-printing the whole document instead would refold long text and re-space `[a, b]` lists all over the file.
 *
 * An edit says what the value at a path means now (`from`, as a converter spells it) and what it must become
 * (`to`). Only the parts that differ between the two are written, so a file may spell untouched parts its own
 * way (`within: alltime` or nothing, a subject taken from the template) and keeps them.
 */
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  Scalar,
  type Node,
  type Pair,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { deepEqual, isRecord } from '../normalize.js';

export type YamlPath = ReadonlyArray<string | number>;

export interface YamlChange {
  path: YamlPath;
  /** The value at `path` as the file means it now (undefined: absent or implied). */
  from: unknown;
  /** The value to write; undefined removes the key. */
  to: unknown;
}

export class YamlEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'YamlEditError';
  }
}

interface Splice {
  start: number;
  end: number;
  text: string;
}

const PRINT = { lineWidth: 0 } as const;

/** Applies the changes one after the other (each on the text the previous one left). */
export function editYaml(text: string, changes: readonly YamlChange[]): string {
  let current = text;
  for (const change of changes) current = editOnce(current, change);
  return current;
}

function parse(text: string): Document.Parsed {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new YamlEditError(`the file is not valid YAML: ${doc.errors[0]!.message}`);
  return doc;
}

function editOnce(text: string, change: YamlChange): string {
  const doc = parse(text);
  const editor = new Editor(text, doc);
  editor.at(change.path, change.from, change.to);
  const edited = editor.result();
  // The edit must leave valid YAML that holds every changed part of the new value where it was written.
  const written = valueAt(parse(edited).toJS(), change.path);
  for (const leaf of leafChanges(change.from, change.to)) {
    if (!deepEqual(valueAt(written, leaf.path), leaf.to))
      throw new YamlEditError(`could not write ${[...change.path, ...leaf.path].join('.')}`);
  }
  return edited;
}

function valueAt(value: unknown, path: YamlPath): unknown {
  let node = value;
  for (const step of path) {
    if (Array.isArray(node) && typeof step === 'number') node = node[step];
    else if (isRecord(node)) node = node[String(step)];
    else return undefined;
  }
  return node;
}

/** The parts that differ between two values, as paths into them (objects and same-length lists descend). */
export function leafChanges(
  from: unknown,
  to: unknown,
  path: YamlPath = [],
): Array<{ path: YamlPath; to: unknown }> {
  if (deepEqual(from, to)) return [];
  if (isRecord(from) && isRecord(to)) {
    return [...new Set([...Object.keys(from), ...Object.keys(to)])].flatMap((key) =>
      leafChanges(from[key], to[key], [...path, key]),
    );
  }
  if (Array.isArray(from) && Array.isArray(to) && from.length === to.length)
    return to.flatMap((value, i) => leafChanges(from[i], value, [...path, i]));
  return [{ path, to }];
}

type Slot = { kind: 'pair'; map: YAMLMap; pair: Pair } | { kind: 'item'; seq: YAMLSeq } | { kind: 'root' };

class Editor {
  private readonly splices: Splice[] = [];

  constructor(
    private readonly text: string,
    private readonly doc: Document.Parsed,
  ) {}

  /** The text with every splice made, back to front (insertions at one place keep the order they were made). */
  result(): string {
    const order = this.splices.map((splice, index) => ({ ...splice, index }));
    order.sort((a, b) => b.start - a.start || b.index - a.index);
    let out = this.text;
    let limit = Infinity;
    for (const s of order) {
      if (s.end > limit) throw new YamlEditError('two edits overlap');
      out = out.slice(0, s.start) + s.text + out.slice(s.end);
      limit = s.start;
    }
    return out;
  }

  /** Edits the value at `path`, creating the keys on the way when they do not exist. */
  at(path: YamlPath, from: unknown, to: unknown): void {
    let node: unknown = this.doc.contents;
    let slot: Slot = { kind: 'root' };
    for (let i = 0; i < path.length; i += 1) {
      const step = path[i]!;
      if (isMap(node) && !node.flow) {
        const pair = findPair(node, step);
        if (!pair) {
          if (to !== undefined) this.addPair(node, String(step), nest(path.slice(i + 1), to));
          return;
        }
        slot = { kind: 'pair', map: node, pair };
        node = pair.value;
      } else if (isSeq(node) && !node.flow && typeof step === 'number' && step < node.items.length) {
        slot = { kind: 'item', seq: node };
        node = node.items[step];
      } else if ((isMap(node) || isSeq(node)) && node.flow) {
        // Inside `{ ... }` or `[ ... ]`: the whole collection is written again.
        this.rewriteFlow(node, path.slice(i), from, to);
        return;
      } else {
        throw new YamlEditError(`${path.slice(0, i + 1).join('.')} is not in the file`);
      }
    }
    this.edit(node as Node | null, slot, from, to);
  }

  private edit(node: Node | null, slot: Slot, from: unknown, to: unknown): void {
    if (deepEqual(from, to)) return;
    if (to === undefined) {
      if (slot.kind === 'pair') this.removePair(slot.map, slot.pair);
      else throw new YamlEditError('cannot remove a list item or the whole document');
      return;
    }
    if ((isMap(node) || isSeq(node)) && node.flow) {
      this.rewriteFlow(node, [], from, to);
      return;
    }
    if (isMap(node) && isRecord(from) && isRecord(to)) {
      for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
        if (deepEqual(from[key], to[key])) continue;
        const pair = findPair(node, key);
        if (!pair) {
          if (to[key] !== undefined) this.addPair(node, key, to[key]);
          continue;
        }
        this.edit(pair.value as Node | null, { kind: 'pair', map: node, pair }, from[key], to[key]);
      }
      return;
    }
    if (
      isSeq(node) &&
      Array.isArray(from) &&
      Array.isArray(to) &&
      from.length === to.length &&
      node.items.length === to.length
    ) {
      to.forEach((value, i) =>
        this.edit(node.items[i] as Node | null, { kind: 'item', seq: node }, from[i], value),
      );
      return;
    }
    if (isScalar(node) && isScalarValue(to) && node.range) {
      this.splices.push({ start: node.range[0], end: node.range[1], text: scalarSource(node, to) });
      return;
    }
    this.replace(node, slot, to);
  }

  /** A value of another shape: the pair (or list item) is written again. */
  private replace(node: Node | null, slot: Slot, to: unknown): void {
    if (slot.kind === 'pair') {
      const start = this.pairStart(slot.pair);
      const end = this.pairEnd(slot.pair);
      const col = start.col;
      this.splices.push({
        start: start.offset,
        end,
        text: indentFirst(renderPair(this.doc, pairKey(slot.pair), to, col), start.atLineStart ? col : 0),
      });
      return;
    }
    if (slot.kind === 'item' && node?.range) {
      const col = this.column(node.range[0]);
      const old = this.text.slice(node.range[0], node.range[1]);
      let rendered = render(this.doc.createNode(to), col);
      rendered = old.endsWith('\n') ? ensureNewline(rendered) : rendered.replace(/\n$/, '');
      this.splices.push({ start: node.range[0], end: node.range[1], text: rendered });
      return;
    }
    throw new YamlEditError('cannot rewrite the whole document');
  }

  private rewriteFlow(node: YAMLMap | YAMLSeq, rest: YamlPath, from: unknown, to: unknown): void {
    if (!node.range) throw new YamlEditError('a collection without a position');
    const copy = node.clone() as YAMLMap | YAMLSeq;
    const edited = mutateAt(this.doc, copy, rest, from, to);
    const original = this.text.slice(node.range[0], node.range[1]);
    const padding = /^[{[] /.test(original) || original.length <= 2;
    const d = new Document();
    d.contents = edited;
    const text = d.toString({ ...PRINT, flowCollectionPadding: padding }).replace(/\n$/, '');
    this.splices.push({ start: node.range[0], end: node.range[1], text });
  }

  private addPair(map: YAMLMap, key: string, value: unknown): void {
    const last = map.items[map.items.length - 1];
    if (!last || !map.range) throw new YamlEditError(`cannot add '${key}' to an empty mapping`);
    const first = map.items[0]!;
    const col = this.column((first.key as Node).range![0]);
    const at = this.pairEnd(last);
    let text = indentFirst(renderPair(this.doc, key, value, col), col);
    if (at > 0 && this.text[at - 1] !== '\n') text = `\n${text.replace(/\n$/, '')}`;
    this.splices.push({ start: at, end: at, text });
  }

  private removePair(map: YAMLMap, pair: Pair): void {
    const start = this.pairStart(pair);
    if (!start.atLineStart) {
      // The first key of a list item (`- id: x`): the item is written again without it.
      const copy = map.clone() as YAMLMap;
      copy.delete(pairKey(pair));
      if (!map.range) throw new YamlEditError('a mapping without a position');
      const col = this.column(map.range[0]);
      this.splices.push({
        start: map.range[0],
        end: map.range[1],
        text: ensureNewline(render(copy, col)),
      });
      return;
    }
    let from = start.offset;
    const end = this.pairEnd(pair);
    if (end === this.text.length && this.text[end - 1] !== '\n' && from > 0) from -= 1;
    this.splices.push({ start: from, end, text: '' });
  }

  /** Where a pair's line starts (or its key, after `- `). */
  private pairStart(pair: Pair): { offset: number; col: number; atLineStart: boolean } {
    const keyStart = (pair.key as Node).range![0];
    const lineStart = this.text.lastIndexOf('\n', keyStart - 1) + 1;
    const atLineStart = this.text.slice(lineStart, keyStart).trim() === '';
    return { offset: atLineStart ? lineStart : keyStart, col: keyStart - lineStart, atLineStart };
  }

  /** Just past a pair's value, its trailing comment and its newline. */
  private pairEnd(pair: Pair): number {
    const value = pair.value as Node | null;
    let end = Math.max(value?.range?.[2] ?? 0, (pair.key as Node).range![2]);
    if (this.text[end - 1] !== '\n') {
      const newline = this.text.indexOf('\n', end);
      const rest = newline < 0 ? this.text.slice(end) : this.text.slice(end, newline);
      if (rest.trim() === '' || rest.trim().startsWith('#'))
        end = newline < 0 ? this.text.length : newline + 1;
    }
    return end;
  }

  private column(offset: number): number {
    return offset - (this.text.lastIndexOf('\n', offset - 1) + 1);
  }
}

function findPair(map: YAMLMap, key: string | number): Pair | undefined {
  return map.items.find((pair) => pairKey(pair) === String(key));
}

function pairKey(pair: Pair): string {
  return String(isScalar(pair.key) ? pair.key.value : pair.key);
}

function isScalarValue(value: unknown): boolean {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** `{ a: { b: value } }` for the path `[a, b]`. */
function nest(path: YamlPath, value: unknown): unknown {
  return path.reduceRight<unknown>(
    (inner, step) => (typeof step === 'number' ? [inner] : { [step]: inner }),
    value,
  );
}

/** Edits a detached copy of a flow collection with the Document API (it is written whole). */
function mutateAt(doc: Document, node: Node, path: YamlPath, from: unknown, to: unknown): Node {
  if (path.length === 0) return mutate(doc, node, from, to);
  const [step, ...rest] = path;
  if (isMap(node)) {
    const pair = findPair(node, step!);
    if (!pair) {
      if (to !== undefined) node.set(String(step), doc.createNode(nest(rest, to)));
      return node;
    }
    if (rest.length === 0 && to === undefined) {
      node.delete(pairKey(pair));
      return node;
    }
    pair.value = mutateAt(doc, pair.value as Node, rest, from, to);
    return node;
  }
  if (isSeq(node) && typeof step === 'number' && step < node.items.length) {
    node.items[step] = mutateAt(doc, node.items[step] as Node, rest, from, to);
    return node;
  }
  throw new YamlEditError(`${path.join('.')} is not in the file`);
}

function mutate(doc: Document, node: Node, from: unknown, to: unknown): Node {
  if (deepEqual(from, to)) return node;
  if (isMap(node) && isRecord(from) && isRecord(to)) {
    for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) {
      if (deepEqual(from[key], to[key])) continue;
      const pair = findPair(node, key);
      if (to[key] === undefined) {
        if (pair) node.delete(pairKey(pair));
      } else if (pair) {
        pair.value = mutate(doc, pair.value as Node, from[key], to[key]);
      } else {
        node.set(key, doc.createNode(to[key]));
      }
    }
    return node;
  }
  if (isSeq(node) && Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
    if (node.items.length === to.length) {
      to.forEach((value, i) => (node.items[i] = mutate(doc, node.items[i] as Node, from[i], value)));
      return node;
    }
  }
  if (isScalar(node) && isScalarValue(to)) {
    const scalar = node.clone() as Scalar;
    scalar.value = to;
    if (typeof to !== 'string') scalar.type = Scalar.PLAIN;
    return scalar;
  }
  return doc.createNode(to) as Node;
}

/** The new value of a scalar in its old style where that style can hold it. */
function scalarSource(node: Scalar, value: unknown): string {
  if (typeof value !== 'string') return String(value);
  const single = !value.includes('\n');
  if (node.type === Scalar.QUOTE_DOUBLE || !single) return JSON.stringify(value);
  if (node.type === Scalar.QUOTE_SINGLE) return `'${value.replace(/'/g, "''")}'`;
  // The printer quotes a plain scalar that would read as another value (`true`, `12`, `a: b`).
  const d = new Document();
  d.contents = new Scalar(value);
  const plain = d.toString(PRINT).replace(/\n$/, '');
  return plain.includes('\n') ? JSON.stringify(value) : plain;
}

/** A node printed for a place at column `col`: its later lines indented to that column. */
function render(node: unknown, col: number): string {
  const d = new Document();
  d.contents = node as Node;
  const text = d.toString(PRINT);
  return indentRest(text, col);
}

function renderPair(doc: Document, key: string, value: unknown, col: number): string {
  const d = new Document();
  d.contents = doc.createNode({ [key]: value });
  return indentRest(d.toString(PRINT), col);
}

function indentRest(text: string, col: number): string {
  const pad = ' '.repeat(col);
  return text
    .split('\n')
    .map((line, i) => (i === 0 || line === '' ? line : pad + line))
    .join('\n');
}

function indentFirst(text: string, col: number): string {
  return ' '.repeat(col) + text;
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}
