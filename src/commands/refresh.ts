/**
 * `klaviyo-gitops refresh`: the scheduled job. Segment definitions that drifted in Klaviyo are re-asserted (only
 * those: segment writes are capped at 100 a day, so an unchanged segment is never rewritten), everything else
 * that drifted is reported, and each managed segment is listed with the profile count Klaviyo gives it.
 *
 * Re-asserting is apply's machinery on a plan cut down to the drifted segments: the same lease, the same
 * applied record (the other objects' entries are left as they are), the same activity log. A segment whose
 * definition was edited by hand in Klaviyo is re-asserted too (segments are the code's to define; that is this
 * job's purpose) and the result says so, with `pull` as the way to keep such an edit.
 */
import type { TargetChoice } from '../config.js';
import type { DesiredBrandState } from '../compile/desired-state.js';
import { activityLogSink, applyBrandPlan } from '../engine/apply/index.js';
import { acquireApplyLease, type ApplyLease } from '../engine/apply/lease.js';
import { driftFromPlan } from '../engine/drift.js';
import type { BrandPlan, Plan, ResourcePlan } from '../engine/plan.js';
import { makePlan } from '../engine/planner.js';
import type { RemoteBrandState } from '../engine/remote-model.js';
import { redactSecrets } from '../redact.js';
import type { CommandContext } from './command.js';
import { loadDesiredStates } from './desired-states.js';
import { openCommandTargets, type CommandDeps } from './plan.js';
import { repositoryPaths } from './repository-root.js';
import type { OpenTargets } from './target.js';
import type { ReassertedSegment, RefreshResult, SegmentCount } from './results.js';
import { plural } from '../views/text/plural.js';

export interface RefreshCommandOptions {
  dir: string;
  brand?: string | undefined;
  target?: TargetChoice | undefined;
  failOnDrift: boolean;
}

/** A managed segment whose definition (or name) in Klaviyo differs from the code: the ones refresh rewrites. */
export function driftedSegments(brand: Pick<BrandPlan, 'resources'>): ResourcePlan[] {
  return brand.resources.filter((r) => r.kind === 'segment' && r.action.type === 'update');
}

/** Plans every brand against its account. */
async function planBrands(
  states: readonly DesiredBrandState[],
  opened: OpenTargets,
  ctx: CommandContext,
  now: () => Date,
): Promise<{ plan: Plan; remote: Map<string, RemoteBrandState> }> {
  return makePlan(
    states.map((desired) => {
      const target = opened.brands.get(desired.brand)!;
      return { desired, client: target.client, cacheDir: target.cacheDir };
    }),
    { progress: ctx.progress, now, ...(ctx.signal ? { signal: ctx.signal } : {}) },
  );
}

export async function runRefresh(
  options: RefreshCommandOptions,
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<RefreshResult> {
  const { states } = await loadDesiredStates(options.dir, options.brand, ctx);
  return refreshBrands(states, options, ctx, deps);
}

export async function refreshBrands(
  states: readonly DesiredBrandState[],
  options: RefreshCommandOptions,
  ctx: CommandContext,
  deps: CommandDeps = {},
): Promise<RefreshResult> {
  const now = deps.now ?? (() => new Date());
  const clock = deps.targets?.client?.clock;
  const run = `${now().getTime().toString(36)}-${process.pid.toString(36)}-refresh`;
  const opened = await openCommandTargets(states, ctx, deps, options);
  const leases: ApplyLease[] = [];
  try {
    let planned = await planBrands(states, opened, ctx, now);
    const reasserted: ReassertedSegment[] = [];
    const drifting = planned.plan.brands.filter((b) => driftedSegments(b).length > 0);
    if (drifting.length > 0) {
      for (const brandPlan of drifting) {
        leases.push(
          await acquireApplyLease({
            client: opened.brands.get(brandPlan.brand)!.client,
            run,
            now: () => now().getTime(),
            ...(clock ? { sleep: (ms: number) => clock.sleep(ms) } : {}),
            progress: (line) => ctx.progress(`brand ${brandPlan.brand}: ${line}`),
            ...(ctx.signal ? { signal: ctx.signal } : {}),
          }),
        );
      }
      // Under the lease: plan again, so nothing another apply wrote meanwhile is reverted.
      planned = await planBrands(states, opened, ctx, now);
      const logPath = repositoryPaths(ctx.cwd, options.dir).activityLog;
      const sink = activityLogSink(logPath, (text) => redactSecrets(text, ctx.env));
      for (const brandPlan of planned.plan.brands) {
        const segments = driftedSegments(brandPlan);
        if (segments.length === 0) continue;
        ctx.progress(
          `brand ${brandPlan.brand}: re-asserting ${plural(segments.length, 'segment definition')}`,
        );
        const result = await applyBrandPlan({
          client: opened.brands.get(brandPlan.brand)!.client,
          plan: { ...brandPlan, resources: segments },
          remote: planned.remote.get(brandPlan.brand)!,
          run,
          allowDestroy: false,
          sink,
          now,
          ...(clock ? { sleep: (ms: number) => clock.sleep(ms, ctx.signal) } : {}),
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        for (const resource of result.resources) {
          const planned = segments.find((s) => s.key === resource.key);
          reasserted.push({
            brand: brandPlan.brand,
            key: resource.key,
            name: resource.name,
            ...(resource.id ? { id: resource.id } : {}),
            outcome: resource.outcome === 'applied' ? 'updated' : 'failed',
            ...(resource.outcome !== 'applied' ? { error: resource.error ?? resource.outcome } : {}),
            ...(planned?.handEdit ? { handEdit: planned.handEdit } : {}),
          });
        }
      }
      planned = await planBrands(states, opened, ctx, now);
    }
    const segments = await segmentCounts(planned.plan, opened, ctx);
    return {
      command: 'refresh',
      target: opened.description,
      reasserted,
      drift: driftFromPlan(planned.plan),
      plan: planned.plan,
      segments,
      failOnDrift: options.failOnDrift,
    };
  } finally {
    await Promise.allSettled(leases.map((lease) => lease.release()));
    await opened.close();
  }
}

/** Each managed segment with Klaviyo's profile count (a slow call, 1/s and 15/m: one per segment, in turn). */
async function segmentCounts(plan: Plan, opened: OpenTargets, ctx: CommandContext): Promise<SegmentCount[]> {
  const counts: SegmentCount[] = [];
  for (const brandPlan of plan.brands) {
    const client = opened.brands.get(brandPlan.brand)!.client;
    for (const resource of brandPlan.resources) {
      if (resource.kind !== 'segment' || resource.action.type === 'orphan') continue;
      const entry: SegmentCount = { brand: brandPlan.brand, key: resource.key, name: resource.name };
      if (resource.id !== undefined) {
        entry.id = resource.id;
        const details = await client.segments.get(resource.id, {
          profileCount: true,
          ...(ctx.signal ? { signal: ctx.signal } : {}),
        });
        const count = (details.attributes as { profile_count?: number | null }).profile_count;
        if (typeof count === 'number') entry.profileCount = count;
      }
      counts.push(entry);
    }
  }
  return counts;
}
