/**
 * The Action's inputs as one typed object. The entry hands in a `getInput` (core.getInput); everything else is
 * checked here, so a typo in a workflow (`comment: updte`) fails the step with a message that names the input
 * and its choices instead of running with a default.
 */
import { isTargetChoice, type TargetChoice } from '../config.js';
import { CommandError } from '../commands/errors.js';
import { parseDuration } from '../commands/sync-options.js';

export const ACTION_COMMANDS = [
  'review',
  'apply',
  'refresh',
  'validate',
  'plan',
  'drift',
  'publish-review',
  'sync',
] as const;
export type ActionCommand = (typeof ACTION_COMMANDS)[number];

export type CommentMode = 'update' | 'new' | 'off';
export type OnUnreviewed = 'refuse' | 'apply';

export interface ActionInputs {
  command: ActionCommand;
  dir: string;
  brand?: string;
  /** Masked by the entry before anything else runs. */
  klaviyoApiKey?: string;
  target: TargetChoice;
  githubToken?: string;
  comment: CommentMode;
  allowDestroy: boolean;
  screenshots: boolean;
  failOnDrift: boolean;
  commentBudget: number;
  onUnreviewed: OnUnreviewed;
  /** Where `publish-review` reads a review run's artifact. */
  reviewDir: string;
  /** `sync`: stop sending new batches after this many milliseconds; the next run continues. */
  maxDurationMs?: number;
  /** `sync`: the history database, relative to the workspace; absent: the verb's default. */
  history?: string;
}

/** GitHub's cap on a comment body. */
export const GITHUB_COMMENT_LIMIT = 65_536;

function choice<T extends string>(name: string, value: string, choices: readonly T[], fallback: T): T {
  if (value === '') return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new CommandError('usage', `input '${name}' must be one of ${choices.join(', ')} (got '${value}')`);
}

function flag(name: string, value: string): boolean {
  if (value === '') return false;
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  throw new CommandError('usage', `input '${name}' must be true or false (got '${value}')`);
}

export function parseActionInputs(getInput: (name: string) => string): ActionInputs {
  const get = (name: string): string => getInput(name).trim();
  const target = get('target') || 'klaviyo';
  if (!isTargetChoice(target))
    throw new CommandError('usage', `input 'target' must be klaviyo or sandbox (got '${target}')`);
  const budgetText = get('comment-budget');
  const commentBudget = budgetText === '' ? 60_000 : Number(budgetText);
  if (!Number.isInteger(commentBudget) || commentBudget < 2_000 || commentBudget > GITHUB_COMMENT_LIMIT)
    throw new CommandError(
      'usage',
      `input 'comment-budget' must be a whole number of characters from 2000 to ${GITHUB_COMMENT_LIMIT} (got '${budgetText}')`,
    );
  const brand = get('brand');
  const key = getInput('klaviyo-api-key');
  const token = get('github-token');
  const maxDuration = get('max-duration');
  const history = get('history');
  return {
    command: choice('command', get('command'), ACTION_COMMANDS, 'review'),
    dir: get('dir') || 'marketing',
    ...(brand ? { brand } : {}),
    ...(key ? { klaviyoApiKey: key } : {}),
    target,
    ...(token ? { githubToken: token } : {}),
    comment: choice('comment', get('comment'), ['update', 'new', 'off'] as const, 'update'),
    allowDestroy: flag('allow-destroy', get('allow-destroy')),
    screenshots: flag('screenshots', get('screenshots')),
    failOnDrift: flag('fail-on-drift', get('fail-on-drift')),
    commentBudget,
    onUnreviewed: choice('on-unreviewed', get('on-unreviewed'), ['refuse', 'apply'] as const, 'refuse'),
    reviewDir: get('review-dir') || 'output/review',
    ...(maxDuration ? { maxDurationMs: parseDuration(maxDuration, "input 'max-duration'") } : {}),
    ...(history ? { history } : {}),
  };
}
