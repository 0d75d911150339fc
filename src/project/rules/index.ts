/** The flow rules, and running them with each brand's configured severities. */
import { suggestion, type Diagnostic } from '../diagnostics.js';
import { diagnosticAt } from '../locator.js';
import type { BrandProject, Project, RuleSeverity } from '../model.js';
import { flowConsentRequired } from './consent.js';
import { flowDuplicateTrigger } from './duplicate-trigger.js';
import { flowExitOnOrder } from './exit-on-order.js';
import { flowTransactional, smsQuietHours } from './messages.js';
import type { FlowRule } from './rule.js';
import { flowUnreachableStep, splitNotLast } from './structure.js';

export type { FlowRule, RuleFinding } from './rule.js';

export const FLOW_RULES: readonly FlowRule[] = [
  flowConsentRequired,
  flowExitOnOrder,
  flowDuplicateTrigger,
  smsQuietHours,
  flowTransactional,
  splitNotLast,
  flowUnreachableStep,
];

/** The severity of `rule` in `brand`: brand.yaml `rules:`, then the root's `defaults.rules`, then the default. */
export function ruleSeverity(project: Project, brand: BrandProject, rule: FlowRule): RuleSeverity {
  const own = brand.config.valid ? brand.config.value.rules?.[rule.id] : undefined;
  const shared = project.root.valid ? project.root.value.defaults?.rules?.[rule.id] : undefined;
  return own ?? shared ?? rule.defaultSeverity;
}

export function runFlowRules(project: Project, rules: readonly FlowRule[] = FLOW_RULES): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const brand of project.brands.values()) {
    for (const rule of rules) {
      const severity = ruleSeverity(project, brand, rule);
      if (severity === 'off') continue;
      if (rule.check) {
        for (const flow of brand.flows.values()) {
          if (!flow.valid) continue;
          for (const finding of rule.check({ project, brand, flow })) {
            out.push(
              diagnosticAt(
                (finding.at ?? flow.at)(finding.path),
                rule.id,
                severity,
                finding.message,
                finding.fix,
              ),
            );
          }
        }
      }
      if (rule.checkBrand) {
        for (const finding of rule.checkBrand(project, brand)) {
          if (!finding.at) continue;
          out.push(diagnosticAt(finding.at(finding.path), rule.id, severity, finding.message, finding.fix));
        }
      }
    }
  }
  return out.concat(checkRuleNames(project, rules));
}

/**
 * A misspelt flow rule id in `rules:` would silently keep the default. Ids close to one of ours are flagged;
 * others may belong to the email checks, which read the same map.
 */
function checkRuleNames(project: Project, rules: readonly FlowRule[]): Diagnostic[] {
  const ids = rules.map((r) => r.id);
  const out: Diagnostic[] = [];
  const check = (
    config: Record<string, unknown> | undefined,
    at: (key: string) => ReturnType<Project['root']['at']>,
  ): void => {
    for (const name of Object.keys(config ?? {})) {
      if (ids.includes(name)) continue;
      const fix = suggestion(name, ids);
      if (fix)
        out.push(diagnosticAt(at(name), 'unknown-rule', 'warning', `'${name}' is not a flow rule`, fix));
    }
  };
  if (project.root.valid)
    check(project.root.value.defaults?.rules, (k) =>
      project.root.at(['defaults', 'rules', k], { key: true }),
    );
  for (const brand of project.brands.values()) {
    if (brand.config.valid)
      check(brand.config.value.rules, (k) => brand.config.at(['rules', k], { key: true }));
  }
  return out;
}
