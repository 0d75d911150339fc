import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildQuery, filter } from '../../src/klaviyo/index.js';

describe('Klaviyo filter builders', () => {
  it('quotes strings, leaves numbers and booleans bare', () => {
    expect(filter.equals('name', 'Welcome')).toBe('equals(name,"Welcome")');
    expect(filter.equals('archived', false)).toBe('equals(archived,false)');
    expect(filter.greaterThan('timestamp', 1700000000)).toBe('greater-than(timestamp,1700000000)');
  });

  it('writes datetimes unquoted, as Klaviyo requires', () => {
    const when = new Date(Date.UTC(2026, 6, 1, 0, 0, 0));
    expect(filter.greaterThan('updated', when)).toBe('greater-than(updated,2026-07-01T00:00:00.000Z)');
  });

  it('brackets lists', () => {
    expect(filter.any('id', ['a', 'b'])).toBe('any(id,["a","b"])');
    expect(() => filter.any('id', [])).toThrow(RangeError);
  });

  it('escapes quotes and backslashes inside strings', () => {
    expect(filter.equals('name', 'say "hi" \\ bye')).toBe('equals(name,"say \\"hi\\" \\\\ bye")');
  });

  it('combines expressions', () => {
    const expr = filter.and(filter.equals('status', 'live'), filter.not(filter.has('profile')));
    expect(expr).toBe('and(equals(status,"live"),not(has(profile)))');
    expect(filter.all(filter.equals('a', 1), filter.equals('b', 2))).toBe('equals(a,1),equals(b,2)');
  });

  it('keeps any string value a single quoted token', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const expr = filter.equals('name', value);
        const inner = expr.slice('equals(name,'.length, -1);
        expect(JSON.parse(inner)).toBe(value);
      }),
    );
  });
});

describe('buildQuery', () => {
  it('writes JSON:API parameters with comma-joined lists', () => {
    const query = buildQuery({
      filter: [filter.equals('name', 'x'), filter.equals('status', 'draft')],
      fields: { flow: ['name', 'status'], tag: ['name'] },
      additionalFields: { flow: ['definition'] },
      include: ['tags', 'flow-actions'],
      sort: '-updated',
      pageSize: 50,
      pageCursor: 'abc',
      params: { 'custom[param]': 'v' },
    });
    expect(Object.fromEntries(query)).toEqual({
      filter: 'equals(name,"x"),equals(status,"draft")',
      'fields[flow]': 'name,status',
      'fields[tag]': 'name',
      'additional-fields[flow]': 'definition',
      include: 'tags,flow-actions',
      sort: '-updated',
      'page[size]': '50',
      'page[cursor]': 'abc',
      'custom[param]': 'v',
    });
  });

  it('writes nothing for empty options', () => {
    expect(buildQuery({}).toString()).toBe('');
  });
});
