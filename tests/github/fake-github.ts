/**
 * A fake GitHub REST API in this process (`node:http`, a free port), for tests of src/github. It keeps
 * repositories, pull requests, issues and comments in memory, answers as GitHub does (401 for an unknown
 * token, 403 "Resource not accessible by integration" for a read-only token's write and for `GET /user`
 * with an installation token, paginated lists with `Link` headers), records every request, and checks each
 * one against GitHub's official REST description first (rest-description.ts): what GitHub would refuse is
 * answered 400/404/422 and listed in `invalidRequests`, which tests assert empty.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  FakeClock,
  commentJson,
  issueJson,
  pullJson,
  repositoryJson,
  userJson,
  type FakeComment,
  type FakeIssue,
  type FakePullRequest,
  type FakeToken,
  WEB_URL,
} from './fake-github-state.js';
import {
  NOT_ACCESSIBLE,
  error,
  faultAnswer,
  pageOf,
  tooLong,
  type Answer,
  type Fault,
} from './fake-github-answers.js';
import { restDescription } from './rest-description.js';

export type { Fault } from './fake-github-answers.js';
export type { FakeComment, FakeIssue, FakePullRequest, FakeToken } from './fake-github-state.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Every header but `authorization`. */
  headers: Record<string, string>;
  body: string;
}

export interface InvalidRequest {
  method: string;
  path: string;
  problems: string[];
}

type Handler = (call: Call) => Answer;

interface Call {
  repo: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: Record<string, unknown>;
  token: FakeToken;
  requestUrl: URL;
}

