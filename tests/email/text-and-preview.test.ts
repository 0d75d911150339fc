import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleTemplate } from '../../src/email/assemble/assemble.js';
import { buildPreviewContext, toPreviewSample } from '../../src/email/preview/context.js';
import { renderPreview } from '../../src/email/preview/render-preview.js';
import { generateTextPart } from '../../src/email/text-part.js';
import { scanTags } from '../../src/email/klaviyo-language/tag-scan.js';

const compliantHtml = readFileSync(new URL('../fixtures/email/compliant.html', import.meta.url), 'utf8');
const brand = {
  name: 'Trailhead Outfitters',
  postal_address: '410 Alder Street, Bend, OR 97701, USA',
  website: 'https://trailhead.example',
};

describe('generateTextPart', () => {
  it('keeps every Klaviyo tag of the body byte for byte, the unsubscribe tag included', () => {
    const text = generateTextPart(compliantHtml);
    const body = compliantHtml.slice(compliantHtml.indexOf('<body'));
    for (const tag of scanTags(body)) {
      const written = body.slice(
        tag.offset,
        body.indexOf(tag.kind === 'block' ? '%}' : '}}', tag.offset) + 2,
      );
      expect(text).toContain(written);
    }
    expect(text).toContain('Unsubscribe [{% unsubscribe_link %}]');
    expect(text).toContain("{% manage_preferences 'Preferences' %}");
  });

  it('does not wrap long lines, upper-case headings or print images and hidden preheaders', () => {
    const long = `${'word '.repeat(40)}{% if person|lookup:'Loyalty Points' > 150 %}VIP{% endif %}`;
    const html = `<div style="display:none">preheader</div><h1>Hi {{ first_name|default:'there' }}</h1><table><tr><th>Item</th><td><img src="x.png" alt="logo">${long}</td></tr></table>`;
    const text = generateTextPart(html);
    expect(text).toContain("Hi {{ first_name|default:'there' }}");
    expect(text).toContain(
      `${'word '.repeat(40)}{% if person|lookup:'Loyalty Points' > 150 %}VIP{% endif %}`,
    );
    expect(text).not.toContain('preheader');
    expect(text).not.toContain('logo');
    expect(text).toContain('Item');
  });

  it('prints links with their URL unless the text is the URL', () => {
    expect(
      generateTextPart(
        '<p><a href="https://t.example/a">Shop</a> <a href="https://t.example/b">https://t.example/b</a></p>',
      ),
    ).toBe('Shop [https://t.example/a] https://t.example/b\n');
  });

  it('leaves out links that only wrap an image and collapses blank runs', () => {
    const html =
      '<a href="https://t.example/"><img src="logo.png" alt="Logo"></a>\n<p>A</p>\n\n\n<p>&nbsp;</p>\n<p>B</p>';
    expect(generateTextPart(html)).toBe('A\n\nB\n');
  });

  it('survives text that already looks like its placeholders', () => {
    expect(generateTextPart('<p>klvtag0z {% unsubscribe %}</p>')).toBe('klvtag0z {% unsubscribe %}\n');
  });
});

describe('buildPreviewContext', () => {
  it('lays out profile shortcuts, person, event and organization', () => {
    const sample = toPreviewSample('vip', {
      profile: {
        first_name: 'Ada',
        email: 'ada@example.com',
        properties: { 'Loyalty Tier': 'Gold', first_name: 'ignored' },
      },
      event: { $value: 10 },
      catalog: { P1: { title: 'Tent' } },
      coupons: { WELCOME: 123 },
    });
    expect(sample.coupons).toEqual({ WELCOME: '123' });
    expect(buildPreviewContext(sample, brand)).toEqual({
      first_name: 'Ada',
      email: 'ada@example.com',
      person: { first_name: 'Ada', email: 'ada@example.com', 'Loyalty Tier': 'Gold' },
      event: { $value: 10 },
      organization: {
        name: 'Trailhead Outfitters',
        full_address: '410 Alder Street, Bend, OR 97701, USA',
        url: 'https://trailhead.example',
      },
    });
  });

  it('tolerates a missing or malformed sample', () => {
    expect(buildPreviewContext(undefined, {})).toEqual({ person: {}, organization: {} });
    expect(toPreviewSample('x', 'not an object')).toEqual({ name: 'x' });
  });
});

