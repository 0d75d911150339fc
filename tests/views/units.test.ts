/** Quantities and times in the words a person uses: plurals and units, never `day(s)` or `11:00:00`. */
import { describe, expect, it } from 'vitest';
import { describeStep } from '../../src/views/plan/flow-tree.js';
import { clockTime, quantity } from '../../src/views/units.js';

describe('units', () => {
  it('counts in the right number whichever way Klaviyo spells the unit', () => {
    expect(quantity(1, 'days')).toBe('1 day');
    expect(quantity(7, 'day')).toBe('7 days');
    expect(quantity(7, 'days')).toBe('7 days');
    expect(quantity(1, 'hour')).toBe('1 hour');
  });

  it('says a time of day without zero seconds', () => {
    expect(clockTime('11:00:00')).toBe('11:00');
    expect(clockTime('09:30:15')).toBe('09:30:15');
  });

  it('a delay step reads "wait 1 day until 11:00"', () => {
    const step = (data: Record<string, unknown>) =>
      ({ id: '1', type: 'time-delay', data }) as Parameters<typeof describeStep>[0];
    expect(describeStep(step({ unit: 'days', value: 1, delay_until_time: '11:00:00' }))).toBe(
      'wait 1 day until 11:00',
    );
    expect(describeStep(step({ unit: 'days', value: 7 }))).toBe('wait 7 days');
  });
});
