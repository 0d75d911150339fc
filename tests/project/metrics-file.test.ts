import { afterEach, describe, expect, it } from 'vitest';
import { buildDesiredState } from '../../src/compile/index.js';
import { formatDiagnostic } from '../../src/project/diagnostics.js';
import { tempProject, type TempProject } from './temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const FILE = 'marketing/brands/acme/metrics.yaml';

async function build(text: string) {
  project = tempProject({ [FILE]: text });
  return buildDesiredState({ cwd: project.cwd, dir: project.dir });
}

describe('brands/<brand>/metrics.yaml', () => {
  it('declares the brand mapped metrics, each at its line', async () => {
    const result = await build('mapped:\n  revenue: Placed Order\n  refunded_sales: Refunded Order\n');
    expect(result.diagnostics.filter((d) => d.file === FILE)).toEqual([]);
    expect(result.states[0]!.mappedMetrics).toEqual([
      {
        kind: 'mapped-metric',
        key: 'revenue',
        name: 'Revenue',
        metric: 'Placed Order',
        source: { file: FILE, line: 2, col: 12 },
      },
      {
        kind: 'mapped-metric',
        key: 'refunded_sales',
        name: 'Refunded sales',
        metric: 'Refunded Order',
        source: { file: FILE, line: 3, col: 19 },
      },
    ]);
  });

  it('refuses a slot Klaviyo does not have, at its key, with a did-you-mean', async () => {
    const result = await build('mapped:\n  revenue: Placed Order\n  refunds: Refunded Order\n');
    const messages = result.diagnostics.filter((d) => d.file === FILE).map(formatDiagnostic);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(new RegExp(`^${FILE}:3:3: error .*'refunds'.*refunded_sales`));
    expect(result.errors).toBeGreaterThan(0);
  });

  it('refuses an unknown metric name at its value, with a did-you-mean', async () => {
    const result = await build('mapped:\n  revenue: Placed Ordr\n');
    expect(result.diagnostics.map(formatDiagnostic)).toContain(
      `${FILE}:2:12: error unknown-metric: unknown metric 'Placed Ordr' (did you mean 'Placed Order'?)`,
    );
    expect(result.states[0]?.mappedMetrics ?? []).toEqual([]);
  });

  it('refuses a file that maps nothing', async () => {
    const result = await build('mapped: {}\n');
    expect(
      result.diagnostics
        .filter((d) => d.file === FILE)
        .map(formatDiagnostic)
        .join('\n'),
    ).toMatch(new RegExp(`^${FILE}:1:9: error `));
  });
});
