import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleTemplate } from '../../src/email/assemble/assemble.js';
import { QA_RULES, checkEmail } from '../../src/email/qa/check-email.js';
import type { CheckEmailInput } from '../../src/email/qa/types.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../fixtures/email/${name}`, import.meta.url), 'utf8');
const compliantHtml = fixture('compliant.html');
const compliantText = fixture('compliant.txt');

const templateFile = 'marketing/brands/trailhead/templates/welcome.html';
const brand = {
  name: 'Trailhead Outfitters',
  postal_address: '410 Alder Street, Bend, OR 97701, USA',
  website: 'https://trailhead.example',
};

function input(
  overrides: Partial<CheckEmailInput> = {},
  html = compliantHtml,
  text: string | undefined = compliantText,
): CheckEmailInput {
  const base: CheckEmailInput = {
    templateFile,
    html: { file: templateFile, content: html, lineOffset: 6 },
    frontMatter: {
      subject: "Welcome, {{ first_name|default:'friend' }}",
      preview_text: 'Your 10% code is inside.',
    },
    frontMatterPositions: { subject: { line: 3, col: 10 }, preview_text: { line: 4, col: 15 } },
    brand,
    transactionalAllowed: false,
    sample: { name: 'new-subscriber', profile: { first_name: 'Ada', properties: { 'Loyalty Points': 120 } } },
  };
  if (text !== undefined)
    base.text = { file: 'marketing/brands/trailhead/templates/welcome.txt', content: text };
  return { ...base, ...overrides };
}

const check = (overrides: Partial<CheckEmailInput> = {}, html?: string, text?: string) =>
  checkEmail(input(overrides, html, text));
const rulesOf = (overrides: Partial<CheckEmailInput> = {}, html?: string, text?: string) =>
  check(overrides, html, text).map((d) => d.rule);
const lineOf = (html: string, needle: string): number =>
  html.slice(0, html.indexOf(needle)).split('\n').length;

/** The compliant fixture with one change. */
const variant = (from: string, to: string): string => {
  expect(compliantHtml).toContain(from);
  return compliantHtml.replace(from, to);
};

