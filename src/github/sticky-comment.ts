/**
 * One comment per pull request and brand that we keep up to date, found again by a marker in its body.
 * We read EVERY page of the conversation (long reviews pass 100 comments; stopping at page one posts a
 * duplicate) and trust only comments written by our own login (anyone can paste a marker). The body and
 * the marker test come from the caller: this file knows nothing of what the comment says.
 */
import type { GitHubClient } from './client.js';
import { ACCESS, needing } from './errors.js';

/** GitHub refuses longer bodies with a 422; we say so before sending (UTF-16 units: never undercounts). */
export const MAX_COMMENT_CHARACTERS = 65_536;

export interface IssueRef {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** The pull request (or issue) number. */
  issueNumber: number;
}

export interface OwnCommentQuery extends IssueRef {
  /** Our token's login (identity.ts `ownLogin`). */
  login: string;
  /** Whether a comment body is the one we look for (it carries our marker). */
  matches: (body: string) => boolean;
}

export interface FoundComment {
  id: number;
  url: string;
  body: string;
}

export type CommentAction = 'created' | 'updated' | 'unchanged';

export interface CommentResult {
  id: number;
  url: string;
  action: CommentAction;
}

export interface UpsertCommentOptions extends OwnCommentQuery {
  /** `update` edits our comment in place; `new` posts a fresh one and rewrites the old with `outdate`. */
  mode: 'update' | 'new';
  body: string;
  /** The old comment's new body when a fresh one replaces it (e.g. struck through, marked outdated). */
  outdate?: (oldBody: string) => string;
}

/** The newest comment by `login` whose body `matches`, across every page, or undefined. */
export async function findOwnComment(query: OwnCommentQuery): Promise<FoundComment | undefined> {
  const { octokit, owner, repo, issueNumber, login, matches } = query;
  return needing(ACCESS.readComments, async () => {
    let newest: FoundComment | undefined;
    const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: issueNumber,
      per_page: 100,
    });
    for await (const page of pages) {
      for (const comment of page.data) {
        const body = comment.body ?? '';
        if (comment.user?.login !== login || !matches(body)) continue;
        // Ids grow with time; compare them rather than trust the page order.
        if (!newest || comment.id > newest.id) newest = { id: comment.id, url: comment.html_url, body };
      }
    }
    return newest;
  });
}

/** Creates or updates our comment; a token that may not write throws GitHubPermissionError. */
export async function upsertComment(options: UpsertCommentOptions): Promise<CommentResult> {
  const { octokit, owner, repo, issueNumber, mode, body } = options;
  checkLength(body);
  const existing = await findOwnComment(options);
  return needing(ACCESS.writeComments, async () => {
    if (existing && mode === 'update') {
      if (existing.body === body) return { id: existing.id, url: existing.url, action: 'unchanged' };
      const { data } = await octokit.rest.issues.updateComment({
        owner,
        repo,
        comment_id: existing.id,
        body,
      });
      return { id: data.id, url: data.html_url, action: 'updated' };
    }
    const { data } = await octokit.rest.issues.createComment({
      owner,
      repo,
      issue_number: issueNumber,
      body,
    });
    // The fresh comment first: if rewriting the old one fails, the current plan is still on the page.
    if (existing && options.outdate) {
      const outdated = options.outdate(existing.body);
      checkLength(outdated);
      if (outdated !== existing.body) {
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body: outdated });
      }
    }
    return { id: data.id, url: data.html_url, action: 'created' };
  });
}

function checkLength(body: string): void {
  if (body.length > MAX_COMMENT_CHARACTERS) {
    throw new Error(
      `comment body has ${body.length} characters; GitHub accepts at most ${MAX_COMMENT_CHARACTERS}: shorten it before posting`,
    );
  }
}
