/**
 * The checks apply makes before its first write (preflight), its comparison of a fresh plan with the reviewed
 * one, and its task scheduling — on hand-made plans, where every case can be set up exactly.
 */
import { describe, expect, it } from 'vitest';
import { compareWithReviewed } from '../../src/engine/apply/review.js';
import { describeRefusal, preflight } from '../../src/engine/apply/preflight.js';
import { DependencyCycleError, runTasks } from '../../src/engine/apply/schedule.js';
import { resolvePlaceholders, UnresolvedReferenceError } from '../../src/engine/apply/placeholders.js';
import {
  finishBrandPlan,
  type BrandPlan,
  type DesiredBody,
  type ResourcePlan,
} from '../../src/engine/plan.js';
import type { RemoteBrandState, RemoteList } from '../../src/engine/remote-model.js';

const list = (key: string, name = key): DesiredBody => ({
  kind: 'list',
  name,
  klaviyoName: `${name} [kg:${key}]`,
  preventDestroy: false,
});

function resource(
  key: string,
  action: ResourcePlan['action'],
  remote?: { id: string; updated: string },
): ResourcePlan {
  return {
    kind: 'list',
    key,
    name: key,
    ...(remote
      ? { id: remote.id, remote: { ...remote, name: `${key} [kg:${key}]`, identity: 'name-marker' } }
      : {}),
    source: { file: `lists/${key}.yaml`, line: 1, col: 1 },
    action,
    effects: [],
    cost: [],
  };
}

function brand(
  resources: ResourcePlan[],
  extra: Partial<Omit<BrandPlan, 'fingerprint' | 'summary'>> = {},
): BrandPlan {
  return finishBrandPlan({
    brand: 'north',
    accountId: 'NORTH1',
    resources,
    ids: {},
    cost: { calls: [], dailyCaps: [] },
    unmanaged: { list: 0, segment: 0, template: 0, flow: 0 },
    problems: [],
    ...extra,
  });
}

function remoteList(id: string, key: string, preventDestroy = false): RemoteList {
  return {
    kind: 'list',
    id,
    name: `${key} [kg:${key}]`,
    created: '2026-01-01T00:00:00+00:00',
    updated: '2026-01-01T00:00:00+00:00',
    ownership: {
      type: 'managed',
      key,
      displayName: key,
      identity: 'name-marker',
      tagged: true,
      preventDestroy,
    },
    tags: [],
  };
}

const remote = (lists: RemoteList[] = []): RemoteBrandState => ({
  accountId: 'NORTH1',
  lists,
  segments: [],
  templates: [],
  flows: [],
  metrics: [],
  tagNames: [],
  appliedRecord: { state: 'absent' },
});

const noFlags = { allowDestroy: false, force: false };
const update = (key: string, name: string): ResourcePlan['action'] => ({
  type: 'update',
  changes: [{ path: 'name', before: `${key} [kg:${key}]`, after: `${name} [kg:${key}]` }],
  steps: [],
  desired: list(key, name),
});

describe('preflight', () => {
  it('refuses a plan over a daily cap, with the numbers', () => {
    const plan = brand([], {
      cost: {
        calls: [],
        dailyCaps: [{ operationId: 'create_flow', label: 'flow creates', planned: 120, cap: 100 }],
      },
    });
    const refusals = preflight(plan, remote(), noFlags);
    expect(refusals.map((r) => r.type)).toEqual(['daily-cap']);
    expect(describeRefusal(refusals[0]!)).toEqual([
      "brand north: the plan exceeds Klaviyo's daily caps (split the change over several days):",
      '  flow creates 120 of 100 today: 20 over',
    ]);
    const within = brand([], {
      cost: {
        calls: [],
        dailyCaps: [{ operationId: 'create_flow', label: 'flow creates', planned: 100, cap: 100 }],
      },
    });
    expect(preflight(within, remote(), noFlags)).toEqual([]);
  });

  it('needs --allow-destroy for deletes, and never deletes a protected object', () => {
    const plan = brand([resource('old', { type: 'delete', policy: 'delete' }, { id: 'L1', updated: 'u1' })]);
    expect(preflight(plan, remote([remoteList('L1', 'old')]), noFlags).map((r) => r.type)).toEqual([
      'destroy',
    ]);
    expect(preflight(plan, remote([remoteList('L1', 'old')]), { allowDestroy: true, force: false })).toEqual(
      [],
    );
    const guarded = preflight(plan, remote([remoteList('L1', 'old', true)]), {
      allowDestroy: true,
      force: true,
    });
    expect(guarded.map((r) => r.type)).toEqual(['protected']);
  });

  it('refuses plan errors; --force settles conflicts but never a changed plan', () => {
    const plan = brand([], { problems: [{ severity: 'error', message: "metric 'Nope' does not exist" }] });
    expect(preflight(plan, remote(), noFlags).map((r) => r.type)).toEqual(['plan-errors']);
    const differences = [
      { type: 'conflict' as const, kind: 'list' as const, key: 'a', reason: 'changed in Klaviyo' },
      { type: 'changed' as const, kind: 'list' as const, key: 'b', reason: 'changed in code' },
    ];
    expect(preflight(brand([]), remote(), { ...noFlags, differences }).map((r) => r.type)).toEqual([
      'changed',
      'conflict',
    ]);
    expect(
      preflight(brand([]), remote(), { allowDestroy: false, force: true, differences }).map((r) => r.type),
    ).toEqual(['changed']);
  });
});

