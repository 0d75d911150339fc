/**
 * Fits a document into a size budget by degrading its parts, never by failing: each part offers renderings
 * from richest to leanest, parts are degraded one level at a time in a given order until the whole fits, and a
 * note says the document was trimmed. When even the leanest renderings are too large, the elastic part (the
 * one allowed to be cut mid-way) is cut at a line boundary; the parts around it stay whole.
 */
import type { Measure } from './limits.js';

export interface DocumentPart {
  /** Renderings from richest to leanest, made on demand (a plan rendering is not cheap). */
  levels: ReadonlyArray<() => string>;
}

export interface FitOptions {
  budget: number;
  measure: Measure;
  /** Steps in the order detail is given up: each names a part that drops to its next leaner rendering. */
  degradeOrder: readonly number[];
  /** Inserted before part `noteBefore` once anything was trimmed. */
  trimmedNote: string;
  noteBefore: number;
  /** The part that is cut when the leanest renderings still do not fit (`largest`: whichever is largest then). */
  elastic: number | 'largest';
}

export interface FittedDocument {
  text: string;
  trimmed: boolean;
}

export function fitDocument(parts: readonly DocumentPart[], options: FitOptions): FittedDocument {
  const { budget, measure } = options;
  const cache = new Map<string, { text: string; size: number }>();
  const levels = parts.map(() => 0);
  const render = (index: number): { text: string; size: number } => {
    const id = `${index}:${levels[index]}`;
    let hit = cache.get(id);
    if (!hit) {
      const text = parts[index]!.levels[levels[index]!]!();
      hit = { text, size: measure(text) };
      cache.set(id, hit);
    }
    return hit;
  };
  const total = (withNote: boolean): number =>
    parts.reduce((sum, _part, i) => sum + render(i).size, withNote ? measure(options.trimmedNote) : 0);
  const assemble = (withNote: boolean): string =>
    parts
      .map((_part, i) => (withNote && i === options.noteBefore ? options.trimmedNote : '') + render(i).text)
      .join('');

  if (total(false) <= budget) return { text: assemble(false), trimmed: false };
  for (const index of options.degradeOrder) {
    if (levels[index]! >= parts[index]!.levels.length - 1) continue;
    levels[index]! += 1;
    if (total(true) <= budget) return { text: assemble(true), trimmed: true };
  }
  parts.forEach((part, i) => (levels[i] = part.levels.length - 1));
  if (total(true) <= budget) return { text: assemble(true), trimmed: true };
  // Still too large: cut the elastic part to what the others leave.
  const elastic =
    options.elastic === 'largest'
      ? parts.reduce((best, _part, i) => (render(i).size > render(best).size ? i : best), 0)
      : options.elastic;
  const others = total(true) - render(elastic).size;
  const cut = cutAtLine(render(elastic).text, budget - others, measure);
  cache.set(`${elastic}:${levels[elastic]}`, { text: cut, size: measure(cut) });
  const text = assemble(true);
  return { text: measure(text) <= budget ? text : cutAtLine(text, budget, measure), trimmed: true };
}

const CUT_TAIL = '\n… (cut to fit)\n';

/** The longest prefix ending at a line break that fits with a closing line; '' when nothing fits. */
export function cutAtLine(text: string, budget: number, measure: Measure): string {
  if (measure(text) <= budget) return text;
  const room = budget - measure(CUT_TAIL);
  if (room <= 0) return '';
  // Binary search for the longest prefix within `room` (measures grow with the prefix).
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (measure(text.slice(0, mid)) <= room) low = mid;
    else high = mid - 1;
  }
  let end = text.lastIndexOf('\n', low);
  if (end < 0) end = low;
  // Never split a surrogate pair.
  if (end > 0 && /[\uD800-\uDBFF]/.test(text[end - 1]!)) end -= 1;
  return text.slice(0, end) + CUT_TAIL;
}