export const DEFAULT_REPO = 'acme/marketing';

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly invalidRequests: InvalidRequest[] = [];
  url = '';
  private readonly server: Server;
  private readonly clock = new FakeClock();
  private readonly tokens = new Map<string, FakeToken>();
  private readonly defaultBranches = new Map<string, string>([[DEFAULT_REPO, 'main']]);
  private readonly commentsById = new Map<number, FakeComment>();
  private readonly issuesByKey = new Map<string, FakeIssue>();
  private readonly pullsByKey = new Map<string, FakePullRequest>();
  private readonly commitPulls = new Map<string, number[]>();
  private readonly nextNumber = new Map<string, number>();
  private readonly faults: Fault[] = [];

  private constructor() {
    this.server = createServer((request, response) => void this.serve(request, response));
  }

  static async start(tokens: Record<string, FakeToken> = {}): Promise<FakeGitHub> {
    restDescription();
    const fake = new FakeGitHub();
    for (const [token, who] of Object.entries(tokens)) fake.tokens.set(token, who);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  addToken(token: string, who: FakeToken): void {
    this.tokens.set(token, who);
  }

  addRepository(fullName: string, defaultBranch = 'main'): void {
    this.defaultBranches.set(fullName, defaultBranch);
  }

  addPullRequest(pull: Partial<FakePullRequest> & { headSha: string; body?: string }): FakePullRequest {
    const repo = pull.repo ?? DEFAULT_REPO;
    const number = pull.number ?? this.allocateNumber(repo);
    this.nextNumber.set(repo, Math.max(this.nextNumber.get(repo) ?? 1, number + 1));
    const merged = pull.merged ?? false;
    const full: FakePullRequest = {
      repo,
      number,
      title: pull.title ?? `Pull request ${number}`,
      headRef: pull.headRef ?? `change-${number}`,
      headRepo: pull.headRepo ?? repo,
      baseRef: pull.baseRef ?? this.defaultBranch(repo),
      merged,
      mergeCommitSha: pull.mergeCommitSha ?? null,
      mergedAt: pull.mergedAt ?? (merged ? this.clock.now() : null),
      login: pull.login ?? 'octocat',
      headSha: pull.headSha,
      files: pull.files ?? [],
    };
    this.pullsByKey.set(`${repo}#${number}`, full);
    const now = this.clock.now();
    this.issuesByKey.set(`${repo}#${number}`, {
      number,
      repo,
      title: full.title,
      body: pull.body ?? '',
      login: full.login,
      state: merged ? 'closed' : 'open',
      stateReason: null,
      createdAt: now,
      updatedAt: now,
      closedAt: merged ? now : null,
    });
    return full;
  }

  addIssue(issue: Partial<FakeIssue> & { title: string; login: string }): FakeIssue {
    const repo = issue.repo ?? DEFAULT_REPO;
    const now = this.clock.now();
    const full: FakeIssue = {
      number: this.allocateNumber(repo),
      repo,
      body: '',
      state: 'open',
      stateReason: null,
      createdAt: now,
      updatedAt: now,
      closedAt: null,
      ...issue,
    };
    this.issuesByKey.set(`${repo}#${full.number}`, full);
    return full;
  }

  /** The pull requests GitHub lists for a commit (`GET /repos/{owner}/{repo}/commits/{sha}/pulls`). */
  setCommitPulls(sha: string, numbers: number[]): void {
    this.commitPulls.set(sha, numbers);
  }

  addComment(issueNumber: number, comment: { login: string; body: string; repo?: string }): FakeComment {
    const now = this.clock.now();
    const full: FakeComment = {
      id: this.clock.id(),
      issueNumber,
      repo: comment.repo ?? DEFAULT_REPO,
      body: comment.body,
      login: comment.login,
      createdAt: now,
      updatedAt: now,
    };
    this.commentsById.set(full.id, full);
    return full;
  }

  /** `count` comments on an issue, by `login` (default: a reviewer), numbered bodies unless given. */
  seedComments(
    issueNumber: number,
    count: number,
    by: { login?: string; body?: (index: number) => string } = {},
  ) {
    for (let index = 0; index < count; index++) {
      this.addComment(issueNumber, {
        login: by.login ?? 'reviewer',
        body: by.body?.(index) ?? `Comment ${index}`,
      });
    }
  }

  comments(issueNumber: number, repo = DEFAULT_REPO): FakeComment[] {
    return [...this.commentsById.values()].filter((c) => c.issueNumber === issueNumber && c.repo === repo);
  }

  /** The issues proper (not pull requests), oldest first. */
  issues(repo = DEFAULT_REPO): FakeIssue[] {
    return [...this.issuesByKey.values()].filter(
      (i) => i.repo === repo && !this.pullsByKey.has(`${repo}#${i.number}`),
    );
  }

  injectFault(fault: Fault): void {
    for (let i = 0; i < (fault.times ?? 1); i++) this.faults.push(fault);
  }

  private allocateNumber(repo: string): number {
    const number = this.nextNumber.get(repo) ?? 1;
    this.nextNumber.set(repo, number + 1);
    return number;
  }

  private defaultBranch(repo: string): string {
    return this.defaultBranches.get(repo) ?? 'main';
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const rawBody = Buffer.concat(chunks).toString('utf8');
    const requestUrl = new URL(request.url ?? '/', this.url);
    const method = request.method ?? 'GET';
    const headers = Object.fromEntries(
      Object.entries(request.headers)
        .filter(([name]) => name !== 'authorization')
        .map(([name, value]) => [name, String(value)]),
    );
    this.requests.push({
      method,
      path: requestUrl.pathname,
      query: Object.fromEntries(requestUrl.searchParams),
      headers,
      body: rawBody,
    });
    let answer: Answer;
    try {
      answer = this.answer(method, requestUrl, rawBody, request.headers.authorization);
    } catch (failure) {
      // A bug in the fake answers 500 and fails the test's request check, instead of leaving the client hanging.
      const problem = `the fake failed: ${failure instanceof Error ? failure.message : String(failure)}`;
      this.invalidRequests.push({ method, path: requestUrl.pathname, problems: [problem] });
      answer = error(500, problem);
    }
    response.writeHead(answer.status, {
      'content-type': 'application/json; charset=utf-8',
      'x-github-api-version-selected': '2022-11-28',
      ...answer.headers,
    });
    response.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
  }

  private answer(
    method: string,
    requestUrl: URL,
    rawBody: string,
    authorization: string | undefined,
  ): Answer {
    const check = restDescription().check(method, requestUrl.pathname, requestUrl.searchParams, rawBody);
    if (!check.ok) {
      this.invalidRequests.push({
        method,
        path: requestUrl.pathname + requestUrl.search,
        problems: check.problems,
      });
      const message =
        check.status === 404
          ? 'Not Found'
          : check.status === 400
            ? 'Problems parsing JSON'
            : 'Invalid request.';
      return error(check.status, message, { errors: check.problems });
    }
    const secret = /^(?:token|bearer)\s+(.+)$/i.exec(authorization ?? '')?.[1];
    if (!secret) return error(401, 'Requires authentication');
    const token = this.tokens.get(secret);
    if (!token) return error(401, 'Bad credentials');
    const fault = this.faults.shift();
    if (fault) return faultAnswer(fault);
    const { route, pathParams } = check.match;
    const handler = this.handlers[route];
    if (!handler) {
      this.invalidRequests.push({
        method,
        path: requestUrl.pathname,
        problems: [`the fake does not serve ${route}`],
      });
      return error(501, `the fake does not serve ${route}`);
    }
    const repo = pathParams.owner ? `${pathParams.owner}/${pathParams.repo}` : '';
    if (repo && !this.defaultBranches.has(repo)) return error(404, 'Not Found');
    if (method !== 'GET' && token.access === 'read') {
      return error(
        403,
        token.kind === 'installation' ? NOT_ACCESSIBLE : 'Resource not accessible by personal access token',
      );
    }
    const body = rawBody ? (JSON.parse(rawBody) as Record<string, unknown>) : {};
    return handler({ repo, params: pathParams, query: requestUrl.searchParams, body, token, requestUrl });
  }

  private issueOf(call: Call): FakeIssue | undefined {
    return this.issuesByKey.get(`${call.repo}#${call.params.issue_number}`);
  }

  private commentAnswer(comment: FakeComment, status = 200): Answer {
    return {
      status,
      body: commentJson(this.url, comment, this.pullsByKey.has(`${comment.repo}#${comment.issueNumber}`)),
    };
  }

  private issueAnswer(issue: FakeIssue, status = 200): Answer {
    return { status, body: issueJson(this.url, issue, this.pullsByKey.get(`${issue.repo}#${issue.number}`)) };
  }

  private readonly handlers: Record<string, Handler> = {
    'GET /user': ({ token }) =>
      token.kind === 'installation'
        ? error(403, NOT_ACCESSIBLE)
        : { status: 200, body: userJson(this.url, token.login) },
    'GET /repos/{owner}/{repo}': ({ repo }) => ({
      status: 200,
      body: repositoryJson(this.url, repo, this.defaultBranch(repo)),
    }),
    'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': (call) => {
      if (!this.issueOf(call)) return error(404, 'Not Found');
      const list = this.comments(Number(call.params.issue_number), call.repo).sort((a, b) => a.id - b.id);
      return pageOf(
        call.requestUrl,
        list.map((comment) => this.commentAnswer(comment).body),
      );
    },
    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': (call) => {
      if (!this.issueOf(call)) return error(404, 'Not Found');
      const body = String(call.body.body);
      if (body.length > 65_536) return tooLong('IssueComment');
      const comment = this.addComment(Number(call.params.issue_number), {
        login: call.token.login,
        body,
        repo: call.repo,
      });
      return this.commentAnswer(comment, 201);
    },
    'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': (call) => {
      const comment = this.commentsById.get(Number(call.params.comment_id));
      if (!comment || comment.repo !== call.repo) return error(404, 'Not Found');
      if (comment.login !== call.token.login) return error(403, 'You cannot edit this comment');
      const body = String(call.body.body);
      if (body.length > 65_536) return tooLong('IssueComment');
      Object.assign(comment, { body, updatedAt: this.clock.now() });
      return this.commentAnswer(comment);
    },
    'GET /repos/{owner}/{repo}/issues': (call) => {
      const state = call.query.get('state') ?? 'open';
      const creator = call.query.get('creator');
      const list = [...this.issuesByKey.values()]
        .filter((issue) => issue.repo === call.repo && (state === 'all' || issue.state === state))
        .filter((issue) => !creator || issue.login === creator)
        .sort((a, b) => b.number - a.number);
      return pageOf(
        call.requestUrl,
        list.map((issue) => this.issueAnswer(issue).body),
      );
    },
    'POST /repos/{owner}/{repo}/issues': (call) => {
      const body = String(call.body.body ?? '');
      if (body.length > 65_536) return tooLong('Issue');
      return this.issueAnswer(
        this.addIssue({ repo: call.repo, title: String(call.body.title), body, login: call.token.login }),
        201,
      );
    },
    'GET /repos/{owner}/{repo}/issues/{issue_number}': (call) => {
      const issue = this.issueOf(call);
      return issue ? this.issueAnswer(issue) : error(404, 'Not Found');
    },
    'PATCH /repos/{owner}/{repo}/issues/{issue_number}': (call) => {
      const issue = this.issueOf(call);
      if (!issue) return error(404, 'Not Found');
      const { title, body, state, state_reason: reason } = call.body;
      if (typeof title === 'string') issue.title = title;
      if (typeof body === 'string') issue.body = body;
      if (state === 'closed' && issue.state === 'open') {
        Object.assign(issue, { state, closedAt: this.clock.now(), stateReason: reason ?? 'completed' });
      } else if (state === 'open' && issue.state === 'closed') {
        Object.assign(issue, { state, closedAt: null, stateReason: 'reopened' });
      }
      issue.updatedAt = this.clock.now();
      return this.issueAnswer(issue);
    },
    'GET /repos/{owner}/{repo}/commits/{commit_sha}/pulls': (call) => {
      const numbers = this.commitPulls.get(call.params.commit_sha ?? '') ?? [];
      const pulls = numbers
        .map((n) => this.pullsByKey.get(`${call.repo}#${n}`))
        .filter((p) => p !== undefined);
      return pageOf(
        call.requestUrl,
        pulls.map((pull) => pullJson(this.url, pull, (repo) => this.defaultBranch(repo))),
      );
    },
    'GET /repos/{owner}/{repo}/pulls/{pull_number}/files': (call) => {
      const pull = this.pullsByKey.get(`${call.repo}#${call.params.pull_number}`);
      if (!pull) return error(404, 'Not Found');
      return pageOf(
        call.requestUrl,
        pull.files.map((filename, index) => ({
          sha: index.toString(16).padStart(40, '0'),
          filename,
          status: 'modified',
          additions: 1,
          deletions: 1,
          changes: 2,
          blob_url: `${WEB_URL}/${call.repo}/blob/${pull.headSha}/${filename}`,
          raw_url: `${WEB_URL}/${call.repo}/raw/${pull.headSha}/${filename}`,
          contents_url: `${this.url}/repos/${call.repo}/contents/${filename}?ref=${pull.headSha}`,
        })),
      );
    },
    'GET /repos/{owner}/{repo}/pulls/{pull_number}': (call) => {
      const pull = this.pullsByKey.get(`${call.repo}#${call.params.pull_number}`);
      return pull
        ? { status: 200, body: pullJson(this.url, pull, (repo) => this.defaultBranch(repo)) }
        : error(404, 'Not Found');
    },
  };
}
