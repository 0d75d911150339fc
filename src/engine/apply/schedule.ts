/**
 * Runs apply's tasks as a dependency graph: each task starts the moment everything it depends on is done, so
 * unrelated writes overlap (all template writes at once, a flow as soon as its own templates exist) and the
 * client's per-operation limiter does the pacing. A failed task skips only what depends on it.
 */

export interface Task {
  id: string;
  /** Ids of tasks that must be done first. Ids of tasks not in the graph are ignored. */
  deps: readonly string[];
  /** `bulk`: many cheap writes (templates) that should not queue ahead of the rate-limited long pole. */
  bulk?: boolean;
  run(): Promise<void>;
}

/** Lets everything already started send its requests first. */
const yieldToStarted = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** At most `size` holders at a time, served in arrival order. */
class Slots {
  private free: number;
  private readonly waiting: Array<() => void> = [];
  constructor(size: number) {
    this.free = size;
  }
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

export interface RunOptions {
  signal?: AbortSignal;
  /**
   * How many bulk tasks may run at once (default 6). Template writes are cheap in rate-limit terms (75/s) but a
   * burst of hundreds at once only queues up at Klaviyo and on the runner, ahead of the requests that matter.
   */
  bulkConcurrency?: number;
  /** Told as each task settles (done, failed or skipped): progress reporting. */
  onSettled?: (taskId: string, outcome: TaskOutcome) => void;
}

export type TaskOutcome =
  | { status: 'done' }
  | { status: 'failed'; error: unknown }
  /** Not run: `blockedBy` (a task this one depends on, directly or not) failed, or the run was aborted. */
  | { status: 'skipped'; blockedBy: string };

export class DependencyCycleError extends Error {
  override readonly name = 'DependencyCycleError';
  constructor(readonly cycle: string[]) {
    super(`apply tasks depend on each other in a cycle: ${cycle.join(' -> ')}`);
  }
}

function findCycle(tasks: ReadonlyMap<string, Task>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const mark = state.get(id);
    if (mark === 'done') return undefined;
    if (mark === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of tasks.get(id)?.deps ?? []) {
      if (!tasks.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of tasks.keys()) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

export async function runTasks(
  taskList: readonly Task[],
  options: RunOptions = {},
): Promise<Map<string, TaskOutcome>> {
  const { signal } = options;
  const bulk = new Slots(options.bulkConcurrency ?? 6);
  const tasks = new Map(taskList.map((task) => [task.id, task]));
  if (tasks.size !== taskList.length) throw new Error('apply tasks must have unique ids');
  const cycle = findCycle(tasks);
  if (cycle) throw new DependencyCycleError(cycle);

  const outcomes = new Map<string, TaskOutcome>();
  const running = new Map<string, Promise<TaskOutcome>>();
  const start = (id: string): Promise<TaskOutcome> => {
    const existing = running.get(id);
    if (existing) return existing;
    const task = tasks.get(id)!;
    const promise = (async (): Promise<TaskOutcome> => {
      // Bulk tasks start a turn later: the first segment and flow requests (1/s limits, the long pole) go out
      // first, also ahead of other brands' template bursts when brands are applied in one process.
      if (task.bulk) await yieldToStarted();
      const deps = task.deps.filter((dep) => tasks.has(dep));
      const results = await Promise.all(deps.map(async (dep) => [dep, await start(dep)] as const));
      for (const [dep, outcome] of results) {
        if (outcome.status === 'failed') return { status: 'skipped', blockedBy: dep };
        if (outcome.status === 'skipped') return { status: 'skipped', blockedBy: outcome.blockedBy };
      }
      if (signal?.aborted) return { status: 'skipped', blockedBy: 'aborted' };
      try {
        await (task.bulk ? bulk.run(() => task.run()) : task.run());
        return { status: 'done' };
      } catch (error) {
        return { status: 'failed', error };
      }
    })();
    running.set(id, promise);
    return promise;
  };
  const settled = (id: string, outcome: TaskOutcome): void => {
    outcomes.set(id, outcome);
    try {
      options.onSettled?.(id, outcome);
    } catch {
      // Reporting progress must never stop an apply.
    }
  };
  await Promise.all([...tasks.keys()].map(async (id) => settled(id, await start(id))));
  return new Map([...tasks.keys()].map((id) => [id, outcomes.get(id)!]));
}
