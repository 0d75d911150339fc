import { afterEach, describe, expect, it } from 'vitest';
import { buildDesiredState } from '../../src/compile/index.js';
import { formatDiagnostic } from '../../src/project/diagnostics.js';
import { tempProject, type TempProject } from './temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const FLOW = 'marketing/brands/acme/flows/reminder.yaml';
const BLUEPRINT = 'marketing/shared/blueprints/reminder.yaml';

async function build(files: Record<string, string | null>) {
  project = tempProject(files);
  return buildDesiredState({ cwd: project.cwd, dir: project.dir });
}

describe('blueprints', () => {
  it('substitutes a whole-value parameter with its type and interpolates inside strings', async () => {
    const result = await build({
      [FLOW]: 'name: Reminder\nextends: reminder\nwith: { template: hello, wait_hours: 6 }\n',
    });
    expect(result.errors).toBe(0);
    const flow = result.states[0]!.flows.find((f) => f.key === 'reminder')!;
    const wait = flow.definition.actions.find((a) => a.temporary_id === 'wait')!;
    expect(wait.data).toMatchObject({ unit: 'hours', value: 6 });
    const email = flow.definition.actions.find((a) => a.temporary_id === 'remind')!;
    // ${brand_greeting} is a built-in parameter taken from brand.yaml's tone.
    expect(email.data).toMatchObject({
      message: { subject_line: 'Hi, still deciding?', template_id: '@template:hello' },
    });
  });

  it('uses defaults for parameters the flow leaves out', async () => {
    const result = await build({});
    const flow = result.states[0]!.flows.find((f) => f.key === 'reminder')!;
    expect(flow.definition.actions[0]!.data).toMatchObject({ value: 2 });
  });

  it('reports a missing required parameter at the flow', async () => {
    const result = await build({ [FLOW]: 'name: Reminder\nextends: reminder\n' });
    expect(result.diagnostics.map(formatDiagnostic)).toContain(
      `${FLOW}:2:10: error missing-parameter: blueprint 'reminder' needs the parameter 'template' (add 'template:' under 'with:')`,
    );
  });

  it('reports an unknown parameter with a did-you-mean', async () => {
    const result = await build({
      [FLOW]: 'name: Reminder\nextends: reminder\nwith:\n  template: hello\n  wait_hour: 3\n',
    });
    expect(result.diagnostics.map(formatDiagnostic)).toContain(
      `${FLOW}:5:3: error unknown-parameter: blueprint 'reminder' has no parameter 'wait_hour' (did you mean 'wait_hours'?)`,
    );
  });

  it('reports a parameter of the wrong type', async () => {
    const result = await build({
      [FLOW]: 'name: Reminder\nextends: reminder\nwith: { template: hello, wait_hours: soon }\n',
    });
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        file: FLOW,
        line: 3,
        rule: 'schema',
        message: expect.stringContaining("parameter 'wait_hours'"),
      }),
    );
  });

  it('reports an unknown blueprint with a did-you-mean', async () => {
    const result = await build({ [FLOW]: 'name: Reminder\nextends: remnder\nwith: { template: hello }\n' });
    expect(result.diagnostics.map(formatDiagnostic)).toContain(
      `${FLOW}:2:10: error unknown-blueprint: unknown blueprint 'remnder' (did you mean 'reminder'?)`,
    );
  });

  it("points problems inside the blueprint at the blueprint's line and names the extending flow", async () => {
    const result = await build({ [FLOW]: 'name: Reminder\nextends: reminder\nwith: { template: helo }\n' });
    expect(result.diagnostics.map(formatDiagnostic)).toContain(
      `${BLUEPRINT}:14:26: error unknown-template: unknown template 'helo' (in blueprint 'reminder', extended by ${FLOW}) (did you mean 'hello'?)`,
    );
  });

  it('reports a placeholder the blueprint does not declare', async () => {
    const result = await build({
      [BLUEPRINT]:
        'parameters: {}\nflow:\n  trigger: { list: newsletter }\n  steps:\n    - email: { template: hello, subject: "Hi ${nmae}" }\n',
      [FLOW]: 'name: Reminder\nextends: reminder\n',
    });
    expect(result.diagnostics).toContainEqual(
      expect.objectContaining({
        file: BLUEPRINT,
        line: 5,
        rule: 'unknown-parameter',
        message: expect.stringContaining("'${nmae}'"),
      }),
    );
  });

  it('lets the flow replace a top-level key of the blueprint', async () => {
    const result = await build({
      [FLOW]:
        'name: Reminder\nextends: reminder\nwith: { template: hello }\nsteps:\n  - id: only\n    email: { template: hello }\n',
    });
    expect(result.errors).toBe(0);
    const flow = result.states[0]!.flows.find((f) => f.key === 'reminder')!;
    expect(flow.definition.actions.map((a) => a.temporary_id)).toEqual(['only']);
    expect(flow.steps.only).toMatchObject({ file: FLOW, line: 5 });
  });
});
