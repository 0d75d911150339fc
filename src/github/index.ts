/** Talking to GitHub: the client, who we are, the sticky pull request comment, the drift issue, pull requests. */
export { createGitHub, type GitHubClient, type GitHubClientOptions } from './client.js';
export { ACCESS, GitHubPermissionError, GitHubRateLimitError, type AccessNeed } from './errors.js';
export { ownLogin, WORKFLOW_TOKEN_LOGIN } from './identity.js';
export {
  findOwnComment,
  upsertComment,
  MAX_COMMENT_CHARACTERS,
  type CommentResult,
  type FoundComment,
  type UpsertCommentOptions,
} from './sticky-comment.js';
export {
  closeIssue,
  findOwnIssue,
  openOrUpdateIssue,
  type FoundIssue,
  type IssueResult,
} from './drift-issue.js';
export { getPullRequest, mergedPullRequestOf, type PullRequestInfo } from './pulls.js';
