/**
 * Our Klaviyo client against the official `klaviyo-api` SDK on a deploy-shaped workload, in one run, against the
 * local sandbox enforcing Klaviyo's real rate limits in real time.
 *
 *   npm run bench:client                    200 template creates, 30 segment updates, 40 flow status updates
 *   npm run bench:client -- --scale 0.5     half of each
 *   npm run bench:client -- --faults 0.02   also inject every fault kind, each at 2% of requests
 *
 * Columns: wall time; the rate-limit lower bound (per operation, the earliest the last of its N requests can be
 * sent under fixed 1 s and 1 min windows starting from the run's actual start; the operations run side by side,
 * so the workload's bound is the largest); their ratio; 429 answers received; calls that succeeded; duplicate
 * templates. Both clients use their defaults and get every call at once, as a deploy would issue them.
 */
import { parseArgs } from 'node:util';
import {
  ApiKeySession,
  FlowEnum,
  FlowsApi,
  SegmentEnum,
  SegmentsApi,
  TemplateEnum,
  TemplatesApi,
} from 'klaviyo-api';
import { KlaviyoClient, operationById, type Clock, type FlowCreateBody } from '../src/klaviyo/index.js';
import { startSandbox, type FaultConfig, type RunningSandbox } from '../src/sandbox/index.js';

interface Workload {
  templates: number;
  segments: number;
  flows: number;
}

interface Target {
  key: string;
  segmentIds: string[];
  flowIds: string[];
}

interface RunResult {
  wallMs: number;
  boundMs: number;
  throttled: number;
  throttledByOperation: Record<string, number>;
  succeeded: number;
  total: number;
  duplicates: number;
}

type Contender = (
  sandbox: RunningSandbox,
  target: Target,
  workload: Workload,
) => Promise<PromiseSettledResult<unknown>[]>;

const TEMPLATE_PREFIX = 'Bench template ';
const SDK_CALL_DEADLINE_MS = 120_000;

const { values: args } = parseArgs({
  options: { scale: { type: 'string', default: '1' }, faults: { type: 'string', default: '0' } },
});
const scale = Number(args.scale);
const faultRate = Number(args.faults);
if (!(scale > 0) || !(faultRate >= 0 && faultRate <= 0.2)) {
  console.error('usage: bench/client.ts [--scale S (> 0)] [--faults R (0..0.2, per fault kind)]');
  process.exit(2);
}
const workload: Workload = {
  templates: Math.max(1, Math.round(200 * scale)),
  segments: Math.max(1, Math.round(30 * scale)),
  flows: Math.max(1, Math.round(40 * scale)),
};
const faults: FaultConfig =
  faultRate > 0
    ? {
        rate429: faultRate,
        rate5xx: faultRate,
        rateHang: faultRate,
        rateDrop: faultRate,
        rateLostResponse: faultRate,
      }
    : {};

function segmentBody(name: string, vip: boolean) {
  return {
    data: {
      type: 'segment' as const,
      attributes: {
        name,
        definition: {
          condition_groups: [
            {
              conditions: [
                {
                  type: 'profile-property' as const,
                  property: "properties['VIP']",
                  filter: { type: 'boolean' as const, operator: 'equals' as const, value: vip },
                },
              ],
            },
          ],
        },
      },
    },
  };
}

function flowBody(name: string, listId: string, templateId: string): FlowCreateBody {
  return {
    data: {
      type: 'flow',
      attributes: {
        name,
        definition: {
          triggers: [{ type: 'list', id: listId }],
          entry_action_id: 'email',
          actions: [
            {
              temporary_id: 'email',
              type: 'send-email',
              data: {
                status: 'draft',
                message: {
                  from_email: 'hello@example.com',
                  from_label: 'Bench',
                  subject_line: 'Hi',
                  template_id: templateId,
                },
              },
              links: { next: null },
            },
          ],
        },
      },
    },
  };
}

const templateHtml = (i: number) => `<html><body><p>Template ${i} for {{ first_name }}</p></body></html>`;

