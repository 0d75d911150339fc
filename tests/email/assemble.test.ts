import { describe, expect, it } from 'vitest';
import {
  Assembler,
  assembleTemplate,
  assembleTextPart,
  mergePartials,
  type SourceFile,
} from '../../src/email/assemble/assemble.js';

const brand = {
  name: 'Trail & Co',
  postal_address: '410 Alder Street, Bend, OR 97701, USA',
  website: 'https://trailhead.example',
  tokens: { color_primary: '#2F5D50', logo_url: 'https://trailhead.example/logo.png' },
  tone: { greeting: 'Hey' },
};

const layouts = new Map<string, SourceFile>([
  [
    'base',
    {
      file: 'marketing/shared/layouts/base.html',
      source: [
        '<!doctype html>',
        '<html lang="en">',
        '<head><title>[[[template.subject]]]</title></head>',
        '<body style="color:[[brand.tokens.color_primary]]">',
        '[[[body]]]',
        '[[> footer]]',
        '</body>',
        '</html>',
        '',
      ].join('\n'),
    },
  ],
]);

const shared = new Map<string, SourceFile>([
  [
    'footer',
    {
      file: 'marketing/shared/partials/footer.html',
      source: '<p>[[brand.name]] · {{ organization.full_address }}</p>\n<p>{% unsubscribe %}</p>\n',
    },
  ],
  [
    'button',
    {
      file: 'marketing/shared/partials/button.html',
      source: '<a href="[[[href]]]"\n   style="padding:12px">[[label]]</a>\n',
    },
  ],
  ['card', { file: 'marketing/shared/partials/card.html', source: '<div>\n[[> button href="x"]]\n</div>\n' }],
]);

const file = 'marketing/brands/trailhead/templates/welcome.html';

function assemble(body: string, frontMatter: Record<string, unknown> = {}, partials = shared) {
  return assembleTemplate({ brand, layouts, partials, file, body, bodyStartLine: 6, frontMatter });
}

