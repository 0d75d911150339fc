/**
 * The fake GitHub's memory: repositories, pull requests, issues, comments and which pull requests hold a
 * commit, plus the JSON GitHub answers for each (the fields our code and Octokit read, with realistic ids,
 * urls, users and stamps).
 */

export interface FakeToken {
  login: string;
  access: 'write' | 'read';
  /** `installation`: a workflow GITHUB_TOKEN (a bot; `GET /user` is refused). `user`: a personal token. */
  kind: 'installation' | 'user';
}

export interface FakeComment {
  id: number;
  issueNumber: number;
  repo: string;
  body: string;
  login: string;
  createdAt: string;
  updatedAt: string;
}

export interface FakeIssue {
  number: number;
  repo: string;
  title: string;
  body: string;
  login: string;
  state: 'open' | 'closed';
  stateReason: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface FakePullRequest {
  number: number;
  repo: string;
  title: string;
  headSha: string;
  headRef: string;
  /** `owner/name` of the head repository (a fork differs from `repo`). */
  headRepo: string;
  baseRef: string;
  merged: boolean;
  mergeCommitSha: string | null;
  mergedAt: string | null;
  login: string;
  /** Paths the pull request changes (`GET .../pulls/{n}/files`). */
  files: string[];
}

export const WEB_URL = 'https://github.com';

/** Ids that grow with time like GitHub's, and a clock one second a step so stamps are distinct. */
export class FakeClock {
  private tick = 0;
  private nextId = 1_000_000;
  now(): string {
    return new Date(Date.UTC(2026, 0, 1) + this.tick++ * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  id(): number {
    return this.nextId++;
  }
}

export function userJson(apiUrl: string, login: string): Record<string, unknown> {
  const bot = login.endsWith('[bot]');
  const id = [...login].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 1_000_000_007, 7);
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    url: `${apiUrl}/users/${encodeURIComponent(login)}`,
    html_url: bot ? `${WEB_URL}/apps/${login.replace(/\[bot\]$/, '')}` : `${WEB_URL}/${login}`,
    type: bot ? 'Bot' : 'User',
    site_admin: false,
  };
}

export function commentJson(apiUrl: string, comment: FakeComment, isPull: boolean): Record<string, unknown> {
  const kind = isPull ? 'pull' : 'issues';
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url: `${apiUrl}/repos/${comment.repo}/issues/comments/${comment.id}`,
    html_url: `${WEB_URL}/${comment.repo}/${kind}/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${apiUrl}/repos/${comment.repo}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: userJson(apiUrl, comment.login),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    author_association: comment.login.endsWith('[bot]') ? 'NONE' : 'MEMBER',
    performed_via_github_app: null,
  };
}

export function issueJson(apiUrl: string, issue: FakeIssue, pull?: FakePullRequest): Record<string, unknown> {
  const kind = pull ? 'pull' : 'issues';
  return {
    id: issue.number * 1000 + 7,
    node_id: `I_${issue.number}`,
    url: `${apiUrl}/repos/${issue.repo}/issues/${issue.number}`,
    repository_url: `${apiUrl}/repos/${issue.repo}`,
    html_url: `${WEB_URL}/${issue.repo}/${kind}/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: userJson(apiUrl, issue.login),
    labels: [],
    assignees: [],
    comments: 0,
    locked: false,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: 'MEMBER',
    ...(pull
      ? {
          pull_request: {
            url: `${apiUrl}/repos/${pull.repo}/pulls/${pull.number}`,
            merged_at: pull.mergedAt,
          },
        }
      : {}),
  };
}

export function repositoryJson(
  apiUrl: string,
  fullName: string,
  defaultBranch: string,
): Record<string, unknown> {
  const [owner = '', name = ''] = fullName.split('/');
  return {
    id: fullName.length * 1000 + 1,
    node_id: `R_${fullName}`,
    name,
    full_name: fullName,
    owner: userJson(apiUrl, owner),
    private: false,
    html_url: `${WEB_URL}/${fullName}`,
    url: `${apiUrl}/repos/${fullName}`,
    default_branch: defaultBranch,
  };
}

export function pullJson(apiUrl: string, pull: FakePullRequest, defaultBranchOf: (repo: string) => string) {
  return {
    id: pull.number * 1000 + 3,
    node_id: `PR_${pull.number}`,
    number: pull.number,
    url: `${apiUrl}/repos/${pull.repo}/pulls/${pull.number}`,
    html_url: `${WEB_URL}/${pull.repo}/pull/${pull.number}`,
    state: pull.merged ? 'closed' : 'open',
    title: pull.title,
    user: userJson(apiUrl, pull.login),
    merged_at: pull.mergedAt,
    merge_commit_sha: pull.mergeCommitSha,
    head: {
      label: `${pull.headRepo.split('/')[0]}:${pull.headRef}`,
      ref: pull.headRef,
      sha: pull.headSha,
      repo: repositoryJson(apiUrl, pull.headRepo, defaultBranchOf(pull.headRepo)),
    },
    base: {
      label: `${pull.repo.split('/')[0]}:${pull.baseRef}`,
      ref: pull.baseRef,
      sha: 'b'.repeat(40),
      repo: repositoryJson(apiUrl, pull.repo, defaultBranchOf(pull.repo)),
    },
  };
}
