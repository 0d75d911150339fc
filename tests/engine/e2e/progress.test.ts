/**
 * apply's progress lines (the CLI's stderr): a count of finished resources per brand, what apply is waiting on
 * (rate-limit waits, retries after faults) and a final count. Time is the harness's virtual clock.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURE } from './edits.js';
import { openWorkspace, type Workspace } from './harness.js';

/** Runs apply until it succeeds, collecting every progress line. */
async function applyWithProgress(ws: Workspace, runs = 1): Promise<string[]> {
  const lines: string[] = [];
  for (let run = 0; run < runs; run += 1) {
    const outcome = await ws.apply({}, {}, { progress: (line) => lines.push(line) });
    if (outcome.exitCode === 0) return lines;
  }
  throw new Error(`apply did not finish in ${runs} runs:\n${lines.join('\n')}`);
}

const COUNT = /^apply brand (north|south): (\d+)\/(\d+) done/;

describe('apply progress', () => {
  let ws: Workspace | undefined;
  afterEach(async () => {
    await ws?.close();
    ws = undefined;
  });

  it('ends each brand with a line counting every resource done', async () => {
    ws = await openWorkspace(FIXTURE);
    const lines = await applyWithProgress(ws);
    const last = (brand: string): string | undefined =>
      lines.filter((l) => l.startsWith(`apply brand ${brand}:`)).at(-1);
    expect(last('north')).toBe('apply brand north: 12/12 done');
    expect(last('south')).toBe('apply brand south: 4/4 done');
    // Counts only grow.
    const north = lines
      .filter((l) => l.startsWith('apply brand north:'))
      .map((l) => Number(COUNT.exec(l)?.[2]));
    expect(north).toEqual([...north].sort((a, b) => a - b));
  });

  it('under injected faults says what it retries, with the count so far', async () => {
    ws = await openWorkspace(FIXTURE);
    ws.sandbox.setFaults({ rate5xx: 0.25, rate429: 0.1, seed: 7 });
    const lines = await applyWithProgress(ws, 3);
    const news = lines.filter((l) => /, retrying \S+ after a (5\d\d|429) \(attempt \d+\)/.test(l));
    expect(news.length).toBeGreaterThan(0);
    for (const line of news) expect(line).toMatch(COUNT);
    // The final count says how many retries it took (a run cut short by a fault leaves less to the next one).
    expect(lines.some((l) => /^apply brand north: (\d+)\/\1 done \(after \d+ retr(y|ies)\)$/.test(l))).toBe(
      true,
    );
  });
});
