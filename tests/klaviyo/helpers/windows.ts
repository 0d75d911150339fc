/** The most requests any fixed window of `sizeMs` (aligned on the epoch, as Klaviyo's are) received. */
export function busiestWindow(times: readonly number[], sizeMs: number): number {
  const counts = new Map<number, number>();
  for (const t of times) {
    const index = Math.floor(t / sizeMs);
    counts.set(index, (counts.get(index) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}

/**
 * The earliest send times of `n` requests starting at `start` under fixed 1 s and 1 min windows: send whenever
 * both windows have room, else jump to the next boundary. No schedule can finish sooner.
 */
export function greedySchedule(start: number, n: number, burst: number, steady: number): number[] {
  const perSecond = new Map<number, number>();
  const perMinute = new Map<number, number>();
  const out: number[] = [];
  let t = start;
  while (out.length < n) {
    const s = Math.floor(t / 1000);
    const m = Math.floor(t / 60_000);
    const inSecond = perSecond.get(s) ?? 0;
    const inMinute = perMinute.get(m) ?? 0;
    if (inSecond < burst && inMinute < steady) {
      out.push(t);
      perSecond.set(s, inSecond + 1);
      perMinute.set(m, inMinute + 1);
    } else {
      t = inMinute >= steady ? (m + 1) * 60_000 : (s + 1) * 1000;
    }
  }
  return out;
}