describe('renderPreview', () => {
  const sample = toPreviewSample('new-subscriber', {
    profile: { first_name: 'Ada', properties: { 'Loyalty Points': 200 } },
  });

  it('renders HTML, generated text, subject and preview text with the sample', () => {
    const result = renderPreview({
      html: compliantHtml,
      subject: "Welcome, {{ first_name|default:'friend' }} & co",
      previewText: 'Points: {{ person|lookup:"Loyalty Points" }}',
      sample,
      brand,
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.html).toContain('<h1 style="margin:0 0 12px">Hey Ada,</h1>');
    expect(result.html).toContain('You have 200 points.');
    expect(result.html).not.toContain('Welcome to the trail.');
    expect(result.html).toContain('Trailhead Outfitters · 410 Alder Street, Bend, OR 97701, USA');
    expect(result.html).toContain(
      '<a href="https://preview.invalid/unsubscribe" style="color:#555555">Unsubscribe</a>',
    );
    expect(result.html).toContain('<a href="https://preview.invalid/manage-preferences">Preferences</a>');
    expect(result.subject).toBe('Welcome, Ada & co');
    expect(result.previewText).toBe('Points: 200');
    expect(result.text).toContain('Hey Ada,');
    expect(result.text).toContain('Unsubscribe [https://preview.invalid/unsubscribe]');
    expect(result.text).toContain('Preferences: https://preview.invalid/manage-preferences');
  });

  it('renders a given text part and reports missing data with positions from the assembly', () => {
    const assembled = assembleTemplate({
      brand,
      layouts: new Map(),
      partials: new Map([
        [
          'greeting',
          { file: 'marketing/shared/partials/greeting.html', source: '<p>\n{{ event.Nope }}\n</p>' },
        ],
      ]),
      file: 'marketing/brands/t/templates/w.html',
      body: '[[> greeting]]',
      bodyStartLine: 5,
      frontMatter: {},
    });
    const result = renderPreview({
      html: assembled.html!,
      htmlSourceMap: assembled.sourceMap!,
      text: 'Hi {{ first_name }} {{ person.missing }}',
      textFile: 'marketing/brands/t/templates/w.txt',
      subject: '{{ event.Also }}',
      sample,
      brand,
      file: 'marketing/brands/t/templates/w.html',
    });
    expect(result.text).toBe('Hi Ada ');
    expect(result.warnings.map((w) => [w.file, w.line, w.message])).toEqual([
      [
        'marketing/shared/partials/greeting.html',
        2,
        "unresolved variable event.Nope — not in sample 'new-subscriber'",
      ],
      [
        'marketing/brands/t/templates/w.txt',
        1,
        "text part: unresolved variable person.missing — not in sample 'new-subscriber'",
      ],
      [
        'marketing/brands/t/templates/w.html',
        1,
        "subject: unresolved variable event.Also — not in sample 'new-subscriber'",
      ],
    ]);
  });

  it('returns a part that does not parse as written, with its diagnostics', () => {
    const result = renderPreview({
      html: '<p>{% if %}</p>',
      subject: 'Hi {{ first_name|nope }}',
      sample,
      brand,
    });
    expect(result.html).toBe('<p>{% if %}</p>');
    expect(result.subject).toBe('Hi {{ first_name|nope }}');
    expect(result.diagnostics.map((d) => d.rule)).toEqual([
      'klaviyo-syntax',
      'klaviyo-syntax',
      'klaviyo-syntax',
    ]);
  });

  it('is deterministic: the same input renders the same output', () => {
    const input = {
      html: "{{ event.Items|random }} {% current_year %} {% coupon_code 'W' %}",
      subject: 's',
      sample: { name: 's', event: { Items: ['a', 'b', 'c'] } },
      brand,
    };
    expect(renderPreview(input)).toEqual(renderPreview(input));
  });
});