describe('assembleTemplate', () => {
  it('keeps every Klaviyo tag byte for byte while expanding build expressions', () => {
    const klaviyo = [
      "{{ first_name|default:'there' }}",
      '{{person|lookup:"Loyalty Points"}}',
      "{% if person|lookup:'Loyalty Points' > 150 %}VIP{% elif event.x|length >= 2 %}x{% else %}y{% endif %}",
      '{% for item in event.Items %}{{ forloop.counter }}. {{ item.ProductName|title }}{% empty %}none{% endfor %}',
      "{# a comment with [brackets] and 'quotes' #}",
      "{% unsubscribe 'Opt out' %} {% web_view_link %} {{{ odd_triple }}}",
      "{{ event|lookup:'$value'|floatformat:2 }}",
    ].join('\n');
    const result = assemble(`<h1>[[brand.tone.greeting]]</h1>\n${klaviyo}\n`);
    expect(result.diagnostics).toEqual([]);
    expect(result.html).toBe(`<h1>Hey</h1>\n${klaviyo}\n`);
  });

  it('wraps the body in its layout and includes partials with parameters', () => {
    const body = '<p>Hi</p>\n[[> button href="{{ event.extra.checkout_url }}" label="Shop & save"]]\n';
    const result = assemble(body, { subject: "Hi {{ first_name|default:'friend' }}", layout: 'base' });
    expect(result.diagnostics).toEqual([]);
    expect(result.html).toBe(
      [
        '<!doctype html>',
        '<html lang="en">',
        "<head><title>Hi {{ first_name|default:'friend' }}</title></head>",
        '<body style="color:#2F5D50">',
        '<p>Hi</p>',
        '<a href="{{ event.extra.checkout_url }}"',
        '   style="padding:12px">Shop &amp; save</a>',
        '',
        '<p>Trail &amp; Co · {{ organization.full_address }}</p>',
        '<p>{% unsubscribe %}</p>',
        '</body>',
        '</html>',
        '',
      ].join('\n'),
    );
  });

  it('supports [[#if]], [[#each]] and whitespace control like Handlebars', () => {
    const body =
      '[[#if brand.tokens.logo_url]]\n<img src="[[brand.tokens.logo_url]]" alt="">\n[[/if]]\n[[#if brand.tokens.missing]]\nnever\n[[/if]]\n[[#each brand.tone]]<b>[[@key]]=[[this]]</b>[[/each]]\n';
    const result = assemble(body);
    expect(result.diagnostics).toEqual([]);
    expect(result.html).toBe('<img src="https://trailhead.example/logo.png" alt="">\n<b>greeting=Hey</b>\n');
  });

  it('reports an unknown variable at its line and column, accounting for the front matter', () => {
    const result = assemble('<p>ok</p>\n  <p>[[brand.tokens.color_primry]]</p>\n');
    expect(result.html).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({
      file,
      line: 7,
      col: 8,
      rule: 'build-unknown-variable',
      severity: 'error',
      fix: "did you mean 'brand.tokens.color_primary'?",
    });
    expect(result.diagnostics[0]!.message).toContain('color_primry');
  });

  it('names the first missing part of a path', () => {
    const result = assemble('[[brand.colors.primary]]');
    expect(result.diagnostics[0]).toMatchObject({ line: 6, col: 3, rule: 'build-unknown-variable' });
    expect(result.diagnostics[0]!.message).toContain("'brand.colors' is not defined");
  });

  it('counts the backslashes the pre-pass inserts when reporting columns', () => {
    const result = assemble('{{ a }}{{ b }} [[brand.nope]]');
    expect(result.diagnostics[0]).toMatchObject({ line: 6, col: 18, rule: 'build-unknown-variable' });
  });

  it('reports an error inside a partial at the partial file and says who included it', () => {
    const result = assemble('<p>x</p>\n[[> card]]\n');
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({
      file: 'marketing/shared/partials/button.html',
      line: 2,
      col: 27,
      rule: 'build-unknown-variable',
    });
    expect(result.diagnostics[0]!.message).toContain('included from marketing/shared/partials/card.html');
  });

  it('reports an unknown partial with a suggestion', () => {
    const result = assemble('\n\n[[> buton label="x" href="y"]]');
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        line: 8,
        col: 1,
        rule: 'build-unknown-partial',
        fix: "did you mean 'button'?",
      }),
    ]);
  });

  it.each(['../../etc/passwd', '"../secrets"', '"/etc/passwd"', '"Footer"', '"a/../../b"', '"C:/x"'])(
    'refuses the partial name %s',
    (name) => {
      const result = assemble(`[[> ${name}]]`);
      expect(result.html).toBeUndefined();
      expect(result.diagnostics.map((d) => d.rule)).toEqual(['build-partial-name']);
    },
  );

  it('cannot reach a file outside the partial map even by a name Handlebars rejects', () => {
    const result = assemble('[[> brands/x/../y]]');
    expect(result.html).toBeUndefined();
    expect(result.diagnostics[0]!.severity).toBe('error');
  });

  it('refuses computed partial names', () => {
    const result = assemble('[[> (lookup brand "name")]]');
    expect(result.diagnostics[0]).toMatchObject({ rule: 'build-partial-name', line: 6 });
  });

  it('looks partials up brand first, then shared', () => {
    const brandPartials = new Map([
      [
        'footer',
        { file: 'marketing/brands/trailhead/partials/footer.html', source: 'brand footer {% unsubscribe %}' },
      ],
    ]);
    const result = assemble('[[> footer]]', {}, mergePartials(shared, brandPartials));
    expect(result.html).toBe('brand footer {% unsubscribe %}');
  });

  it('reports a parse error at its position', () => {
    const result = assemble('<p>\n[[#if brand.name]]\nopen block\n');
    expect(result.diagnostics).toEqual([expect.objectContaining({ rule: 'build-syntax', line: 9 })]);
  });

  it('reports a block closed with the wrong name', () => {
    const result = assemble('[[#if brand.name]]\nx\n[[/each]]');
    expect(result.diagnostics[0]).toMatchObject({ rule: 'build-syntax', line: 6 });
    expect(result.diagnostics[0]!.message).toContain("doesn't match");
  });

  it('reports an unclosed build expression where it opens', () => {
    const result = assemble('ok\n  [[brand.name\n\n');
    expect(result.diagnostics).toEqual([expect.objectContaining({ rule: 'build-syntax', line: 7, col: 3 })]);
  });

  it('reports a }} closing a build expression', () => {
    const result = assemble('<p>[[brand.name}}</p>');
    expect(result.diagnostics[0]).toMatchObject({ rule: 'build-syntax', line: 6, col: 16 });
  });

  it('forbids a literal \\{{ and \\[[ in the source', () => {
    const result = assemble('ok\n<p>\\{{ first_name }}</p> \\[[brand.name]]');
    expect(result.diagnostics.map((d) => [d.rule, d.line, d.col])).toEqual([
      ['build-escaped-braces', 7, 4],
      ['build-escaped-braces', 7, 26],
    ]);
  });

  it('reports ]] left in the output at the source position', () => {
    const result = assemble('<p>ok</p>\n<p>a]]b</p>', { layout: 'base', subject: 's' });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ rule: 'build-leftover-brackets', line: 7, col: 5 }),
    ]);
    expect(result.html).toBeUndefined();
  });

  it('reports [[ left in the output by a build value at the line that inserted it', () => {
    const result = assemble('<p>\n<b>[[template.note]]</b>', { note: 'see [[x' });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ rule: 'build-leftover-brackets', line: 7 }),
    ]);
  });

  it('leaves a CDATA end alone', () => {
    const result = assemble('<style>/*<![CDATA[*/ a{} /*]]>*/</style>');
    expect(result.diagnostics).toEqual([]);
  });

  it('rejects helpers that are not built in, and the log helper', () => {
    expect(assemble('[[uppercase brand.name]]').diagnostics[0]).toMatchObject({
      rule: 'build-unknown-helper',
    });
    expect(assemble('[[log brand.name]]').diagnostics[0]).toMatchObject({ rule: 'build-unknown-helper' });
  });

  it('refuses prototype properties', () => {
    for (const path of ['constructor', 'brand.__proto__', 'brand.name.constructor', 'template.toString']) {
      const result = assemble(`[[${path}]]`);
      expect(result.html, path).toBeUndefined();
      expect(result.diagnostics[0]!.rule, path).toBe('build-unknown-variable');
    }
  });

  it('reports an unknown layout with a suggestion', () => {
    const result = assembleTemplate({
      brand,
      layouts,
      partials: shared,
      file,
      body: 'x',
      bodyStartLine: 6,
      frontMatter: { layout: 'bsae' },
      layoutPosition: { line: 4, col: 9 },
    });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ rule: 'build-unknown-layout', line: 4, col: 9, fix: "did you mean 'base'?" }),
    ]);
  });

  it('requires a layout to insert the body, raw', () => {
    const broken = new Map([
      ['none', { file: 'marketing/shared/layouts/none.html', source: '<html lang="en">\n</html>' }],
      [
        'escaped',
        { file: 'marketing/shared/layouts/escaped.html', source: '<html lang="en">\n  [[body]]\n</html>' },
      ],
    ]);
    const run = (layout: string) =>
      assembleTemplate({
        brand,
        layouts: broken,
        partials: shared,
        file,
        body: '<p>x</p>',
        bodyStartLine: 6,
        frontMatter: { layout },
      });
    expect(run('none').diagnostics).toEqual([
      expect.objectContaining({
        rule: 'build-layout-body',
        file: 'marketing/shared/layouts/none.html',
        line: 1,
      }),
    ]);
    expect(run('escaped').diagnostics).toEqual([
      expect.objectContaining({
        rule: 'build-layout-body',
        file: 'marketing/shared/layouts/escaped.html',
        line: 2,
        col: 3,
      }),
    ]);
  });

  it('warns when [[ ]] escaping mangles a Klaviyo tag', () => {
    const result = assemble('<title>[[template.subject]]</title>', {
      subject: "Hi {{ first_name|default:'x' }}",
    });
    expect(result.diagnostics).toEqual([
      // At the expression that inserted the value (no value locator given).
      expect.objectContaining({ rule: 'build-escaped-klaviyo-tag', severity: 'warning', line: 6, col: 8 }),
    ]);
    expect(result.html).toContain('&#x27;');
  });

  it('maps output positions back to the template, the layout and partials', () => {
    const result = assemble('<p>one</p>\n<p>two {% unsubscribe %}</p>\n', { layout: 'base', subject: 's' });
    const html = result.html!;
    const map = result.sourceMap!;
    expect(map.locate(html.indexOf('{% unsubscribe %}</p>\n</body>'))).toMatchObject({
      file: 'marketing/shared/partials/footer.html',
      line: 2,
      col: 4,
    });
    expect(map.locate(html.indexOf('{% unsubscribe %}'))).toEqual({ file, line: 7, col: 8 });
    expect(map.locate(html.indexOf('<body'))).toEqual({
      file: 'marketing/shared/layouts/base.html',
      line: 4,
      col: 1,
    });
    expect(map.locate(html.indexOf('{{ organization'))).toEqual({
      file: 'marketing/shared/partials/footer.html',
      line: 1,
      col: 21,
    });
    const line = html.slice(0, html.indexOf('<p>one')).split('\n').length;
    expect(map.locateLineCol(line, 4)).toEqual({ file, line: 6, col: 4 });
  });

  it('passes a U+FDD0 that comes from a build value through unchanged', () => {
    const result = assembleTemplate({
      brand: { name: 'a\uFDD0b\uFDD0' },
      layouts,
      partials: shared,
      file,
      body: '<p>[[brand.name]]</p>',
      bodyStartLine: 1,
      frontMatter: {},
    });
    expect(result.html).toBe('<p>a\uFDD0b\uFDD0</p>');
  });

  it('reuses compiled partials across templates of one brand', () => {
    const assembler = new Assembler({ brand, layouts, partials: shared });
    const a = assembler.html({ file: 'a.html', body: '[[> footer]]', bodyStartLine: 1, frontMatter: {} });
    const b = assembler.html({ file: 'b.html', body: 'x\n[[> footer]]', bodyStartLine: 3, frontMatter: {} });
    expect(a.html).toContain('Trail &amp; Co');
    expect(b.sourceMap!.locate(0)).toEqual({ file: 'b.html', line: 3, col: 1 });
    expect(b.sourceMap!.locate(2)).toMatchObject({ file: 'marketing/shared/partials/footer.html', line: 1 });
  });
});

describe('assembleTextPart', () => {
  it('expands build expressions without HTML escaping and keeps Klaviyo tags', () => {
    const result = assembleTextPart({
      brand,
      layouts,
      partials: shared,
      file: 'marketing/brands/trailhead/templates/welcome.txt',
      source:
        "[[brand.tone.greeting]] {{ first_name|default:'there' }} from [[brand.name]]\n{% unsubscribe_link %}\n",
      frontMatter: {},
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.text).toBe(
      "Hey {{ first_name|default:'there' }} from Trail & Co\n{% unsubscribe_link %}\n",
    );
  });

  it('reports errors in the text file at its own lines', () => {
    const result = assembleTextPart({
      brand,
      layouts,
      partials: shared,
      file: 'welcome.txt',
      source: 'a\nb [[brand.nam]]',
      frontMatter: {},
    });
    expect(result.diagnostics[0]).toMatchObject({
      file: 'welcome.txt',
      line: 2,
      col: 5,
      fix: "did you mean 'brand.name'?",
    });
  });
});
