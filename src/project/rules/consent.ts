import type { EmailStep, Step } from '../model.js';
import type { YamlPath } from '../yaml-source.js';
import { consentChannels, flowConsent, type Channel } from './conditions.js';
import type { FlowRule, RuleFinding } from './rule.js';

/**
 * Marketing messages go only to people who agreed to receive them. A send step needs consent for its channel
 * from the trigger (a list trigger implies email consent; a segment trigger what the segment requires), an
 * entry filter (`consent:` or `member_of:` a list or a consenting segment), or an enclosing split whose `if`
 * requires it (then-branch only). Transactional emails are exempt.
 */
export const flowConsentRequired: FlowRule = {
  id: 'flow-consent-required',
  defaultSeverity: 'error',
  description:
    'Marketing email and SMS steps need consent for their channel (entry filter, list/segment trigger or split).',
  check({ flow, brand }) {
    const findings: RuleFinding[] = [];
    const templates = brand.templates;
    const isTransactional = (email: EmailStep): boolean =>
      email.transactional ?? templates.get(email.template)?.frontMatter.transactional ?? false;
    const visit = (steps: Step[], path: YamlPath, consent: Set<Channel>): void => {
      steps.forEach((step, i) => {
        const here = [...path, i];
        const sends: Array<{ channel: Channel; path: YamlPath }> = [];
        if (step.email && !isTransactional(step.email))
          sends.push({ channel: 'email', path: [...here, 'email'] });
        if (step.sms) sends.push({ channel: 'sms', path: [...here, 'sms'] });
        step.ab_test?.variants.forEach((variant, v) => {
          if (variant.email && !isTransactional(variant.email))
            sends.push({ channel: 'email', path: [...here, 'ab_test', 'variants', v] });
          if (variant.sms) sends.push({ channel: 'sms', path: [...here, 'ab_test', 'variants', v] });
        });
        for (const send of sends) {
          if (consent.has(send.channel)) continue;
          findings.push({
            path: send.path,
            message: `marketing ${send.channel === 'sms' ? 'SMS' : 'email'} is sent without ${send.channel === 'sms' ? 'an SMS' : 'an email'} consent check`,
            fix:
              send.channel === 'email'
                ? "add '- consent: { channel: email }' to entry_filters, or trigger the flow from a list"
                : "add '- consent: { channel: sms }' to entry_filters, or put the SMS in the then-branch of a split on it",
          });
        }
        if (step.split) {
          const inner = new Set([...consent, ...consentChannels(step.split.if, brand)]);
          visit(step.split.then ?? [], [...here, 'split', 'then'], inner);
          visit(step.split.else ?? [], [...here, 'split', 'else'], consent);
        }
        if (step.trigger_split) {
          visit(step.trigger_split.then ?? [], [...here, 'trigger_split', 'then'], consent);
          visit(step.trigger_split.else ?? [], [...here, 'trigger_split', 'else'], consent);
        }
      });
    };
    visit(flow.value.steps, ['steps'], flowConsent(flow, brand));
    return findings;
  },
};
