/**
 * What apply did, one event per Klaviyo action, in the order they finished: the run record's raw material and
 * the lines of `logs/activity.log`. Events carry ids and outcomes, never bodies or keys.
 */
import type { ResourceKind } from '../plan.js';

export type ActionOutcome =
  /** Klaviyo confirmed the write. */
  | 'ok'
  /** The create's answer was lost; the object was found by its marker instead of being created twice. */
  | 'reconciled'
  /** Nothing to do on arrival (e.g. a delete of an object that is already gone). */
  | 'already-done'
  | 'failed';

export interface ActivityEvent {
  /** ISO time the action finished. */
  time: string;
  /** One id per apply run, shared by its events and its run record. */
  run: string;
  brand: string;
  /** Fingerprint of the brand plan being applied (the reviewed one with `--plan`): a re-run of the same plan
   * recognises its own earlier writes by it. */
  plan?: string;
  kind?: ResourceKind;
  key?: string;
  /** Klaviyo operationId (`create_flow`, `update_flow_action`, `tag_segments`, ...). */
  operation: string;
  /** The Klaviyo object the action was about (for creates: the new object). */
  id?: string;
  outcome: ActionOutcome;
  /** For failures: the error, one line. */
  detail?: string;
}

export type ActivitySink = (event: ActivityEvent) => void;
