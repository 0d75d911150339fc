/**
 * The email QA cache key covers everything a template's findings depend on: change any input `checkEmail`
 * reads, a source position, the rules' version or the package version, and the key changes.
 */
import { describe, expect, it } from 'vitest';
import { CURRENT_QA_CODE, emailQaKey, type KeyedCheckInput } from '../../src/compile/email-qa-cache.js';
import { assembleTemplate } from '../../src/email/index.js';

const FILE = 'marketing/brands/acme/templates/hello.html';
const LAYOUT = {
  file: 'marketing/shared/layouts/base.html',
  source: '<html lang="en"><body>\n[[[body]]]\n<p>[[brand.postal_address]]</p></body></html>\n',
};

function assemble(bodyStartLine: number, layout = LAYOUT) {
  const result = assembleTemplate({
    brand: { postal_address: '1 Main Street' },
    layouts: new Map([['base', layout]]),
    partials: new Map(),
    file: FILE,
    body: '<p><a href="http://acme.example">Shop</a> {% unsubscribe %}</p>\n',
    bodyStartLine,
    frontMatter: { layout: 'base' },
  });
  return { html: result.html!, sourceMap: result.sourceMap! };
}

function input(): KeyedCheckInput {
  const { html, sourceMap } = assemble(5);
  return {
    templateFile: FILE,
    html: { file: FILE, content: html, lineOffset: 4, sourceMap },
    text: { file: FILE.replace('.html', '.txt'), content: 'Shop: {% unsubscribe_link %}' },
    frontMatter: { subject: 'Hello', preview_text: 'Hi', layout: 'base' },
    frontMatterPositions: { subject: { line: 2, col: 10 } },
    brand: { name: 'Acme', postal_address: '1 Main Street' },
    transactionalAllowed: false,
    severities: { 'link-https': 'error' },
    budgets: { size_error_kb: 102 },
    emailClients: ['gmail.*'],
    sample: { name: 'shopper', profile: { first_name: 'Robin' } },
  };
}

describe('emailQaKey', () => {
  it('is the same for the same input, assembled twice', () => {
    expect(emailQaKey(input())).toBe(emailQaKey(input()));
    expect(emailQaKey(input())).toMatch(/^[0-9a-f]{64}$/);
  });

  const changes: Array<[string, (i: KeyedCheckInput) => void]> = [
    ['the assembled HTML', (i) => (i.html.content += ' ')],
    ['where the HTML came from (source map)', (i) => (i.html.sourceMap = assemble(6).sourceMap)],
    ['the line the body starts at', (i) => (i.html.lineOffset = 5)],
    ['the text part', (i) => (i.text!.content += '!')],
    [
      'the file a finding is reported at',
      (i) => (i.templateFile = 'marketing/brands/acme/templates/hi.html'),
    ],
    ['the front matter', (i) => (i.frontMatter.subject = 'Hello!')],
    [
      'where the front matter is written',
      (i) => (i.frontMatterPositions = { subject: { line: 3, col: 10 } }),
    ],
    ['the brand', (i) => (i.brand.postal_address = '2 Main Street')],
    ['the transactional allowance', (i) => (i.transactionalAllowed = true)],
    ['a rule severity', (i) => (i.severities = { 'link-https': 'warning' })],
    ['a budget', (i) => (i.budgets = { size_error_kb: 90 })],
    ['the email clients', (i) => (i.emailClients = ['outlook.*'])],
    ['the sample', (i) => (i.sample = { name: 'shopper', profile: { first_name: 'Sam' } })],
  ];

  it.each(changes)('changes with %s', (_what, change) => {
    const changed = input();
    change(changed);
    expect(emailQaKey(changed)).not.toBe(emailQaKey(input()));
  });

  it('tells Infinity from null, which JSON would write alike', () => {
    const infinite = input();
    infinite.budgets = { size_error_kb: Infinity };
    const none = input();
    none.budgets = { size_error_kb: null as unknown as number };
    expect(emailQaKey(infinite)).not.toBe(emailQaKey(none));
  });

  it('changes with the rules version and with the package version', () => {
    const base = emailQaKey(input(), CURRENT_QA_CODE);
    expect(emailQaKey(input(), { ...CURRENT_QA_CODE, rules: CURRENT_QA_CODE.rules + 1 })).not.toBe(base);
    expect(emailQaKey(input(), { ...CURRENT_QA_CODE, package: '99.0.0' })).not.toBe(base);
  });

  it('changes when a layout line moves but the assembled HTML does not', () => {
    const moved = assemble(5, { ...LAYOUT, source: `[[!-- a comment\n--]]${LAYOUT.source}` });
    const changed = input();
    expect(moved.html).toBe(changed.html.content);
    changed.html.sourceMap = moved.sourceMap;
    expect(emailQaKey(changed)).not.toBe(emailQaKey(input()));
  });
});
