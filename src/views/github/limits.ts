/**
 * GitHub's size limits and how we measure text against them.
 *
 * A comment (PR comment, issue body) may hold 65,536 characters. GitHub counts characters; a JS string's length
 * counts UTF-16 code units, which is never less than the number of characters (an emoji is one character but
 * two units), so measuring `length` is the conservative choice. A job summary may hold 1 MiB of UTF-8 bytes.
 */

/** GitHub refuses a comment or issue body longer than this ("Body is too long"). */
export const COMMENT_LIMIT = 65_536;
/** What a comment aims for by default (the Action's `comment-budget` input): room for GitHub's own markup. */
export const DEFAULT_COMMENT_BUDGET = 60_000;
/** GitHub refuses a step summary larger than this ("supports content up to a size of 1024k"). */
export const SUMMARY_LIMIT_BYTES = 1_048_576;
/** A little under the limit: another step of the same job may append to the summary file. */
export const DEFAULT_SUMMARY_BUDGET_BYTES = 1_000_000;

export type Measure = (text: string) => number;

/** Characters as GitHub counts them in a comment, rounded up (UTF-16 code units). */
export const commentLength: Measure = (text) => text.length;

export const utf8Bytes: Measure = (text) => Buffer.byteLength(text, 'utf8');

/** A comment budget within GitHub's limit, whatever was configured. */
export function commentBudget(budget: number | undefined): number {
  const wanted =
    budget === undefined || !Number.isFinite(budget) ? DEFAULT_COMMENT_BUDGET : Math.floor(budget);
  return Math.max(0, Math.min(wanted, COMMENT_LIMIT));
}
