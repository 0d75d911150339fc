import type { EmailStep, Step } from '../model.js';
import { walkSteps } from '../steps.js';
import type { YamlPath } from '../yaml-source.js';
import type { FlowRule, RuleFinding } from './rule.js';

/** Every SMS of a flow (steps and A/B variants) with its path. */
function smsSteps(steps: Step[]): Array<{ quiet?: boolean; path: YamlPath }> {
  const out: Array<{ quiet?: boolean; path: YamlPath }> = [];
  walkSteps(steps, ['steps'], (step, path) => {
    if (step.sms) out.push({ quiet: step.sms.quiet_hours, path: [...path, 'sms', 'quiet_hours'] });
    step.ab_test?.variants.forEach((v, i) => {
      if (v.sms)
        out.push({
          quiet: v.sms.quiet_hours,
          path: [...path, 'ab_test', 'variants', i, 'sms', 'quiet_hours'],
        });
    });
  });
  return out;
}

/** Texting people at night gets numbers reported and carriers filtering the brand: quiet hours stay on. */
export const smsQuietHours: FlowRule = {
  id: 'sms-quiet-hours',
  defaultSeverity: 'error',
  description: 'SMS steps must keep quiet hours on.',
  check({ flow }) {
    return smsSteps(flow.value.steps)
      .filter((s) => s.quiet === false)
      .map((s) => ({
        path: s.path,
        message: 'this SMS turns quiet hours off: it could reach people in the middle of the night',
        fix: 'remove quiet_hours: false (quiet hours are on by default)',
      }));
  },
};

function emailSteps(steps: Step[]): Array<{ email: EmailStep; path: YamlPath }> {
  const out: Array<{ email: EmailStep; path: YamlPath }> = [];
  walkSteps(steps, ['steps'], (step, path) => {
    if (step.email) out.push({ email: step.email, path: [...path, 'email'] });
    step.ab_test?.variants.forEach((v, i) => {
      if (v.email) out.push({ email: v.email, path: [...path, 'ab_test', 'variants', i, 'email'] });
    });
  });
  return out;
}

/**
 * Transactional email skips consent and unsubscribe requirements, so it is only for the templates the team
 * has listed as transactional (order and shipping notices) in `defaults.transactional_templates`.
 */
export const flowTransactional: FlowRule = {
  id: 'flow-transactional',
  defaultSeverity: 'error',
  description: 'transactional: true only for templates listed in defaults.transactional_templates.',
  check({ project, brand, flow }) {
    const allowed = new Set(project.root.value.defaults?.transactional_templates ?? []);
    const findings: RuleFinding[] = [];
    for (const { email, path } of emailSteps(flow.value.steps)) {
      if (email.transactional !== true || allowed.has(email.template)) continue;
      findings.push({
        path: [...path, 'transactional'],
        message: `'${email.template}' is sent as transactional but is not listed in transactional_templates`,
        fix: `remove transactional: true, or add '${email.template}' to defaults.transactional_templates if it is truly transactional`,
      });
    }
    void brand;
    return findings;
  },
  checkBrand(project, brand) {
    const allowed = new Set(project.root.value.defaults?.transactional_templates ?? []);
    const findings: RuleFinding[] = [];
    for (const template of brand.templates.values()) {
      if (!template.valid || template.frontMatter.transactional !== true || allowed.has(template.key))
        continue;
      findings.push({
        path: ['transactional'],
        at: template.at,
        message: `template '${template.key}' is marked transactional but is not listed in transactional_templates`,
        fix: `remove transactional: true, or add '${template.key}' to defaults.transactional_templates`,
      });
    }
    return findings;
  },
};
