import type { Step } from '../model.js';
import type { YamlPath } from '../yaml-source.js';
import type { FlowRule, RuleFinding } from './rule.js';

/** For each step list of the flow: the index of its first split, if any step follows it. */
function listsWithStepsAfterSplit(
  steps: Step[],
  path: YamlPath,
  out: Array<{ path: YamlPath; split: number; count: number }>,
): void {
  const split = steps.findIndex((s) => s.split !== undefined || s.trigger_split !== undefined);
  if (split >= 0 && split < steps.length - 1) out.push({ path, split, count: steps.length - split - 1 });
  steps.forEach((step, i) => {
    const branch = step.split ?? step.trigger_split;
    const kind = step.split ? 'split' : 'trigger_split';
    if (branch?.then) listsWithStepsAfterSplit(branch.then, [...path, i, kind, 'then'], out);
    if (branch?.else) listsWithStepsAfterSplit(branch.else, [...path, i, kind, 'else'], out);
  });
}

function findings(steps: Step[]): Array<{ path: YamlPath; split: number; count: number }> {
  const out: Array<{ path: YamlPath; split: number; count: number }> = [];
  listsWithStepsAfterSplit(steps, ['steps'], out);
  return out;
}

/** A split ends its list: the flow continues in its then/else branches, so nothing can follow it. */
export const splitNotLast: FlowRule = {
  id: 'split-not-last',
  defaultSeverity: 'error',
  description: 'A split must be the last step of its list; later steps go into its then/else branches.',
  check({ flow }) {
    return findings(flow.value.steps).map(({ path, split, count }) => ({
      path: [...path, split],
      message: `${count} step${count === 1 ? '' : 's'} after this split would never run`,
      fix: "move them into the split's 'then:' and/or 'else:' lists",
    }));
  },
};

/** The steps a misplaced split cuts off, each reported where it is written. */
export const flowUnreachableStep: FlowRule = {
  id: 'flow-unreachable-step',
  defaultSeverity: 'warning',
  description: 'Steps no profile can reach (after a split in the same list).',
  check({ flow }) {
    const out: RuleFinding[] = [];
    for (const { path, split, count } of findings(flow.value.steps)) {
      for (let i = split + 1; i <= split + count; i += 1) {
        out.push({
          path: [...path, i],
          message: 'no profile can reach this step: it follows a split',
          fix: 'move it into a branch of the split above',
        });
      }
    }
    return out;
  },
};
