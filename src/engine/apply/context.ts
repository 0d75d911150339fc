/**
 * What every apply task shares for one brand: the client, the ids known so far, the remote state the plan was
 * made from, the tag registry, and the per-resource results the run record is built from.
 */
import type { KlaviyoClient } from '../../klaviyo/index.js';
import { KlaviyoOutcomeUnknownError } from '../../klaviyo/index.js';
import type { ActionType, BrandPlan, ObjectKind, ResourceKind, ResourcePlan } from '../plan.js';
import type { RemoteBrandState, RemoteResource } from '../remote-model.js';
import { remoteOfKind } from '../remote-model.js';
import type { ActionOutcome, ActivityEvent, ActivitySink } from './activity.js';
import type { TagRegistry } from './tags.js';

export interface OperationRecord {
  operation: string;
  id?: string;
  outcome: ActionOutcome;
  detail?: string;
}

export type ResourceOutcome =
  /** Every call succeeded. */
  | 'applied'
  /** A call failed; `error` says which. Re-running apply picks up from the remote state. */
  | 'failed'
  /** Not attempted because something it depends on failed. */
  | 'skipped'
  /** Nothing to do (noop, or an orphan kept as is). */
  | 'unchanged';

export interface ResourceResult {
  kind: ResourceKind;
  key: string;
  name: string;
  action: ActionType;
  /** The object's Klaviyo id after apply: the new object for creates and replaces. */
  id?: string;
  /** For replaces: the flow that was swapped out. */
  previousId?: string;
  outcome: ResourceOutcome;
  operations: OperationRecord[];
  error?: string;
}

export interface ApplyContext {
  client: KlaviyoClient;
  brand: string;
  run: string;
  plan: BrandPlan;
  /** Recorded with every event: the reviewed plan's fingerprint with `--plan`, else the plan's own. */
  planFingerprint: string;
  /** The remote state the plan was made from: current html of templates to archive, protection, known ids. */
  remote: RemoteBrandState;
  /** `kind:key` -> id: the plan's ids, plus every object this run creates. */
  ids: Map<string, string>;
  tags: TagRegistry;
  allowDestroy: boolean;
  signal?: AbortSignal;
  now: () => Date;
  /** Waits between the lookups of an ambiguous create (injected: tests run on virtual time). */
  sleep: (ms: number) => Promise<void>;
  /** How long a create that timed out may still be on its way into Klaviyo: the lookups after an ambiguous
   * create wait this long, then twice as long, before concluding that it never arrived. */
  settleMs: number;
  sink: ActivitySink;
}

/** The one-line text of an error, for results and the log. */
export function errorText(error: unknown): string {
  if (error instanceof KlaviyoOutcomeUnknownError)
    return `${error.message} (re-running apply looks the object up by its marker)`;
  return error instanceof Error ? error.message : String(error);
}

/** The result of one resource, which its tasks fill in as they go. */
export function resultFor(resource: ResourcePlan): ResourceResult {
  return {
    kind: resource.kind,
    key: resource.key,
    name: resource.name,
    action: resource.action.type,
    ...(resource.id !== undefined ? { id: resource.id } : {}),
    outcome: 'unchanged',
    operations: [],
  };
}

/**
 * Runs one Klaviyo action for a resource, records it (result and activity log) and returns its value.
 * `id` names the object acted on; for creates it is read from the value.
 */
export async function act<T>(
  ctx: ApplyContext,
  result: ResourceResult,
  operation: string,
  target: { id?: string; idOf?: (value: T) => string | undefined },
  run: () => Promise<T>,
  outcomeOf: (value: T) => ActionOutcome = () => 'ok',
): Promise<T> {
  const record = (outcome: ActionOutcome, id: string | undefined, detail?: string): void => {
    const op: OperationRecord = {
      operation,
      ...(id !== undefined ? { id } : {}),
      outcome,
      ...(detail !== undefined ? { detail } : {}),
    };
    result.operations.push(op);
    const event: ActivityEvent = {
      time: ctx.now().toISOString(),
      run: ctx.run,
      brand: ctx.brand,
      plan: ctx.planFingerprint,
      kind: result.kind,
      key: result.key,
      ...op,
    };
    ctx.sink(event);
  };
  try {
    const value = await run();
    record(outcomeOf(value), target.idOf?.(value) ?? target.id);
    return value;
  } catch (error) {
    record('failed', target.id, errorText(error));
    throw error;
  }
}

/** Every id of `kind` the account held when planning: an object carrying our key that is not among them was
 * created after the plan was made (by this run, before its answer was lost). */
export function knownIds(remote: RemoteBrandState, kind: ObjectKind): Set<string> {
  return new Set(remoteOfKind(remote, kind).map((object) => object.id));
}

export function remoteObject(
  remote: RemoteBrandState,
  kind: ObjectKind,
  id: string,
): RemoteResource | undefined {
  return remoteOfKind(remote, kind).find((object) => object.id === id);
}
