export { applyBrandPlan, countResults, type ApplyCounts, type BrandApplyResult } from './executor.js';
export type { ActivityEvent, ActivitySink, ActionOutcome } from './activity.js';
export { activityLogSink, readOwnWrites, ACTIVITY_LOG_PATH } from './activity-log.js';
export type { ResourceResult, ResourceOutcome, OperationRecord } from './context.js';
export { preflight, describeRefusal, refusalCount, type Refusal, type ObjectRef } from './preflight.js';
export { compareWithReviewed, type PlanDifference } from './review.js';
export { parsePlan, readPlanFile, PlanFileError } from './plan-file.js';
export { writeRunRecord, runRecordName, RUN_RECORD_VERSION, type RunRecord } from './run-record.js';
export {
  ApplyProgressReporter,
  trackResourceProgress,
  type ApplyProgressOptions,
  type ResourceProgress,
} from './progress.js';
