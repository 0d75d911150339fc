/**
 * A small marketing repository with one of each thing a plan describes: a segment with a spend threshold, an
 * A/B-tested welcome email, a delay, a date-triggered flow. Tests apply it to the embedded sandbox, edit one
 * file, and plan: the plan shown is the engine's own output for that edit.
 */
import { ACME_FILES } from '../../engine/project.js';

const BRAND = 'marketing/brands/acme';

export const CHANGE_FILES: Record<string, string> = {
  // Flows removed from code are archived (set to draft), as in the example content.
  'marketing/klaviyo-gitops.yaml': 'version: 1\ndefaults:\n  deletion: { flow: archive }\n',
  [`${BRAND}/brand.yaml`]: ACME_FILES[`${BRAND}/brand.yaml`]!,
  [`${BRAND}/lists/newsletter.yaml`]: 'name: Newsletter\n',
  [`${BRAND}/segments/big-spenders.yaml`]: [
    'name: Big spenders',
    'all:',
    '  - metric: Placed Order',
    '    sum: { at_least: 750 }',
    '    within: { last: 365, unit: day }',
    '',
  ].join('\n'),
  [`${BRAND}/templates/welcome-1.html`]: template('Welcome 1', 'Welcome to Acme', [
    '<p>Thanks for joining the Acme newsletter.</p>',
    '<p>Here is what to expect from us:</p>',
    '<ul><li>New gear every month</li><li>Trail guides</li><li>Member offers</li></ul>',
    '<p>Your welcome code is WELCOME10.</p>',
  ]),
  [`${BRAND}/templates/welcome-2.html`]: template('Welcome 2', 'Still thinking it over?', [
    '<p>Our best sellers are waiting for you.</p>',
  ]),
  [`${BRAND}/templates/birthday.html`]: template('Birthday', 'Happy birthday from Acme', [
    '<p>Your birthday treat is inside.</p>',
  ]),
  [`${BRAND}/flows/welcome.yaml`]: [
    'name: Welcome series',
    'status: live',
    'trigger: { list: newsletter }',
    'steps:',
    '  - id: welcome-1',
    '    ab_test:',
    '      name: Welcome subject line',
    '      variants:',
    '        - email: { template: welcome-1 }',
    '        - email: { template: welcome-1, subject: "Your 10% code is inside" }',
    '  - id: wait-before-2',
    '    wait: { days: 4 }',
    '  - id: welcome-2',
    '    email: { template: welcome-2 }',
    '',
  ].join('\n'),
  [`${BRAND}/flows/birthday.yaml`]: [
    'name: Birthday',
    'status: live',
    'trigger:',
    '  date: { property: Birthday, days_before: 2, time: "09:00", recurrence: annually }',
    'entry_filters:',
    '  - consent: { channel: email }',
    'steps:',
    '  - id: birthday-email',
    '    email: { template: birthday }',
    '',
  ].join('\n'),
};

function template(name: string, subject: string, body: string[]): string {
  return [
    '---',
    `name: ${name}`,
    `subject: ${JSON.stringify(subject)}`,
    'preview_text: A note from Acme',
    '---',
    "<html><body><p>Hi {{ first_name|default:'there' }}</p>",
    ...body,
    '<p>{% unsubscribe %}</p><p>{{ organization.full_address }}</p></body></html>',
    '',
  ].join('\n');
}
