/**
 * The text and markdown plans of each kind of change, made by the engine: the example project is applied to
 * the embedded sandbox, one file is edited, and `plan` runs as the CLI runs it. Each snapshot must show the
 * change in the words of the files, and no value cut into sameness.
 */
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/commands/index.js';
import { writeProject } from '../../engine/project.js';
import { CHANGE_FILES } from './change-project.js';

const BRAND = 'marketing/brands/acme';
let cwd = '';
const undo: Array<() => Promise<void>> = [];

beforeAll(async () => {
  cwd = await writeProject(CHANGE_FILES);
  const applied = await runCli(['apply', '--auto-approve'], { cwd, env: {}, progress: () => {} });
  expect(applied.exitCode, applied.stderr).toBe(0);
}, 60_000);
afterEach(async () => {
  for (const step of undo.splice(0).reverse()) await step();
});
afterAll(() => rm(cwd, { recursive: true, force: true }));

async function edit(file: string, from: string, to: string): Promise<void> {
  const path = join(cwd, BRAND, file);
  const text = await readFile(path, 'utf8');
  expect(text).toContain(from);
  await writeFile(path, text.replace(from, to));
  undo.push(() => writeFile(path, text));
}

async function add(file: string, content: string): Promise<void> {
  const path = join(cwd, BRAND, file);
  await writeFile(path, content);
  undo.push(() => rm(path));
}

async function move(file: string, to: string): Promise<void> {
  await rename(join(cwd, BRAND, file), join(cwd, BRAND, to));
  undo.push(() => rename(join(cwd, BRAND, to), join(cwd, BRAND, file)));
}

/** The plan as text and markdown, without what changes from run to run (ids, stamps, fingerprints). */
async function plan(): Promise<{ text: string; markdown: string }> {
  const outcome = await runCli(['plan', '--markdown', 'plan.md'], { cwd, env: {}, progress: () => {} });
  expect(outcome.stderr ?? '').toBe('');
  const stable = (s: string) =>
    s
      .replace(/fingerprint `?[0-9a-f]{64}`?/g, 'fingerprint …')
      .replace(/^(\s*)id \w+$/gm, '$1id …')
      .replace(/Klaviyo id `\w+`/g, 'Klaviyo id …');
  const markdown = await readFile(join(cwd, 'plan.md'), 'utf8');
  return { text: stable(outcome.stdout), markdown: stable(markdown) };
}

/** The lines of one resource in the text plan: its header and the lines indented under it. */
function textOf(text: string, header: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.includes(header));
  expect(start, `no "${header}" in:\n${text}`).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && !l.startsWith('      '));
  return lines.slice(start, end).join('\n');
}

/** One resource's part of the markdown plan: its warning (if any) and its `<details>` section. */
function markdownOf(markdown: string, kind: string, key: string): string {
  const title = `${kind} <code>${key}</code>`;
  const start = markdown.indexOf(`<details`, markdown.indexOf(`</code> ${title}`) - 80);
  const section = markdown.slice(start, markdown.indexOf('</details>', start) + '</details>'.length);
  const warning = markdown
    .split('\n\n')
    .find((block) => block.startsWith('> [!WARNING]') && block.includes(`${kind} \`${key}\``));
  return [warning, section].filter(Boolean).join('\n\n');
}

/** No change line prints two identical sides. */
function expectNoSameness(text: string): void {
  for (const line of text.split('\n')) {
    const match = /:\s(.+) (?:->|-&gt;) (.+)$/.exec(line);
    if (match) expect(match[1], line).not.toBe(match[2]);
  }
}

function expectShown(both: { text: string; markdown: string }): void {
  expectNoSameness(both.text);
  expectNoSameness(both.markdown);
}

