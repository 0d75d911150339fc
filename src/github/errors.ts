/**
 * What went wrong talking to GitHub, in words a workflow author can act on. A token that lacks a permission is
 * the common failure (pull requests from forks get a read-only token), so it has its own type: the caller
 * decides what to do instead (write the job summary), and the message names the `permissions:` line to add.
 */

/** What an operation needs from the token, to say so when it is missing. */
export interface AccessNeed {
  /** What we were doing, after "cannot": e.g. "write pull request comments". */
  readonly does: string;
  /** The workflow `permissions:` entry that grants it, e.g. "pull-requests: write". */
  readonly permission: string;
  /** A write a fork's pull request cannot make: say why the token is read-only. */
  readonly forkHint?: boolean;
}

export const ACCESS = {
  readComments: { does: 'read pull request comments', permission: 'pull-requests: read' },
  writeComments: { does: 'write pull request comments', permission: 'pull-requests: write', forkHint: true },
  readIssues: { does: 'read issues', permission: 'issues: read' },
  writeIssues: { does: 'open, update or close issues', permission: 'issues: write' },
  readPullRequests: { does: 'read pull requests', permission: 'pull-requests: read' },
  readIdentity: { does: 'read its own login', permission: 'a user token or the workflow token' },
} as const satisfies Record<string, AccessNeed>;

export class GitHubPermissionError extends Error {
  readonly status: number;
  readonly need: AccessNeed;
  constructor(status: number, need: AccessNeed, message: string) {
    super(message);
    this.name = 'GitHubPermissionError';
    this.status = status;
    this.need = need;
  }
}

/** GitHub kept answering "rate limited" after the retries we allow, or asked for a longer wait than we accept. */
export class GitHubRateLimitError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'GitHubRateLimitError';
    this.status = status;
  }
}

/** The part of Octokit's RequestError we read; matched by shape so a second copy of the class still counts. */
interface HttpFailure {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

function isHttpFailure(error: unknown): error is HttpFailure {
  return error instanceof Error && typeof (error as { status?: unknown }).status === 'number';
}

/** GitHub's own sentence, without the documentation link Octokit appends. */
function gitHubMessage(error: HttpFailure): string {
  const data = error.response?.data as { message?: unknown } | undefined;
  if (typeof data?.message === 'string') return data.message;
  return error.message.replace(/ - https?:\/\/\S+$/, '');
}

function isRateLimit(error: HttpFailure): boolean {
  if (error.status !== 403 && error.status !== 429) return false;
  return (
    error.status === 429 ||
    String(error.response?.headers?.['x-ratelimit-remaining']) === '0' ||
    /rate limit/i.test(gitHubMessage(error))
  );
}

/** `error` as the typed error it stands for, or unchanged when it is something else (a 404, a 5xx, a bug). */
export function asGitHubError(error: unknown, need: AccessNeed): unknown {
  if (!isHttpFailure(error)) return error;
  if (error.status === 401) {
    return new GitHubPermissionError(
      401,
      need,
      `GitHub rejected the token (401 ${gitHubMessage(error)}) while trying to ${need.does}: ` +
        'the token is missing, revoked or expired; pass a valid token (the workflow GITHUB_TOKEN by default)',
    );
  }
  if (isRateLimit(error)) {
    return new GitHubRateLimitError(
      error.status,
      `GitHub rate limit while trying to ${need.does} (${error.status} ${gitHubMessage(error)}): ` +
        'still limited after the allowed retries; run the job again later',
    );
  }
  if (error.status === 403) {
    const said = gitHubMessage(error);
    const who = /by integration/i.test(said) ? 'the workflow token' : 'the token';
    const fork =
      'forkHint' in need && need.forkHint ? ' (pull requests from forks get a read-only token)' : '';
    return new GitHubPermissionError(
      403,
      need,
      `${who} cannot ${need.does} (GitHub: ${said}): add \`permissions: ${need.permission}\` to the job${fork}`,
    );
  }
  return error;
}

/** Runs one GitHub call and turns its failure into the typed error that says what was missing. */
export async function needing<T>(need: AccessNeed, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asGitHubError(error, need);
  }
}

export function httpStatusOf(error: unknown): number | undefined {
  return isHttpFailure(error) ? error.status : undefined;
}
