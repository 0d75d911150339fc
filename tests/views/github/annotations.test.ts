import { describe, expect, it } from 'vitest';
import { selectAnnotations } from '../../../src/views/github/annotations.js';
import { finding } from './review-fixtures.js';

const changed = 'marketing/brands/trailhead/templates/welcome.html';
const untouched = 'marketing/brands/trailhead/flows/a.yaml';

describe('selectAnnotations', () => {
  it('keeps at most 10 errors and 10 warnings, changed files first, and says how many it left out', () => {
    const diagnostics = [
      ...Array.from({ length: 8 }, (_, i) =>
        finding(untouched, i + 1, 'flow-rule', `untouched error ${i}`, 'error'),
      ),
      ...Array.from({ length: 6 }, (_, i) =>
        finding(changed, i + 1, 'unknown-key', `changed error ${i}`, 'error'),
      ),
      ...Array.from({ length: 15 }, (_, i) => finding(changed, i + 1, 'img-alt', `changed warning ${i}`)),
    ];
    const { annotations, omitted, all } = selectAnnotations(diagnostics, [changed]);
    const errors = annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(10);
    expect(errors.slice(0, 6).every((a) => a.file === changed)).toBe(true);
    expect(annotations.filter((a) => a.level === 'warning')).toHaveLength(10);
    expect(omitted).toEqual({ errors: 4, warnings: 5 });
    expect(annotations.at(-1)).toEqual({
      level: 'notice',
      title: 'More findings',
      message:
        '4 more errors and 5 more warnings not shown as annotations (GitHub shows 10 of each per step): the job summary lists all 29 findings.',
    });
    expect(all).toHaveLength(29);
    expect(errors[0]).toEqual({
      level: 'error',
      message: 'changed error 0',
      title: 'unknown-key',
      file: changed,
      startLine: 1,
      startColumn: 3,
    });
  });

  it('reports a finding repeated for several emails once, at its most severe', () => {
    const layout = 'marketing/shared/layouts/base.html';
    const note = '`display:flex` is not supported by outlook-windows';
    const { annotations, all } = selectAnnotations([
      finding(layout, 12, 'caniemail', note),
      finding(layout, 12, 'caniemail', note, 'error'),
      finding(layout, 12, 'caniemail', note),
    ]);
    expect(all).toHaveLength(1);
    expect(annotations).toEqual([
      { level: 'error', message: note, title: 'caniemail', file: layout, startLine: 12, startColumn: 3 },
    ]);
  });

  it('adds no notice when everything fits', () => {
    const { annotations } = selectAnnotations([finding(changed, 1, 'img-alt', 'no alt')], [`./${changed}`]);
    expect(annotations.map((a) => a.level)).toEqual(['warning']);
  });
});
