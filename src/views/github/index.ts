/**
 * Everything the Action posts to GitHub, as pure functions of a command's result: the sticky comment per brand,
 * the job summary, annotations, outputs and the drift issue. No I/O and no `@actions/*`: the reporter in
 * src/github/ posts what these return, and a script can render them from a result without GitHub.
 */
export {
  commentMarker,
  commentHead,
  isBrandComment,
  parseCommentPayload,
  COMMENT_STATUSES,
  type CommentPayload,
  type CommentStatus,
} from './comment-marker.js';
export {
  renderReviewComment,
  brandReviewFacts,
  shouldComment,
  type BrandComment,
  type BrandReviewFacts,
  type CommentContext,
  type CommentDecision,
} from './comment.js';
export {
  renderAppliedComment,
  renderApplyRefusedComment,
  markCommentOutdated,
  type AfterMergeContext,
} from './comment-variants.js';
export { renderJobSummary, type JobSummary, type SummaryContext } from './summary.js';
export {
  selectAnnotations,
  ANNOTATIONS_PER_LEVEL,
  type Annotation,
  type AnnotationSelection,
} from './annotations.js';
export { actionOutputs, type ReporterOutputs } from './outputs.js';
export {
  renderDriftIssue,
  driftIssueMarker,
  driftIssueTitle,
  parseDriftIssueMarker,
  driftResolvedComment,
  type DriftIssue,
  type DriftIssueContext,
} from './drift-issue.js';
export { dedupeFindings, findingsForBrand } from './findings.js';
export {
  COMMENT_LIMIT,
  DEFAULT_COMMENT_BUDGET,
  SUMMARY_LIMIT_BYTES,
  DEFAULT_SUMMARY_BUDGET_BYTES,
  commentLength,
  utf8Bytes,
} from './limits.js';