describe('compareWithReviewed', () => {
  const stamp = { id: 'L1', updated: '2026-01-01T00:00:00+00:00' };
  const moved = { id: 'L1', updated: '2026-01-02T00:00:00+00:00' };

  it('finds nothing when the plans are the same, or only a declaration moved to another line', () => {
    const reviewed = brand([resource('news', update('news', 'News'), stamp)]);
    expect(compareWithReviewed(reviewed, brand([resource('news', update('news', 'News'), stamp)]))).toEqual(
      [],
    );
    const shifted = resource('news', update('news', 'News'), stamp);
    shifted.source = { file: 'lists/news.yaml', line: 3, col: 1 };
    expect(compareWithReviewed(reviewed, brand([shifted]))).toEqual([]);
  });

  it('reports a body changed in code as changed, and an object edited in Klaviyo as a conflict', () => {
    const reviewed = brand([resource('news', update('news', 'News'), stamp)]);
    expect(
      compareWithReviewed(reviewed, brand([resource('news', update('news', 'Newsletter'), stamp)])),
    ).toEqual([
      {
        type: 'changed',
        kind: 'list',
        key: 'news',
        id: 'L1',
        reason: 'its content in the code differs from the reviewed plan',
      },
    ]);
    expect(compareWithReviewed(reviewed, brand([resource('news', update('news', 'News'), moved)]))).toEqual([
      {
        type: 'conflict',
        kind: 'list',
        key: 'news',
        id: 'L1',
        reason:
          'changed in Klaviyo since the plan (updated 2026-01-01T00:00:00+00:00 -> 2026-01-02T00:00:00+00:00); applying would overwrite that change',
      },
    ]);
    expect(
      compareWithReviewed(reviewed, brand([resource('vip', { type: 'create', desired: list('vip') })])),
    ).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'changed', key: 'vip' })]));
  });

  it('takes what an interrupted apply of the same plan did for progress, not for conflicts', () => {
    // The create happened (its marker makes the object recognisable): now only its tags are left.
    const reviewedCreate = brand([resource('news', { type: 'create', desired: list('news', 'News') })]);
    const tagsLeft: ResourcePlan['action'] = {
      type: 'update',
      changes: [{ path: 'tags', before: [], after: ['klaviyo-gitops'] }],
      steps: [],
      desired: list('news', 'News'),
    };
    expect(compareWithReviewed(reviewedCreate, brand([resource('news', tagsLeft, moved)]))).toEqual([]);
    // The update happened: nothing left to do.
    const reviewedUpdate = brand([resource('news', update('news', 'News'), stamp)]);
    expect(compareWithReviewed(reviewedUpdate, brand([resource('news', { type: 'noop' }, moved)]))).toEqual(
      [],
    );
    // Half of it happened, and this machine's log says the stamp moved by our own write.
    expect(
      compareWithReviewed(
        reviewedUpdate,
        brand([resource('news', update('news', 'News'), moved)]),
        new Set(['L1']),
      ),
    ).toEqual([]);
  });
});

describe('runTasks', () => {
  it('runs a task after its dependencies and skips only what depends on a failure', async () => {
    const order: string[] = [];
    const task = (id: string, deps: string[], fail = false) => ({
      id,
      deps,
      run: async () => {
        order.push(id);
        if (fail) throw new Error(`${id} broke`);
      },
    });
    const outcomes = await runTasks([
      task('flow', ['template', 'list']),
      task('template', []),
      task('list', [], true),
      task('segment', []),
      task('status', ['flow']),
    ]);
    expect(order).not.toContain('flow');
    expect(outcomes.get('flow')).toEqual({ status: 'skipped', blockedBy: 'list' });
    expect(outcomes.get('status')).toEqual({ status: 'skipped', blockedBy: 'list' });
    expect(outcomes.get('segment')).toEqual({ status: 'done' });
    expect(outcomes.get('list')).toMatchObject({ status: 'failed' });
  });

  it('refuses a dependency cycle before running anything', async () => {
    const run = async () => undefined;
    await expect(
      runTasks([
        { id: 'a', deps: ['b'], run },
        { id: 'b', deps: ['a'], run },
      ]),
    ).rejects.toBeInstanceOf(DependencyCycleError);
  });
});

describe('resolvePlaceholders', () => {
  it('replaces every placeholder with its id and names the ones without', () => {
    const body = { group_ids: ['@list:news'], metric_id: '@metric:Placed Order', note: '@not-a-ref' };
    const ids: Record<string, string> = { 'list:news': 'L1', 'metric:Placed Order': 'M1' };
    expect(resolvePlaceholders(body, (ref) => ids[ref])).toEqual({
      group_ids: ['L1'],
      metric_id: 'M1',
      note: '@not-a-ref',
    });
    expect(() => resolvePlaceholders({ a: '@template:gone' }, () => undefined)).toThrow(
      UnresolvedReferenceError,
    );
  });
});
