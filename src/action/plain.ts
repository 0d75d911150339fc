/**
 * The plain jobs: `validate`, `plan` and `drift` as the CLI runs them, reported to GitHub (annotations for the
 * findings, the job summary, the outputs). A plan with changes is its answer, not a failure; drift fails the
 * step only with `fail-on-drift`.
 */
import { runDrift } from '../commands/drift.js';
import { runPlan } from '../commands/plan.js';
import type { CommandResult } from '../commands/results.js';
import { runValidate } from '../commands/validate.js';
import { planHasErrors } from '../engine/plan.js';
import { selectAnnotations } from '../views/github/index.js';
import type { JobContext, JobOutcome } from './job.js';
import { PLAN_FILE } from './job.js';
import { reportOutcome } from './report.js';

export async function plainJob(job: JobContext, name: 'validate' | 'plan' | 'drift'): Promise<JobOutcome> {
  const { inputs, command } = job;
  const selection = { dir: inputs.dir, brand: inputs.brand };
  let result: CommandResult;
  let failure: string | undefined;
  if (name === 'validate') {
    const validated = await runValidate(selection, command);
    for (const annotation of selectAnnotations(validated.diagnostics).annotations)
      job.sink.annotate(annotation);
    if (validated.errors > 0) failure = `the marketing files have ${validated.errors} error(s)`;
    result = validated;
  } else if (name === 'plan') {
    const planned = await runPlan(
      { ...selection, out: PLAN_FILE, detailedExitcode: false, target: inputs.target },
      command,
    );
    if (planHasErrors(planned.plan)) failure = 'the plan has errors (listed in the job summary)';
    result = planned;
  } else {
    const drift = await runDrift(
      { ...selection, failOnDrift: inputs.failOnDrift, target: inputs.target },
      command,
    );
    if (planHasErrors(drift.plan)) failure = 'drift could not be fully checked (errors in the job summary)';
    else if (inputs.failOnDrift && drift.report.drifted) failure = 'Klaviyo has drifted from the repository';
    result = drift;
  }
  await reportOutcome(job, result, { extra: name === 'plan' ? { planJson: PLAN_FILE } : {} });
  return { outcome: result, ...(failure ? { failure } : {}) };
}