/** Real time, sped up: set-up runs against a sandbox without limits, so the client's pacing is all that waits. */
function fastClock(speed: number): Clock {
  const origin = Date.now();
  return {
    now: () => origin + (Date.now() - origin) * speed,
    sleep: (ms, signal) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms / speed);
        signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
      }),
  };
}

/** Creates the segments and flows the workload updates, in a sandbox without limits. */
async function prepare(setup: RunningSandbox, key: string): Promise<Target> {
  const client = new KlaviyoClient({
    apiKey: key,
    baseUrl: setup.url,
    clock: fastClock(1000),
    timeoutMs: 30_000_000,
  });
  const list = await client.lists.create({ data: { type: 'list', attributes: { name: 'Bench trigger' } } });
  const template = await client.templates.create({
    data: {
      type: 'template',
      attributes: { name: 'Bench flow email', editor_type: 'CODE', html: templateHtml(0) },
    },
  });
  const segments = await Promise.all(
    Array.from({ length: workload.segments }, (_, i) =>
      client.segments.create(segmentBody(`Bench segment ${i}`, true)),
    ),
  );
  const flows = await Promise.all(
    Array.from({ length: workload.flows }, (_, i) =>
      client.flows.create(flowBody(`Bench flow ${i}`, list.id, template.id)),
    ),
  );
  return { key, segmentIds: segments.map((s) => s.id), flowIds: flows.map((f) => f.id) };
}

const ours: Contender = (sandbox, target, w) => {
  const client = new KlaviyoClient({ apiKey: target.key, baseUrl: sandbox.url });
  return Promise.allSettled([
    ...Array.from({ length: w.templates }, (_, i) =>
      client.templates.create(
        {
          data: {
            type: 'template',
            attributes: { name: `${TEMPLATE_PREFIX}${i}`, editor_type: 'CODE', html: templateHtml(i) },
          },
        },
        { reconcile: 'by-name' },
      ),
    ),
    ...target.segmentIds.map((id) =>
      client.segments.update(id, { definition: segmentBody('', false).data.attributes.definition }),
    ),
    ...target.flowIds.map((id) => client.flows.updateStatus(id, 'live')),
  ]);
};

