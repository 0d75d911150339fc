import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { klaviyoSchemaValidator } from '../../../src/klaviyo/spec/validator.js';
import { matchOperation, operationById } from '../../../src/klaviyo/spec/operations.js';

const bodies: Array<[file: string, schema: string]> = [
  ['flow_create.json', 'FlowCreateQuery'],
  ['flow_status.json', 'FlowUpdateQuery'],
  ['flow_action_update.json', 'FlowActionUpdateQuery'],
  ['seg_create.json', 'SegmentCreateQuery'],
  ['seg_update.json', 'SegmentPartialUpdateQuery'],
  ['tpl_create.json', 'TemplateCreateHtmlOrDndQuery'],
  ['tpl_update.json', 'TemplateUpdateHtmlOrDndQuery'],
  ['tpl_render.json', 'TemplateRenderQuery'],
  ['tpl_clone.json', 'TemplateCloneQuery'],
  ['list_create.json', 'ListCreateQuery'],
  ['list_add.json', 'ListMembersAddQuery'],
  ['profile_upsert.json', 'ProfileUpsertQuery'],
  ['sub_bulk.json', 'SubscriptionCreateJobCreateQuery'],
  ['unsub_bulk.json', 'SubscriptionDeleteJobCreateQuery'],
  ['suppress.json', 'SuppressionCreateJobCreateQuery'],
  ['bulk_import.json', 'ProfileImportJobCreateQuery'],
  ['event.json', 'EventCreateQueryV2'],
  ['image_url.json', 'ImageCreateQuery'],
  ['tag_create.json', 'TagCreateQuery'],
  ['tag_group.json', 'TagGroupCreateQuery'],
  ['tag_flows.json', 'TagFlowOp'],
];

const load = (file: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/klaviyo-bodies/${file}`, import.meta.url), 'utf8'));

describe('Klaviyo schema validator', () => {
  it.each(bodies)('accepts the known-good body %s as %s', (file, schema) => {
    expect(klaviyoSchemaValidator().validate(schema, load(file))).toEqual({ ok: true });
  });

  it('accepts HH:MM:SS times without an offset, as Klaviyo writes them', () => {
    const body = load('flow_create.json') as { data: { attributes: { definition: { actions: unknown[] } } } };
    const json = JSON.stringify(body);
    expect(json).toContain('"10:00:00"');
    expect(klaviyoSchemaValidator().validate('FlowCreateQuery', body).ok).toBe(true);
  });

  it('rejects a flow body with a missing name, pointing at the attributes', () => {
    const body = load('flow_create.json') as { data: { attributes: Record<string, unknown> } };
    delete body.data.attributes.name;
    const result = klaviyoSchemaValidator().validate('FlowCreateQuery', body);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems).toContainEqual({
        pointer: '/data/attributes',
        detail: "'name' is a required property",
      });
    }
  });

  it('rejects a delay with an unknown unit, pointing into the action', () => {
    const body = load('flow_create.json') as {
      data: { attributes: { definition: { actions: Array<{ data: Record<string, unknown> }> } } };
    };
    body.data.attributes.definition.actions[0]!.data.unit = 'fortnights';
    const result = klaviyoSchemaValidator().validate('FlowCreateQuery', body);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems.some((p) => p.pointer.startsWith('/data/attributes/definition/actions/0'))).toBe(
        true,
      );
  });

  it('accepts null where the spec marks a field nullable', () => {
    const body = { data: { type: 'template', id: 'X', attributes: { name: null, html: '<p>x</p>' } } };
    expect(klaviyoSchemaValidator().validate('TemplateUpdateHtmlOrDndQuery', body).ok).toBe(true);
  });
});

describe('Klaviyo operation table', () => {
  it('reads per-operation rate limits, including daily caps', () => {
    expect(operationById('create_flow').rateLimit).toEqual({
      burstPerSecond: 1,
      steadyPerMinute: 15,
      dailyCap: 100,
    });
    expect(operationById('get_templates').rateLimit).toEqual({ burstPerSecond: 75, steadyPerMinute: 750 });
    expect(operationById('get_templates').maxPageSize).toBe(10);
  });

  it('matches concrete paths to operations with their path parameters', () => {
    const matched = matchOperation('PATCH', '/api/flow-actions/01ABC');
    expect(matched?.operation.operationId).toBe('update_flow_action');
    expect(matched?.pathParams).toEqual({ id: '01ABC' });
    expect(matched?.operation.requestSchema).toBe('FlowActionUpdateQuery');
    expect(matchOperation('GET', '/api/flows/')?.operation.operationId).toBe('get_flows');
    expect(matchOperation('GET', '/api/nothing-here')).toBeUndefined();
  });
});
