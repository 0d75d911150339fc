/** `1 file`, `2 files`: the counts every text view prints. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
