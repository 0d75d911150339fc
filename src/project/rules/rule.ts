/**
 * Flow compliance rules: each has an id, a default severity and a check that returns findings at YAML paths.
 * Severities are configurable per repository (`defaults.rules` in klaviyo-gitops.yaml) and per brand
 * (`rules:` in brand.yaml): off | warning | error.
 */
import type { Locator } from '../locator.js';
import type { BrandProject, LoadedFlow, Project, RuleSeverity } from '../model.js';
import type { YamlPath } from '../yaml-source.js';

export interface RuleFinding {
  /** Where the problem is reported: a path into `at` (the flow's locator unless given). */
  path: YamlPath;
  at?: Locator;
  message: string;
  fix?: string;
}

export interface FlowRuleInput {
  project: Project;
  brand: BrandProject;
  flow: LoadedFlow;
}

export interface FlowRule {
  id: string;
  defaultSeverity: Exclude<RuleSeverity, 'off'>;
  /** One line for docs and `--json` consumers. */
  description: string;
  /** Checks one flow. */
  check?(input: FlowRuleInput): RuleFinding[];
  /** Checks the brand as a whole (rules that compare flows with each other, or look at templates). */
  checkBrand?(project: Project, brand: BrandProject): RuleFinding[];
}
