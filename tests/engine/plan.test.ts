import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { diffBrand } from '../../src/engine/diff/index.js';
import {
  assemblePlan,
  canonicalJson,
  formatSummary,
  verifyFingerprints,
  type BrandPlan,
} from '../../src/engine/plan.js';
import {
  dFlow,
  dList,
  desiredState,
  dTemplate,
  remoteState,
  rFlow,
  rList,
  rTemplate,
  welcomeDefinition,
} from './fixtures.js';

const ids = { '@list:newsletter': 'LNEWS1', '@template:welcome': 'TWELC1' };
const html = '<p>Welcome</p>{% unsubscribe %}';

function brandPlan(options: { listUpdated?: string; subject?: string } = {}): BrandPlan {
  const desired = desiredState({
    lists: [dList('newsletter', 'Newsletter'), dList('vip', 'VIP')],
    templates: [dTemplate('welcome', html)],
    flows: [dFlow('welcome', welcomeDefinition({ subject: options.subject ?? 'Welcome!' }))],
  });
  const remote = remoteState({
    lists: [
      rList('newsletter', 'LNEWS1', 'Newsletter', {
        updated: options.listUpdated ?? '2026-01-02T00:00:00+00:00',
      }),
    ],
    templates: [rTemplate('welcome', 'TWELC1', html)],
    flows: [
      rFlow('welcome', 'FWELC1', welcomeDefinition(), ids, {
        'email-1': { html, text: 'text of welcome', key: 'welcome' },
      }),
    ],
  });
  return diffBrand(desired, remote);
}

describe('plan fingerprint', () => {
  it('is the same for the same changes against the same remote state, whenever the plan is made', () => {
    const a = assemblePlan([brandPlan()], new Date('2026-07-20T12:00:00Z'));
    const b = assemblePlan([brandPlan()], new Date('2026-07-21T08:30:00Z'));
    expect(a.generatedAt).not.toBe(b.generatedAt);
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes when a remote updated stamp moved, even for an unchanged resource', () => {
    const a = assemblePlan([brandPlan()], new Date());
    const b = assemblePlan([brandPlan({ listUpdated: '2026-03-01T00:00:00+00:00' })], new Date());
    expect(a.brands[0]!.resources.find((r) => r.key === 'newsletter')!.action.type).toBe('noop');
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });

  it('changes when the planned changes change', () => {
    const a = assemblePlan([brandPlan({ subject: 'One' })], new Date());
    const b = assemblePlan([brandPlan({ subject: 'Two' })], new Date());
    expect(a.fingerprint).not.toBe(b.fingerprint);
  });

  it('does not depend on key order (canonical JSON)', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"x":1,"y":2}]},"b":1}',
    );
  });

  it('detects a plan file edited after planning', () => {
    const plan = assemblePlan([brandPlan({ subject: 'One' })], new Date());
    expect(verifyFingerprints(plan)).toBe(true);
    const edited = JSON.parse(JSON.stringify(plan)) as typeof plan;
    edited.brands[0]!.resources[0]!.name = 'tampered';
    expect(verifyFingerprints(edited)).toBe(false);
  });
});

describe('plan schema', () => {
  const schema = JSON.parse(
    readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8'),
  ) as object;
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormatsModule as unknown as (a: Ajv) => void)(ajv);
  const validate = ajv.compile(schema);

  it('accepts the plans the engine makes', () => {
    const plan = assemblePlan([brandPlan({ subject: 'Changed' })], new Date('2026-07-20T12:00:00Z'));
    expect(formatSummary(plan.summary)).toBe('+1 ~1 -0');
    const valid = validate(JSON.parse(JSON.stringify(plan)));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('rejects another format version', () => {
    const plan = JSON.parse(JSON.stringify(assemblePlan([brandPlan()], new Date()))) as { version: number };
    plan.version = 2;
    expect(validate(plan)).toBe(false);
  });
});
