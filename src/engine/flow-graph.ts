/**
 * Pairs the steps of a desired flow (keyed by `temporary_id`, the YAML step key) with the actions of the remote
 * flow (real ids) by walking both graphs from their entry in lockstep: the step reached by the same sequence of
 * links (`next`, `next_if_true`, `branch:0`, ...) is the same step. Where one side has a step the other lacks,
 * or the types differ, the structure changed: Klaviyo cannot add, move or retype a step in place.
 */
import { isRecord } from './normalize.js';

export interface GraphAction {
  type: string;
  links?: Record<string, unknown> | undefined;
  data?: unknown;
}

export interface FlowGraph<A extends GraphAction = GraphAction> {
  entry: string | null;
  actions: Map<string, A>;
}

/** The outgoing links of an action, by slot name, in a stable order. */
export function linkSlots(action: GraphAction): Array<[slot: string, target: string | null]> {
  const slots: Array<[string, string | null]> = [];
  if (isRecord(action.links)) {
    for (const key of Object.keys(action.links).sort()) {
      const target = action.links[key];
      slots.push([key, typeof target === 'string' || typeof target === 'number' ? String(target) : null]);
    }
  }
  const data = action.data;
  if (isRecord(data) && Array.isArray(data.branches)) {
    const branches = data.branches
      .map((branch, index) => ({ branch, index }))
      .filter((b): b is { branch: Record<string, unknown>; index: number } => isRecord(b.branch))
      .sort((a, b) => branchOrder(a.branch, a.index) - branchOrder(b.branch, b.index));
    branches.forEach(({ branch }, position) => {
      const next = isRecord(branch.links) ? branch.links.next : undefined;
      slots.push([
        `branch:${position}`,
        typeof next === 'string' || typeof next === 'number' ? String(next) : null,
      ]);
    });
  }
  return slots;
}

function branchOrder(branch: Record<string, unknown>, index: number): number {
  if (branch.is_else === true) return Number.MAX_SAFE_INTEGER;
  return typeof branch.order === 'number' ? branch.order : index;
}

export interface StepPair {
  step: string;
  actionId: string;
  /** The link path from the entry, e.g. `next/next_if_true/next`. */
  path: string;
}

export interface FlowPairing {
  pairs: StepPair[];
  /** Desired steps with no remote action at their position. */
  added: Array<{ step: string; path: string }>;
  /** Remote actions with no desired step at their position. */
  removed: Array<{ actionId: string; path: string }>;
  /** Same position, different action type. */
  retyped: Array<{ step: string; actionId: string; path: string; from: string; to: string }>;
  /** Remote action id by desired step key, for every pair (retyped included). */
  actionIdByStep: Map<string, string>;
}

export function structureChanged(pairing: FlowPairing): boolean {
  return pairing.added.length + pairing.removed.length + pairing.retyped.length > 0;
}

export function pairFlowGraphs(desired: FlowGraph, remote: FlowGraph): FlowPairing {
  const result: FlowPairing = {
    pairs: [],
    added: [],
    removed: [],
    retyped: [],
    actionIdByStep: new Map(),
  };
  const seenDesired = new Set<string>();
  const seenRemote = new Set<string>();
  const queue: Array<{ d: string | null; r: string | null; path: string }> = [
    { d: desired.entry, r: remote.entry, path: '' },
  ];
  while (queue.length > 0) {
    const { d, r, path } = queue.shift()!;
    const dAction = d !== null && !seenDesired.has(d) ? desired.actions.get(d) : undefined;
    const rAction = r !== null && !seenRemote.has(r) ? remote.actions.get(r) : undefined;
    if (dAction && d !== null) seenDesired.add(d);
    if (rAction && r !== null) seenRemote.add(r);
    if (!dAction && !rAction) continue;
    const at = path || '(entry)';
    if (dAction && rAction) {
      result.actionIdByStep.set(d!, r!);
      if (dAction.type === rAction.type) result.pairs.push({ step: d!, actionId: r!, path: at });
      else result.retyped.push({ step: d!, actionId: r!, path: at, from: rAction.type, to: dAction.type });
    } else if (dAction) {
      result.added.push({ step: d!, path: at });
    } else if (rAction) {
      result.removed.push({ actionId: r!, path: at });
    }
    const dSlots = new Map(dAction ? linkSlots(dAction) : []);
    const rSlots = new Map(rAction ? linkSlots(rAction) : []);
    const slotNames = [...new Set([...dSlots.keys(), ...rSlots.keys()])].sort();
    for (const slot of slotNames) {
      queue.push({
        d: dSlots.get(slot) ?? null,
        r: rSlots.get(slot) ?? null,
        path: path ? `${path}/${slot}` : slot,
      });
    }
  }
  return result;
}

/** The steps in walk order from the entry (breadth first), for display. */
export function walkOrder(graph: FlowGraph): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const queue = graph.entry === null ? [] : [graph.entry];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    const action = graph.actions.get(id);
    if (!action) continue;
    seen.add(id);
    order.push(id);
    for (const [, target] of linkSlots(action)) if (target !== null) queue.push(target);
  }
  return order;
}
