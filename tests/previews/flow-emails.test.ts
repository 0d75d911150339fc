import { afterEach, describe, expect, it } from 'vitest';
import { buildDesiredState } from '../../src/compile/index.js';
import { evenShares, flowEmails } from '../../src/previews/flow-emails.js';
import { tempProject, type TempProject } from '../project/temp-project.js';

let project: TempProject | undefined;
afterEach(() => project?.cleanup());

const FLOW = 'marketing/brands/acme/flows/nurture.yaml';

const NURTURE = `name: Nurture
trigger: { list: newsletter }
steps:
  - id: first-wait
    wait: { days: 2, until: { time: "10:00", weekdays: [monday, tuesday] } }
  - id: intro
    ab_test:
      name: Intro subject
      winner_metric: unique-opens
      variants:
        - email: { template: hello }
        - email:
            template: deals
            subject: "Deals for {{ first_name|default:'you' }}"
            preview_text: Only this week
  - wait: { hours: 3 }
  - wait: { minutes: 30 }
  - id: bought
    split:
      name: Bought already?
      if:
        - { metric: Placed Order, since: flow_start }
      then:
        - id: thanks
          email: { template: hello, subject: Thanks for your order }
      else:
        - email: { template: deals, name: Last call }
`;

const DEALS = `---
name: Deals
subject: This week's deals
---
<p>Deals</p>
<p><a href="{% unsubscribe_link %}">Unsubscribe</a></p>
`;

async function nurture() {
  project = tempProject({ [FLOW]: NURTURE, 'marketing/brands/acme/templates/deals.html': DEALS });
  const { project: loaded } = await buildDesiredState({ cwd: project.cwd, dir: project.dir });
  const brand = loaded.brands.get('acme')!;
  return flowEmails(brand.flows.get('nurture')!, brand.config.value, brand.templates);
}

describe('flowEmails', () => {
  it('lists the email steps in step order with the step ids as written, splits walked then-before-else', async () => {
    const emails = await nurture();
    expect(emails.map((e) => e.step)).toEqual(['intro', 'thanks', 'email-2']);
    expect(emails.map((e) => [e.file, e.line])).toEqual([
      [FLOW, 6],
      [FLOW, 24],
      [FLOW, 27],
    ]);
    expect(emails[1]!.branches).toEqual([{ step: 'bought', label: 'Bought already?', arm: 'then' }]);
    expect(emails[2]!.branches).toEqual([{ step: 'bought', label: 'Bought already?', arm: 'else' }]);
  });

  it('gives each email the waits since the previous email on its path', async () => {
    const [intro, thanks, last] = await nurture();
    expect(intro!.delay).toEqual([
      {
        step: 'first-wait',
        amount: 2,
        unit: 'days',
        until: { time: '10:00', weekdays: ['monday', 'tuesday'] },
      },
    ]);
    const both = [
      { step: 'wait-2', amount: 3, unit: 'hours' },
      { step: 'wait-3', amount: 30, unit: 'minutes' },
    ];
    expect(thanks!.delay).toEqual(both);
    expect(last!.delay).toEqual(both);
  });

  it('shows an A/B test as its variants with their subject, preview text, template and even split', async () => {
    const [intro] = await nurture();
    expect(intro!.abTest).toEqual({ name: 'Intro subject', winnerMetric: 'unique-opens', autoWinner: true });
    expect(intro!.variants).toMatchObject([
      {
        label: 'A',
        share: 50,
        template: 'hello',
        name: 'Hello',
        subject: { written: 'Hello there', from: 'template' },
        previewText: { written: 'A short hello', from: 'template' },
      },
      {
        label: 'B',
        share: 50,
        template: 'deals',
        name: 'Deals',
        subject: {
          written: "Deals for {{ first_name|default:'you' }}",
          from: 'step',
          at: { file: FLOW, line: 14 },
        },
        previewText: { written: 'Only this week', from: 'step', at: { file: FLOW, line: 15 } },
      },
    ]);
  });

  it("takes the step's subject over the template's, and the template's preview text when the step has none", async () => {
    const [, thanks, last] = await nurture();
    expect(thanks!.variants).toMatchObject([
      {
        label: '',
        share: 100,
        template: 'hello',
        subject: { written: 'Thanks for your order', from: 'step' },
        previewText: { written: 'A short hello', from: 'template' },
      },
    ]);
    // A template without preview text sends none.
    expect(last!.variants[0]).toMatchObject({
      name: 'Last call',
      subject: { written: "This week's deals", from: 'template' },
      previewText: { written: '', from: 'template' },
    });
  });

  it("names the brand's sender on every email", async () => {
    const emails = await nurture();
    for (const email of emails)
      expect(email.sender).toEqual({ fromLabel: 'Acme Goods', fromEmail: 'hello@acme.example' });
  });
});

describe('evenShares', () => {
  it('splits 100 percent in whole numbers', () => {
    expect(evenShares(2)).toEqual([50, 50]);
    expect(evenShares(3)).toEqual([34, 33, 33]);
  });
});