describe('the plan of each kind of change, in the words of the files', () => {
  it('a trigger option: days before of a date trigger', async () => {
    await edit('flows/birthday.yaml', 'days_before: 2', 'days_before: 3');
    const p = await plan();
    expectShown(p);
    expect(textOf(p.text, 'flow birthday')).toMatchInlineSnapshot(`
      "  -/+ flow birthday "Birthday" (replace)
            because the trigger changed: Klaviyo cannot change a flow's trigger
            impact: profiles waiting in the live flow's delays do not move to the new flow: the old flow is set to draft and they stop there
            impact: the new flow starts without history: past sends, reports and A/B test results stay with the old flow
            impact: the old flow is kept in draft, detached (tag klaviyo-gitops:archived)
            the new flow goes live on merge and starts sending
            trigger days before: 2 -> 3
            trigger: date of Birthday: 3 days before at 09:00, every year
            entry filters: is subscribed to email marketing
            1. email "Happy birthday from Acme" (template birthday) [birthday-email]"
    `);
    expect(markdownOf(p.markdown, 'flow', 'birthday')).toMatchInlineSnapshot(`
      "> [!WARNING]
      > **Replace** \`-/+\` flow \`birthday\` “Birthday”
      > - because the trigger changed: Klaviyo cannot change a flow's trigger
      > - impact: profiles waiting in the live flow's delays do not move to the new flow: the old flow is set to draft and they stop there
      > - impact: the new flow starts without history: past sends, reports and A/B test results stay with the old flow
      > - impact: the old flow is kept in draft, detached (tag klaviyo-gitops:archived)
      > - the new flow goes live on merge and starts sending

      <details open><summary><code>-/+</code> flow <code>birthday</code> “Birthday”: replace</summary>

      \`\`\`
      trigger: date of Birthday: 3 days before at 09:00, every year
      entry filters: is subscribed to email marketing
      1. email "Happy birthday from Acme" (template birthday) [birthday-email]
      \`\`\`
      - trigger days before: 2 -&gt; 3

      </details>"
    `);
  });

  it('a delay', async () => {
    await edit('flows/welcome.yaml', 'wait: { days: 4 }', 'wait: { days: 2 }');
    const p = await plan();
    expectShown(p);
    expect(textOf(p.text, 'flow welcome')).toMatchInlineSnapshot(`
      "  ~ flow welcome "Welcome series" (update in place)
            step wait-before-2 (wait): delay: 4 days -> 2 days"
    `);
    expect(markdownOf(p.markdown, 'flow', 'welcome')).toMatchInlineSnapshot(`
      "<details><summary><code>~</code> flow <code>welcome</code> “Welcome series”: update in place</summary>

      \`\`\`
      trigger: added to list newsletter
      1. A/B test "Welcome subject line": A "Welcome to Acme", B "Your 10% code is inside" [welcome-1]
      2. ~ wait 2 days [wait-before-2]
      3. email "Still thinking it over?" (template welcome-2) [welcome-2]
      \`\`\`
      - step \`wait-before-2\` (wait): delay: 4 days -&gt; 2 days

      </details>"
    `);
  });

  it("an A/B variant's subject", async () => {
    await edit('flows/welcome.yaml', '10% code is inside', '10% code is waiting');
    const p = await plan();
    expectShown(p);
    expect(textOf(p.text, 'flow welcome')).toMatchInlineSnapshot(`
      "  ~ flow welcome "Welcome series" (update in place)
            step welcome-1 (ab_test): subject (variant B): "Your 10% code is inside" -> "Your 10% code is waiting""
    `);
    expect(markdownOf(p.markdown, 'flow', 'welcome')).toMatchInlineSnapshot(`
      "<details><summary><code>~</code> flow <code>welcome</code> “Welcome series”: update in place</summary>

      \`\`\`
      trigger: added to list newsletter
      1. ~ A/B test "Welcome subject line": A "Welcome to Acme", B "Your 10% code is waiting" [welcome-1]
      2. wait 4 days [wait-before-2]
      3. email "Still thinking it over?" (template welcome-2) [welcome-2]
      \`\`\`
      - step \`welcome-1\` (ab_test): subject (variant B): "Your 10% code is inside" -&gt; "Your 10% code is waiting"

      </details>"
    `);
  });

  it("a segment's threshold", async () => {
    await edit('segments/big-spenders.yaml', 'at_least: 750', 'at_least: 500');
    const p = await plan();
    expectShown(p);
    expect(textOf(p.text, 'segment big-spenders')).toMatchInlineSnapshot(`
      "  ~ segment big-spenders "Big spenders" (update in place)
            condition changed: total value of Placed Order at least 750 -> 500 in the last 365 days"
    `);
    expect(markdownOf(p.markdown, 'segment', 'big-spenders')).toMatchInlineSnapshot(`
      "<details><summary><code>~</code> segment <code>big-spenders</code> “Big spenders”: update in place</summary>

      - condition changed: total value of Placed Order at least 750 -&gt; 500 in the last 365 days

      </details>"
    `);
  });

  it("a template's body", async () => {
    await edit('templates/welcome-1.html', 'Trail guides', 'Trail guides for every season');
    const p = await plan();
    expectShown(p);
    expect(textOf(p.text, 'template welcome-1')).toMatchInlineSnapshot(`
      "  ~ template welcome-1 "Welcome 1" (update in place)
            html: 7 -> 7 lines, 339 -> 356 characters
              @@ -3,3 +3,3 @@
               <p>Here is what to expect from us:</p>
              -<ul><li>New gear every month</li><li>Trail guides</li><li>Member offers</li></ul>
              +<ul><li>New gear every month</li><li>Trail guides for every season</li><li>Member offers</li></ul>
               <p>Your welcome code is WELCOME10.</p>
            text: 16 -> 16 lines, 253 -> 270 characters
              @@ -7,3 +7,3 @@
                * New gear every month
              - * Trail guides
              + * Trail guides for every season
                * Member offers
            re-assigned to flow welcome step welcome-1"
    `);
    expect(markdownOf(p.markdown, 'template', 'welcome-1')).toMatchInlineSnapshot(`
      "<details><summary><code>~</code> template <code>welcome-1</code> “Welcome 1”: update in place</summary>

      | | Subject | Preview text |
      |---|---|---|
      | default for flow emails | Welcome to Acme | A note from Acme |

      - html:

      \`\`\`diff
      --- html	Klaviyo
      +++ html	repository
      @@ -1,6 +1,6 @@
       <html><body><p>Hi {{ first_name|default:'there' }}</p>
       <p>Thanks for joining the Acme newsletter.</p>
       <p>Here is what to expect from us:</p>
      -<ul><li>New gear every month</li><li>Trail guides</li><li>Member offers</li></ul>
      +<ul><li>New gear every month</li><li>Trail guides for every season</li><li>Member offers</li></ul>
       <p>Your welcome code is WELCOME10.</p>
       <p>{% unsubscribe %}</p><p>{{ organization.full_address }}</p></body></html>
      \`\`\`

      - text:

      \`\`\`diff
      --- text	Klaviyo
      +++ text	repository
      @@ -5,7 +5,7 @@
       Here is what to expect from us:
       
        * New gear every month
      - * Trail guides
      + * Trail guides for every season
        * Member offers
       
       Your welcome code is WELCOME10.
      \`\`\`

      - re-assigned to flow \`welcome\` step \`welcome-1\`

      </details>"
    `);
    expect(textOf(p.text, '~ flow welcome')).toMatchInlineSnapshot(`
      "  ~ flow welcome "Welcome series" (update in place)
            step welcome-1 (ab_test): email content (variant A): takes the new content of template welcome-1
            step welcome-1 (ab_test): email content (variant B): takes the new content of template welcome-1"
    `);
  });

  it('a new live flow', async () => {
    await add(
      'flows/win-back.yaml',
      [
        'name: Win back',
        'status: live',
        'trigger: { list: newsletter }',
        'steps:',
        '  - id: wait-1',
        '    wait: { days: 30, until: { time: "11:00" } }',
        '  - id: win-back-1',
        '    email: { template: welcome-2, subject: "We miss you" }',
        '',
      ].join('\n'),
    );
    const p = await plan();
    expect(textOf(p.text, 'flow win-back')).toMatchInlineSnapshot(`
      "  + flow win-back "Win back" (create)
            this flow goes live on merge and starts sending
            status: live
            trigger: added to list newsletter
            1. wait 30 days until 11:00 [wait-1]
            2. email "We miss you" (template welcome-2) [win-back-1]"
    `);
    expect(markdownOf(p.markdown, 'flow', 'win-back')).toMatchInlineSnapshot(`
      "<details><summary><code>+</code> flow <code>win-back</code> “Win back”: create</summary>

      - **this flow goes live on merge and starts sending**

      Name in Klaviyo: \`Win back [kg:win-back]\`

      \`\`\`
      trigger: added to list newsletter
      1. wait 30 days until 11:00 [wait-1]
      2. email "We miss you" (template welcome-2) [win-back-1]
      \`\`\`

      </details>"
    `);
  });

  it('a replace of a live flow', async () => {
    await edit(
      'flows/welcome.yaml',
      '  - id: welcome-2\n',
      '  - id: wait-before-3\n    wait: { days: 1 }\n  - id: welcome-2\n',
    );
    const p = await plan();
    expectShown(p);
    expect(textOf(p.text, 'flow welcome')).toMatchInlineSnapshot(`
      "  -/+ flow welcome "Welcome series" (replace)
            because step welcome-2 moved: Klaviyo cannot move steps within a flow
            because a step was added (wait-before-3): Klaviyo cannot add steps to a flow
            impact: profiles waiting in the live flow's delays do not move to the new flow: the old flow is set to draft and they stop there
            impact: the new flow starts without history: past sends, reports and A/B test results stay with the old flow
            impact: the old flow is kept in draft, detached (tag klaviyo-gitops:archived)
            the new flow goes live on merge and starts sending
            trigger: added to list newsletter
            1. A/B test "Welcome subject line": A "Welcome to Acme", B "Your 10% code is inside" [welcome-1]
            2. wait 4 days [wait-before-2]
            3. + wait 1 day [wait-before-3]
            4. ~ (moved) email "Still thinking it over?" (template welcome-2) [welcome-2]"
    `);
    expect(markdownOf(p.markdown, 'flow', 'welcome')).toMatchInlineSnapshot(`
      "> [!WARNING]
      > **Replace** \`-/+\` flow \`welcome\` “Welcome series”
      > - because step welcome-2 moved: Klaviyo cannot move steps within a flow
      > - because a step was added (wait-before-3): Klaviyo cannot add steps to a flow
      > - impact: profiles waiting in the live flow's delays do not move to the new flow: the old flow is set to draft and they stop there
      > - impact: the new flow starts without history: past sends, reports and A/B test results stay with the old flow
      > - impact: the old flow is kept in draft, detached (tag klaviyo-gitops:archived)
      > - the new flow goes live on merge and starts sending

      <details open><summary><code>-/+</code> flow <code>welcome</code> “Welcome series”: replace</summary>

      \`\`\`
      trigger: added to list newsletter
      1. A/B test "Welcome subject line": A "Welcome to Acme", B "Your 10% code is inside" [welcome-1]
      2. wait 4 days [wait-before-2]
      3. + wait 1 day [wait-before-3]
      4. ~ (moved) email "Still thinking it over?" (template welcome-2) [welcome-2]
      \`\`\`

      </details>"
    `);
  });

  it('an orphan: a flow removed from code, and a renamed flow file', async () => {
    await move('flows/birthday.yaml', 'birthday-v2.yaml.off');
    const removed = await plan();
    expect(textOf(removed.text, 'flow birthday')).toMatchInlineSnapshot(`
      "  ~ flow birthday "Birthday" (archive (detach, keep in Klaviyo): removed from code)
            archived by the deletion policy (flow: archive): the old flow is set to draft, so it stops sending and profiles waiting in it stop, and detached (tag klaviyo-gitops:archived)
            to delete it, set deletion: { flow: delete } in the brand's brand.yaml (or under defaults in klaviyo-gitops.yaml), or delete it in Klaviyo
            id …"
    `);
    expect(markdownOf(removed.markdown, 'flow', 'birthday')).toMatchInlineSnapshot(`
      "<details><summary><code>~</code> flow <code>birthday</code> “Birthday”: archive (detach, keep in Klaviyo): removed from code</summary>

      - **archived by the deletion policy (flow: archive): the old flow is set to draft, so it stops sending and profiles waiting in it stop, and detached (tag klaviyo-gitops:archived)**
      - **to delete it, set deletion: { flow: delete } in the brand's brand.yaml (or under defaults in klaviyo-gitops.yaml), or delete it in Klaviyo**

      Klaviyo id …

      </details>"
    `);
    await rename(join(cwd, BRAND, 'birthday-v2.yaml.off'), join(cwd, BRAND, 'flows/birthday-v2.yaml'));
    undo.push(() =>
      rename(join(cwd, BRAND, 'flows/birthday-v2.yaml'), join(cwd, BRAND, 'birthday-v2.yaml.off')),
    );
    const renamed = await plan();
    expect(textOf(renamed.text, 'flow birthday ')).toMatchInlineSnapshot(`
      "  ~ flow birthday "Birthday" (archive (detach, keep in Klaviyo): removed from code)
            its flow file was renamed: flow birthday-v2 is created in its place
            archived by the deletion policy (flow: archive): the old flow is set to draft, so it stops sending and profiles waiting in it stop, and detached (tag klaviyo-gitops:archived)
            to delete it, set deletion: { flow: delete } in the brand's brand.yaml (or under defaults in klaviyo-gitops.yaml), or delete it in Klaviyo
            id …"
    `);
  });
});
