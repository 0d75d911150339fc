import { describe, expect, it } from 'vitest';
import { samplePlan } from '../sample-plan.js';
import {
  describeConditionGroups,
  renderPlanJson,
  renderBrandPlanSection,
  renderPlanMarkdown,
  renderPlanText,
} from '../../../src/views/plan/index.js';
import { vipDefinition } from '../../engine/fixtures.js';

describe('describeConditionGroups', () => {
  it('reads a segment definition as a sentence', () => {
    expect(describeConditionGroups(vipDefinition)).toBe(
      'Placed Order at least 3 times in the last 365 days AND is in list newsletter',
    );
  });

  it('ORs the conditions of one group and says what it does not know', () => {
    expect(
      describeConditionGroups({
        condition_groups: [
          {
            conditions: [
              {
                type: 'profile-property',
                property: "properties['Loyalty Tier']",
                filter: { type: 'string', operator: 'equals', value: 'Gold' },
              },
              {
                type: 'profile-marketing-consent',
                consent: { channel: 'email', can_receive_marketing: true },
              },
            ],
          },
          { conditions: [{ type: 'profile-region', in_region: false, region: 'european_union' }] },
          { conditions: [{ type: 'profile-sample', percentage: 10 }] },
        ],
      }),
    ).toBe(
      '(Loyalty Tier is "Gold" OR can receive email marketing) AND is not in the European Union AND profile-sample {"type":"profile-sample","percentage":10}',
    );
  });
});

describe('renderPlanText', () => {
  it('renders a Terraform-like plan', () => {
    expect(renderPlanText(samplePlan())).toMatchInlineSnapshot(`
      "brand trailhead (account TRLHD1): +1 ~2 -1, 1 replace
        - list old "Old list" (delete)
            deleted by the deletion policy (list: delete)
            id LOLD01
        + list vip-list "VIP list" (create)
        ~ segment vip "VIP" (update in place)
            condition changed: Placed Order at least 3 -> 5 times in the last 365 days
        ~ template welcome "Template welcome" (update in place)
            html: 6 -> 6 lines, 62 -> 69 characters
              @@ -2,3 +2,3 @@
               <body>
              -<p>Welcome</p>
              +<p>Welcome aboard</p>
               {% unsubscribe %}
            re-assigned to flow welcome step email-1 (via the flow replace)
        -/+ flow welcome "Welcome series" (replace)
            because a step was added (email-2): Klaviyo cannot add steps to a flow
            impact: profiles waiting in the live flow's delays do not move to the new flow: the old flow is set to draft and they stop there
            impact: the new flow starts without history: past sends, reports and A/B test results stay with the old flow
            impact: the old flow is kept in draft, detached (tag klaviyo-gitops:archived)
            the new flow goes live on merge and starts sending
            step email-1 (email): email content: takes the new content of template welcome
            trigger: added to list newsletter
            1. wait 1 day [wait-1]
            2. ~ email "Welcome!" (template welcome) [email-1]
            3. + email "Still there?" (template welcome) [email-2]
        API calls: create_flow 1, create_list 1, create_tag 1, delete_list 1, tag_flows 2, tag_lists 1, update_flow 2, update_segment 1, update_template 1
        Daily caps used by this plan: flow creates 1 of 100 today; list creates 1 of 150 today; segment updates 1 of 100 today

      Plan: +1 ~2 -1, 1 replace
      fingerprint 02d8e11630b4614e6a5548dca1877d9b265277acc5ca8e75107af8019e7998b2
      "
    `);
  });

  it('colours symbols only when asked', () => {
    expect(renderPlanText(samplePlan())).not.toContain('\u001b[');
    expect(renderPlanText(samplePlan(), { color: true })).toContain('\u001b[32m+ list vip-list');
  });
});

describe('renderPlanMarkdown', () => {
  it('puts counts on top and keeps deletes and replaces outside collapsed sections', () => {
    const md = renderPlanMarkdown(samplePlan());
    expect(md.split('\n')[0]).toBe('### klaviyo-gitops plan: +1 ~2 -1, 1 replace');
    const warning = md.slice(md.indexOf('> [!WARNING]'), md.indexOf('<details'));
    expect(warning).toContain('> **Delete** `-` list `old` “Old list”');
    expect(warning).toContain('> **Replace** `-/+` flow `welcome` “Welcome series”');
    expect(warning).toContain('> - because a step was added (email-2): Klaviyo cannot add steps to a flow');
    expect(md).toContain('```diff\n--- html\tKlaviyo\n+++ html\trepository\n');
    expect(md).toContain('-<p>Welcome</p>\n+<p>Welcome aboard</p>');
    expect(md).toContain('| default for flow emails | Subject welcome | Preview welcome |');
    expect(md).toContain('- condition changed: Placed Order at least 3 -&gt; 5 times in the last 365 days');
    expect(md).not.toContain('[!NOTE]');
  });

  it('degrades from full diffs to summaries to counts under a budget, saying so', () => {
    const plan = samplePlan();
    const link = { fullPlanLink: 'https://ci.example/run/1' };
    const full = renderPlanMarkdown(plan, link);
    const summary = renderPlanMarkdown(plan, { budget: full.length - 1, ...link });
    expect(summary.length).toBeLessThan(full.length);
    expect(summary).toContain('showing one line per resource');
    expect(summary).not.toContain('```diff');
    expect(summary).toContain('- `~` template `welcome` “Template welcome”: update in place (html)');
    const counts = renderPlanMarkdown(plan, { budget: summary.length - 1, ...link });
    expect(counts).toContain(
      'showing counts and deletes/replaces only. [Full plan](https://ci.example/run/1)',
    );
    expect(counts).not.toContain('template `welcome`');
    expect(counts).toContain('> **Delete** `-` list `old` “Old list”');
    expect(counts.length).toBeLessThanOrEqual(summary.length - 1);
    const tiny = renderPlanMarkdown(plan, { budget: 300 });
    expect(tiny.length).toBeLessThanOrEqual(300);
    expect(tiny).toContain('truncated to 300 characters');
  });

  it('escapes names that would break the comment', () => {
    const plan = samplePlan();
    plan.brands[0]!.resources.find((r) => r.key === 'old')!.name = '<script>|x';
    expect(renderPlanMarkdown(plan)).toContain('“&lt;script&gt;\\|x”');
  });
});

describe('renderPlanJson', () => {
  it('is the plan object itself', () => {
    const plan = samplePlan();
    expect(JSON.parse(renderPlanJson(plan))).toEqual(plan);
  });
});

describe('renderBrandPlanSection', () => {
  it("renders one brand's part without its heading, and caps the deletes and replaces it lists", () => {
    const brand = samplePlan().brands[0]!;
    const section = renderBrandPlanSection(brand, 'counts', { heading: false, prominentLimit: 1 });
    expect(section).not.toContain('#### trailhead');
    expect(section).toContain('**Delete** `-` list `old`');
    expect(section).not.toContain('**Replace**');
    expect(section).toContain('> - … and 1 more deletes and replaces (the job summary lists all)');
    expect(renderBrandPlanSection(brand, 'counts')).toContain('**Replace** `-/+` flow `welcome`');
  });
});