describe('checkEmail', () => {
  it('finds nothing in the compliant fixture', () => {
    expect(check()).toEqual([]);
  });

  it('accepts the HTML and text as plain strings, reported at the template file', () => {
    const html = variant('<html lang="en">', '<html>');
    const found = checkEmail({ ...input(), html, text: compliantText });
    expect(found).toEqual([expect.objectContaining({ rule: 'html-lang', file: templateFile, line: 2 })]);
  });

  it('gives every rule an id, a default severity and a description', () => {
    expect(QA_RULES.map((r) => r.id)).toEqual([
      'size-budget',
      'unsubscribe-required',
      'postal-address-required',
      'img-alt',
      'html-lang',
      'link-https',
      'no-script',
      'no-form',
      'subject-length',
      'preview-text-length',
      'html-validate',
      'caniemail',
      'klaviyo-syntax',
      'unresolved-variable',
    ]);
    for (const rule of QA_RULES) expect(rule.description.length).toBeGreaterThan(10);
  });

  describe('size-budget', () => {
    const padded = (kb: number) => variant('</body>', `<p>${'x'.repeat(kb * 1024)}</p>\n</body>`);

    it('warns past the warning threshold and fails past the error threshold', () => {
      expect(check({}, padded(95)).filter((d) => d.rule === 'size-budget')).toEqual([
        expect.objectContaining({ severity: 'warning', file: templateFile, line: 1, col: 1 }),
      ]);
      const over = check({}, padded(103)).filter((d) => d.rule === 'size-budget');
      expect(over).toEqual([expect.objectContaining({ severity: 'error' })]);
      expect(over[0]!.message).toMatch(/^the HTML is 10\d\.\d KB, over the 102 KB budget/);
      expect(over[0]!.fix).toBeDefined();
    });

    it('passes under the threshold and follows configured budgets', () => {
      expect(rulesOf({}, padded(50))).not.toContain('size-budget');
      expect(check({ budgets: { size_warning_kb: 10, size_error_kb: 20 } }, padded(30))).toContainEqual(
        expect.objectContaining({ rule: 'size-budget', severity: 'error' }),
      );
    });

    it('counts UTF-8 bytes, not characters', () => {
      expect(
        rulesOf(
          { budgets: { size_warning_kb: 5, size_error_kb: 10 } },
          variant('</body>', `${'é'.repeat(3000)}</body>`),
        ),
      ).toContain('size-budget');
    });
  });

  describe('unsubscribe-required', () => {
    const noUnsubscribe = variant(
      '<a href="{% unsubscribe_link %}" style="color:#555555">Unsubscribe</a> · ',
      '',
    );

    it('fails when the HTML or the text part has no unsubscribe tag', () => {
      expect(check({}, noUnsubscribe).filter((d) => d.rule === 'unsubscribe-required')).toEqual([
        expect.objectContaining({
          severity: 'error',
          file: templateFile,
          line: 1,
          message: 'the HTML has no unsubscribe link',
        }),
      ]);
      const text = compliantText.replace('Unsubscribe: {% unsubscribe_link %}', '');
      expect(check({}, compliantHtml, text).filter((d) => d.rule === 'unsubscribe-required')).toEqual([
        expect.objectContaining({
          file: 'marketing/brands/trailhead/templates/welcome.txt',
          message: 'the plain-text part has no unsubscribe link',
        }),
      ]);
    });

    it('accepts every form of the tag but not one inside a Klaviyo comment', () => {
      for (const tag of [
        '{% unsubscribe %}',
        "{% unsubscribe 'Opt out' %}",
        '<a href="{% unsubscribe_link %}">x</a>',
      ]) {
        expect(
          rulesOf(
            {},
            variant('</body>', `${tag}</body>`).replace('{% unsubscribe_link %}" style', '#" style'),
          ),
        ).not.toContain('unsubscribe-required');
      }
      expect(
        rulesOf(
          {},
          noUnsubscribe.replace(
            '</body>',
            '{# {% unsubscribe %} #}{% comment %}{% unsubscribe %}{% endcomment %}</body>',
          ),
        ),
      ).toContain('unsubscribe-required');
    });

    it('exempts transactional templates only when they are allowed to be transactional', () => {
      expect(
        rulesOf(
          { frontMatter: { subject: 'Receipt', transactional: true }, transactionalAllowed: true },
          noUnsubscribe,
        ),
      ).not.toContain('unsubscribe-required');
      const refused = check(
        { frontMatter: { subject: 'Receipt', transactional: true }, transactionalAllowed: false },
        noUnsubscribe,
      );
      expect(refused.find((d) => d.rule === 'unsubscribe-required')!.message).toContain(
        'not listed in transactional_templates',
      );
    });
  });

  describe('postal-address-required', () => {
    const noAddress = variant(' · {{ organization.full_address }}', '');

    it('fails without the address tag or the literal address', () => {
      expect(check({}, noAddress).filter((d) => d.rule === 'postal-address-required')).toEqual([
        expect.objectContaining({
          severity: 'error',
          line: 1,
          message:
            "the email does not show the brand's postal address (410 Alder Street, Bend, OR 97701, USA)",
        }),
      ]);
    });

    it('accepts the literal address, even split over lines and entities', () => {
      const literal = noAddress.replace(
        '</body>',
        '<p>410 Alder Street,<br>Bend, OR&nbsp;97701, USA</p></body>',
      );
      expect(rulesOf({}, literal)).not.toContain('postal-address-required');
      expect(
        rulesOf({}, noAddress.replace('</body>', '{{ organization.full_address|safe }}</body>')),
      ).not.toContain('postal-address-required');
    });
  });

  describe('img-alt', () => {
    it('fails for an image without alt, at its line', () => {
      const html = variant(
        '</body>',
        '<img src="https://trailhead.example/x.png" width="10" height="10">\n</body>',
      );
      expect(check({}, html).filter((d) => d.rule === 'img-alt')).toEqual([
        expect.objectContaining({
          severity: 'error',
          line: lineOf(html, '<img src="https://trailhead.example/x.png"') + 6,
          col: 1,
        }),
      ]);
    });

    it('accepts an empty alt for decorative images', () => {
      expect(
        rulesOf(
          {},
          variant(
            '</body>',
            '<img src="https://trailhead.example/x.png" alt="" width="10" height="10"></body>',
          ),
        ),
      ).not.toContain('img-alt');
    });
  });

  describe('html-lang', () => {
    it('fails without lang or without <html>', () => {
      expect(check({}, variant('<html lang="en">', '<html>')).filter((d) => d.rule === 'html-lang')).toEqual([
        expect.objectContaining({
          severity: 'warning',
          line: 8,
          col: 1,
          message: '<html> has no lang attribute',
        }),
      ]);
      expect(rulesOf({}, '<p>{% unsubscribe %} {{ organization.full_address }}</p>')).toContain('html-lang');
    });

    it('passes with lang', () => {
      expect(rulesOf({}, variant('<html lang="en">', '<html lang="en-GB">'))).not.toContain('html-lang');
    });
  });

  describe('link-https', () => {
    it('fails for http:// links and images', () => {
      const html = variant('https://trailhead.example/shop?', 'http://trailhead.example/shop?');
      const found = check({}, html).filter((d) => d.rule === 'link-https');
      expect(found).toEqual([
        expect.objectContaining({ severity: 'error', line: lineOf(html, 'http://trailhead') + 6 }),
      ]);
      expect(found[0]!.fix).toContain('https://trailhead.example/shop?');
    });

    it('allows links written by Klaviyo tags, mailto and https', () => {
      const html = variant(
        '</body>',
        '<a href="{{ event.extra.checkout_url }}">a</a><a href="mailto:help@trailhead.example">b</a></body>',
      );
      expect(rulesOf({}, html)).not.toContain('link-https');
    });
  });

  describe('no-script', () => {
    it('fails for scripts, handlers and javascript: links', () => {
      const html = variant(
        '</body>',
        '<script>alert(1)</script><a href="javascript:void(0)" onclick="x()">a</a></body>',
      );
      expect(
        check({}, html)
          .filter((d) => d.rule === 'no-script')
          .map((d) => d.message),
      ).toEqual([
        '<script> does not run in email',
        '<a onclick> is a script handler, which email clients strip',
        '<a href="javascript:…"> does not work in email',
      ]);
    });

    it('passes without them', () => {
      expect(rulesOf()).not.toContain('no-script');
    });
  });

  describe('no-form', () => {
    it('warns for a form', () => {
      const html = variant(
        '</body>',
        '<form action="https://trailhead.example/s"><input type="email" aria-label="Email"></form></body>',
      );
      expect(check({}, html).filter((d) => d.rule === 'no-form')).toEqual([
        expect.objectContaining({ severity: 'warning' }),
      ]);
    });

    it('passes without one', () => {
      expect(rulesOf()).not.toContain('no-form');
    });
  });

  describe('subject-length and preview-text-length', () => {
    it('warns at the front matter line when the rendered subject is too long', () => {
      const subject = `{{ first_name }}, ${'a'.repeat(60)}`;
      expect(check({ frontMatter: { subject } }).filter((d) => d.rule === 'subject-length')).toEqual([
        expect.objectContaining({
          severity: 'warning',
          line: 3,
          col: 10,
          message: "the subject is 65 characters with sample 'new-subscriber', over 60",
        }),
      ]);
    });

    it('counts without personalisation when there is no sample, and honours subject_max', () => {
      const { sample: _sample, ...withoutSample } = input({
        frontMatter: { subject: `{{ first_name }}${'a'.repeat(50)}` },
      });
      expect(checkEmail(withoutSample).map((d) => d.rule)).not.toContain('subject-length');
      expect(
        checkEmail({ ...withoutSample, budgets: { subject_max: 40 } }).find(
          (d) => d.rule === 'subject-length',
        )!.message,
      ).toContain('not counting personalisation');
    });

    it('warns for long preview text and passes short text', () => {
      expect(rulesOf({ frontMatter: { subject: 'Hi', preview_text: 'p'.repeat(111) } })).toContain(
        'preview-text-length',
      );
      expect(rulesOf({ frontMatter: { subject: 'Hi', preview_text: 'p'.repeat(110) } })).not.toContain(
        'preview-text-length',
      );
    });
  });

  describe('html-validate', () => {
    it('reports broken markup at its line', () => {
      const html = variant('<h1 style="margin:0 0 12px">', '<h1 id="a"><h1 id="a" style="margin:0 0 12px">');
      const found = check({}, html).filter((d) => d.rule === 'html-validate');
      expect(found.length).toBeGreaterThan(0);
      expect(found.some((d) => d.message.includes('no-dup-id'))).toBe(true);
      expect(found.every((d) => d.severity === 'warning')).toBe(true);
      expect(found.find((d) => d.message.includes('no-dup-id'))!.line).toBe(
        lineOf(html, '<h1 id="a"><h1') + 6,
      );
    });

    it('accepts email idioms: tables, inline styles, bgcolor/align/width, center, font and XHTML doctypes', () => {
      const html = variant(
        '<!DOCTYPE html>',
        '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">',
      )
        .replace(
          '<body style="margin:0;padding:0;background-color:#F4F1EA">',
          '<body bgcolor="#F4F1EA" style="margin:0"><center>',
        )
        .replace(
          '</body>',
          '<!--[if mso]><table><tr><td><![endif]--><font face="Arial" color="#333333">x</font><!--[if mso]></td></tr></table><![endif]--></center></body>',
        );
      expect(check({}, html).filter((d) => d.rule === 'html-validate')).toEqual([]);
    });
  });

  describe('caniemail', () => {
    it("warns about features the brand's clients do not support, once per feature", () => {
      const html = variant('<h1 style="margin:0 0 12px">', '<h1 style="margin:0 0 12px;border-radius:4px">');
      const found = check({ emailClients: ['outlook.windows'] }, html).filter((d) => d.rule === 'caniemail');
      expect(found).toEqual([
        expect.objectContaining({
          severity: 'warning',
          line: lineOf(html, '<h1 style') + 6,
          message: '`border-radius` is not supported by outlook.windows',
        }),
      ]);
    });

    it('places a CSS finding at its line inside the <style> block', () => {
      const html = variant(
        '</head>',
        '<style>\n  p { margin: 0; }\n  a[href] { color: red; }\n</style>\n</head>',
      );
      const found = check({ emailClients: ['outlook.windows', 'outlook.windows-mail'] }, html).filter(
        (d) => d.rule === 'caniemail' && d.message.startsWith('`Attribute selector`'),
      );
      expect(found).toEqual([expect.objectContaining({ line: lineOf(html, 'a[href]') + 6, col: 3 })]);
      expect(found[0]!.message).toBe(
        '`Attribute selector` is not supported by outlook.windows, outlook.windows-mail',
      );
    });

    it('reports a property only where a declaration names exactly that property', () => {
      const clients = { emailClients: ['outlook.windows', 'gmail.desktop-webmail'] };
      const lookalikes = variant(
        '<h1 style="margin:0 0 12px">',
        '<h1 style="margin:0 0 12px; text-transform:uppercase; outline-offset:2px">',
      );
      const found = check(clients, lookalikes).filter((d) => d.rule === 'caniemail');
      const features = found.map((d) => /^`([^`]+)`/.exec(d.message)?.[1]);
      expect(features).not.toContain('transform');
      expect(features).not.toContain('outline');

      const real = variant(
        '<h1 style="margin:0 0 12px">',
        '<h1 style="margin:0 0 12px; text-transform:uppercase; transform:rotate(2deg)">',
      );
      const transform = check(clients, real).filter((d) => d.clientSupport?.feature === 'transform');
      expect(transform).toEqual([
        expect.objectContaining({
          line: lineOf(real, '<h1 style') + 6,
          col: real.split('\n')[lineOf(real, '<h1 style') - 1]!.indexOf(' transform:') + 2,
          message: '`transform` is not supported by outlook.windows, gmail.desktop-webmail',
          clientSupport: { feature: 'transform', clients: ['outlook.windows', 'gmail.desktop-webmail'] },
        }),
      ]);
    });

    it('passes the compliant fixture for the default clients and reports unknown clients', () => {
      expect(rulesOf({ emailClients: ['apple-mail.*'] })).not.toContain('caniemail');
      expect(check({ emailClients: ['nokia.3310'] }).find((d) => d.rule === 'caniemail')!.message).toContain(
        'could not check',
      );
    });
  });

  describe('klaviyo-syntax', () => {
    it('reports template language errors in the HTML, text, subject and preview text', () => {
      const html = variant('{% endif %}', '');
      const found = check(
        { frontMatter: { subject: '{{ first_name|nope }}', preview_text: '{% if %}' } },
        html,
        'Hi {{ }}',
      ).filter((d) => d.rule === 'klaviyo-syntax');
      expect(found.map((d) => [d.file, d.line])).toEqual([
        [templateFile, lineOf(compliantHtml, '{% if person') + 6],
        ['marketing/brands/trailhead/templates/welcome.txt', 1],
        [templateFile, 3],
        [templateFile, 4],
        [templateFile, 4],
      ]);
      expect(found.every((d) => d.severity === 'error')).toBe(true);
    });

    it('passes valid templates', () => {
      expect(rulesOf()).not.toContain('klaviyo-syntax');
    });
  });

  describe('unresolved-variable', () => {
    it('warns about variables the sample lacks, with the sample name', () => {
      const html = variant('</body>', '<p>{{ event.OrderNumber }}</p></body>');
      expect(check({}, html).filter((d) => d.rule === 'unresolved-variable')).toEqual([
        expect.objectContaining({
          severity: 'warning',
          line: lineOf(html, '{{ event.OrderNumber') + 6,
          message: "unresolved variable event.OrderNumber — not in sample 'new-subscriber'",
        }),
      ]);
    });

    it('is quiet when the sample has the data, and without a sample', () => {
      const html = variant('</body>', '<p>{{ event.OrderNumber }}</p></body>');
      expect(
        rulesOf(
          {
            sample: {
              name: 'order',
              profile: { first_name: 'Ada', properties: { 'Loyalty Points': 3 } },
              event: { OrderNumber: 7 },
            },
          },
          html,
        ),
      ).not.toContain('unresolved-variable');
      const { sample: _sample, ...withoutSample } = input({}, html);
      expect(checkEmail(withoutSample).map((d) => d.rule)).not.toContain('unresolved-variable');
    });
  });

  describe('severities', () => {
    const broken = variant('https://trailhead.example/shop?', 'http://trailhead.example/shop?');

    it('turns a rule off, down to a warning, or up to an error', () => {
      expect(rulesOf({ severities: { 'link-https': 'off' } }, broken)).not.toContain('link-https');
      expect(
        check({ severities: { 'link-https': 'warning' } }, broken).find((d) => d.rule === 'link-https')!
          .severity,
      ).toBe('warning');
      const form = variant('</body>', '<form action="https://trailhead.example/s"></form></body>');
      expect(
        check({ severities: { 'no-form': 'error' } }, form).find((d) => d.rule === 'no-form')!.severity,
      ).toBe('error');
    });

    it('ignores unknown rule ids and values', () => {
      expect(
        check({ severities: { 'not-a-rule': 'error', 'link-https': 'loud' as never } }, broken).find(
          (d) => d.rule === 'link-https',
        )!.severity,
      ).toBe('error');
    });
  });

  it('maps findings in an assembled email back to the partial that wrote them', () => {
    const partials = new Map([
      [
        'hero',
        { file: 'marketing/shared/partials/hero.html', source: '<td>\n<img src="[[[src]]]">\n</td>\n' },
      ],
    ]);
    const body = compliantHtml.replace(
      '<tr>\n<td align="center" style="padding:24px">',
      '<tr>\n[[> hero src="https://trailhead.example/h.png"]]\n<td align="center" style="padding:24px">',
    );
    const assembled = assembleTemplate({
      brand,
      layouts: new Map(),
      partials,
      file: templateFile,
      body,
      bodyStartLine: 7,
      frontMatter: {},
    });
    expect(assembled.diagnostics).toEqual([]);
    const found = checkEmail(
      input({ html: { file: templateFile, content: assembled.html!, sourceMap: assembled.sourceMap! } }),
    ).filter((d) => d.rule === 'img-alt');
    expect(found).toEqual([
      expect.objectContaining({ file: 'marketing/shared/partials/hero.html', line: 2, col: 1 }),
    ]);
  });
});

describe('the whole-document checkers on an oversized email', () => {
  it('are not run above 128 KB: each says so once, and the size budget still refuses the email', () => {
    // Thousands of empty elements: the shape that makes html-validate's element-walking rules slow.
    const html = variant('</body>', `${'<i></i>'.repeat(20_000)}</body>`);
    const found = check({}, html);
    const skipped = found.filter((d) => d.message.startsWith('not checked: the HTML is'));
    expect(skipped.map((d) => d.rule).sort()).toEqual(['caniemail', 'html-validate']);
    expect(skipped.every((d) => d.severity === 'warning' && d.line === 1 && d.col === 1)).toBe(true);
    expect(found.find((d) => d.rule === 'size-budget')?.severity).toBe('error');
  });

  it('still run on an email under the size budget', () => {
    const html = variant('<html lang="en">', '<html lang="en"><blink>');
    expect(rulesOf({}, html)).toContain('html-validate');
    expect(check({}, html).some((d) => d.message.startsWith('not checked:'))).toBe(false);
  });
});
