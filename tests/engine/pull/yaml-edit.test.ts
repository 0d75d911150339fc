import { describe, expect, it } from 'vitest';
import { editYaml, YamlEditError } from '../../../src/engine/pull/yaml-edit.js';

const FLOW = `# Cart reminders
name: Abandoned cart
description: >
  A long description folded over two lines that a full re-print of the document would join into one
  line, which is exactly what an edit must not do.
status: live # paused in December
trigger: { metric: Started Checkout }
steps:
  - id: wait-4h
    wait: { hours: 4 }
  # the reminder
  - id: cart-1
    email: { template: cart-1, subject: "Still thinking it over?" }
  - id: wait-1d
    wait:
      days: 1
metrics: [A, B]
`;

describe('editYaml', () => {
  it('changes a scalar in place and keeps its comment and everything else', () => {
    const out = editYaml(FLOW, [{ path: ['status'], from: 'live', to: 'manual' }]);
    expect(out).toBe(FLOW.replace('status: live #', 'status: manual #'));
  });

  it('writes one value of a { } mapping and keeps its spacing and the other keys', () => {
    const out = editYaml(FLOW, [
      { path: ['steps', 0, 'wait'], from: { hours: 4 }, to: { hours: 6 } },
      {
        path: ['steps', 1, 'email'],
        from: { template: 'cart-1', subject: 'Still thinking it over?', preview_text: '' },
        to: { template: 'cart-1', subject: 'Your cart, saved', preview_text: '' },
      },
    ]);
    expect(out).toBe(
      FLOW.replace('{ hours: 4 }', '{ hours: 6 }').replace(
        'subject: "Still thinking it over?"',
        'subject: "Your cart, saved"',
      ),
    );
  });

  it('adds and removes keys of a block mapping line by line', () => {
    const out = editYaml(FLOW, [{ path: ['steps', 2, 'wait'], from: { days: 1 }, to: { hours: 30 } }]);
    expect(out).toBe(FLOW.replace('      days: 1\n', '      hours: 30\n'));
    const added = editYaml(FLOW, [{ path: ['with', 'first_wait_hours'], from: undefined, to: 6 }]);
    expect(added).toBe(`${FLOW}with:\n  first_wait_hours: 6\n`);
    const removed = editYaml(FLOW, [{ path: ['metrics'], from: ['A', 'B'], to: undefined }]);
    expect(removed).toBe(FLOW.replace('metrics: [A, B]\n', ''));
  });

  it('adds several keys in the order given, and rewrites a value whose shape changed', () => {
    const out = editYaml(FLOW, [
      {
        path: ['steps', 2, 'wait'],
        from: { days: 1 },
        to: { days: 1, until: { time: '10:00' }, timezone: 'UTC' },
      },
      { path: ['trigger'], from: { metric: 'Started Checkout' }, to: 'none' },
    ]);
    expect(out).toBe(
      FLOW.replace(
        '      days: 1\n',
        '      days: 1\n      until:\n        time: 10:00\n      timezone: UTC\n',
      ).replace('trigger: { metric: Started Checkout }', 'trigger: none'),
    );
  });

  it('adds a key to front matter that does not end with a newline', () => {
    const front = 'name: Welcome\nlayout: base';
    expect(editYaml(front, [{ path: ['layout'], from: 'base', to: undefined }])).toBe('name: Welcome');
    expect(editYaml(front, [{ path: ['subject'], from: undefined, to: 'Hi' }])).toBe(`${front}\nsubject: Hi`);
  });

  it('refuses a path the file does not have instead of guessing', () => {
    expect(() => editYaml(FLOW, [{ path: ['steps', 9, 'wait'], from: 1, to: 2 }])).toThrow(YamlEditError);
  });
});