/** The SDK has no request timeout: a call the sandbox never answers counts as failed after a deadline. */
function withDeadline<T>(promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer before the deadline')), SDK_CALL_DEADLINE_MS);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

const sdk: Contender = (sandbox, target, w) => {
  const session = new ApiKeySession(target.key);
  const templates = new TemplatesApi(session);
  const segments = new SegmentsApi(session);
  const flows = new FlowsApi(session);
  for (const api of [templates, segments, flows]) api.basePath = sandbox.url;
  const definition = {
    conditionGroups: [
      {
        conditions: [
          {
            type: 'profile-property',
            property: "properties['VIP']",
            filter: { type: 'boolean', operator: 'equals', value: false },
          },
        ],
      },
    ],
  };
  return Promise.allSettled([
    ...Array.from({ length: w.templates }, (_, i) =>
      withDeadline(
        templates.createTemplate({
          data: {
            type: TemplateEnum.Template,
            attributes: { name: `${TEMPLATE_PREFIX}${i}`, editorType: 'CODE', html: templateHtml(i) },
          },
        }),
      ),
    ),
    ...target.segmentIds.map((id) =>
      withDeadline(
        segments.updateSegment(id, {
          data: { type: SegmentEnum.Segment, id, attributes: { definition: definition as never } },
        }),
      ),
    ),
    ...target.flowIds.map((id) =>
      withDeadline(
        flows.updateFlow(id, { data: { type: FlowEnum.Flow, id, attributes: { status: 'live' } } }),
      ),
    ),
  ]);
};

/** The earliest moment the last of `n` requests can be sent from `start` under fixed 1 s and 1 min windows. */
function lastSendTime(start: number, n: number, burst: number, steady: number): number {
  let t = start;
  let sent = 0;
  let second = Math.floor(t / 1000);
  let minute = Math.floor(t / 60_000);
  let inSecond = 0;
  let inMinute = 0;
  for (;;) {
    if (Math.floor(t / 1000) !== second) [second, inSecond] = [Math.floor(t / 1000), 0];
    if (Math.floor(t / 60_000) !== minute) [minute, inMinute] = [Math.floor(t / 60_000), 0];
    if (inSecond < burst && inMinute < steady) {
      sent += 1;
      inSecond += 1;
      inMinute += 1;
      if (sent === n) return t;
    } else {
      t = inMinute >= steady ? (minute + 1) * 60_000 : (second + 1) * 1000;
    }
  }
}

function boundMs(start: number, w: Workload): number {
  const ops: Array<[string, number]> = [
    ['create_template', w.templates],
    ['update_segment', w.segments],
    ['update_flow', w.flows],
  ];
  return Math.max(
    ...ops.map(([id, n]) => {
      const { burstPerSecond, steadyPerMinute } = operationById(id).rateLimit;
      return lastSendTime(start, n, burstPerSecond, steadyPerMinute) - start;
    }),
  );
}

async function measure(sandbox: RunningSandbox, target: Target, contender: Contender): Promise<RunResult> {
  const logStart = sandbox.requestLog.length;
  const start = Date.now();
  const results = await contender(sandbox, target, workload);
  const wallMs = Date.now() - start;
  const throttled = sandbox.requestLog.slice(logStart).filter((entry) => entry.outcome === 429);
  const throttledByOperation: Record<string, number> = {};
  for (const entry of throttled) {
    const op = entry.operationId ?? 'injected';
    throttledByOperation[op] = (throttledByOperation[op] ?? 0) + 1;
  }
  const names = Object.values(sandbox.account(target.key).state.templates)
    .map((t) => t.name)
    .filter((name) => name.startsWith(TEMPLATE_PREFIX));
  return {
    wallMs,
    boundMs: boundMs(start, workload),
    throttled: throttled.length,
    throttledByOperation,
    succeeded: results.filter((r) => r.status === 'fulfilled').length,
    total: results.length,
    duplicates: names.length - new Set(names).size,
  };
}

function row(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
}

async function main(): Promise<void> {
  const contenders: Array<[string, string, Contender]> = [
    ['klaviyo-gitops client', 'pk_bench_ours_0123456789', ours],
    ['klaviyo-api 23 (SDK)', 'pk_bench_sdk_0123456789', sdk],
  ];
  const accounts = Object.fromEntries(contenders.map(([, key], i) => [key, `Bench${i}`]));

  const setup = await startSandbox({ port: 0, accounts, enforceRateLimits: false });
  const targets = await Promise.all(contenders.map(([, key]) => prepare(setup, key)));
  const sandbox = await startSandbox({ port: 0, accounts, faults });
  for (const [, key] of contenders)
    Object.assign(sandbox.account(key).state, structuredClone(setup.account(key).state));
  await setup.close();

  console.log(
    `${workload.templates} template creates, ${workload.segments} segment updates, ${workload.flows} flow status ` +
      `updates, all issued at once; sandbox with Klaviyo's limits, real time, ` +
      (faultRate > 0 ? `every fault kind at ${faultRate * 100}% of requests` : 'no injected faults'),
  );
  const widths = [22, 8, 9, 6, 6, 8, 10];
  console.log(row(['client', 'wall s', 'bound s', 'ratio', '429s', 'success', 'duplicates'], widths));
  const notes: string[] = [];
  for (const [i, [name, , contender]] of contenders.entries()) {
    const r = await measure(sandbox, targets[i]!, contender);
    if (r.throttled > 0) {
      const parts = Object.entries(r.throttledByOperation).map(([op, n]) => `${op} ${n}`);
      notes.push(`429s of ${name}: ${parts.join(', ')}`);
    }
    console.log(
      row(
        [
          name,
          (r.wallMs / 1000).toFixed(1),
          (r.boundMs / 1000).toFixed(1),
          r.boundMs > 0 ? `${(r.wallMs / r.boundMs).toFixed(2)}x` : '-',
          String(r.throttled),
          `${((100 * r.succeeded) / r.total).toFixed(1)}%`,
          String(r.duplicates),
        ],
        widths,
      ),
    );
  }
  for (const note of notes) console.log(note);
  await sandbox.close();
}

await main();
