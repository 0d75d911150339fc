import { describe, expect, it } from 'vitest';
import { assembleTemplate } from '../../../src/email/assemble/assemble.js';
import { patchSource } from '../../../src/engine/pull/source-patch.js';

const FILE = 'brands/north/templates/welcome.html';
const TEXT = [
  '---',
  'subject: Welcome',
  'layout: base',
  '---',
  "<h1>[[brand.tone.greeting]] {{ first_name|default:'there' }},</h1>",
  '<p>Your code is inside.</p>',
  '',
].join('\n');
const LAYOUT = {
  file: 'shared/layouts/base.html',
  source: '<html><body>\n<div style="max-width:600px">\n[[[body]]]</div>\n</body></html>\n',
};

function build() {
  const built = assembleTemplate({
    brand: { name: 'North', tone: { greeting: 'Hi' } },
    layouts: new Map([['base', LAYOUT]]),
    partials: new Map(),
    file: FILE,
    body: TEXT.split('\n').slice(4).join('\n'),
    bodyStartLine: 5,
    frontMatter: { subject: 'Welcome', layout: 'base' },
  });
  expect(built.diagnostics).toEqual([]);
  return { html: built.html!, map: built.sourceMap! };
}

const target = { file: FILE, text: TEXT, firstLine: 5 };

describe('patchSource', () => {
  it('changes the text around a build expression and keeps the expression', () => {
    const { html, map } = build();
    const patch = patchSource(html, html.replace("'there' }},</h1>", "'there' }}!</h1>"), map, target);
    expect(patch).toMatchObject({ ok: true, lines: [5], notes: [] });
    expect(patch.ok && patch.text).toBe(TEXT.replace('}},</h1>', '}}!</h1>'));
  });

  it("writes a line as Klaviyo has it when the edit changed an expression's value, and says so", () => {
    const { html, map } = build();
    const patch = patchSource(html, html.replace('<h1>Hi ', '<h1>Hello '), map, target);
    expect(patch.ok && patch.text).toBe(TEXT.replace('[[brand.tone.greeting]]', 'Hello'));
    expect(patch.ok && patch.notes).toEqual([
      'line 5: the edit changed text a build expression writes; written as Klaviyo has it ([[brand.tone.greeting]] became text)',
    ]);
  });

  it('adds and removes body lines where they map', () => {
    const { html, map } = build();
    const added = patchSource(
      html,
      html.replace(
        '<p>Your code is inside.</p>\n',
        '<p>Your code is inside.</p>\n<p>It expires Friday.</p>\n',
      ),
      map,
      target,
    );
    expect(added.ok && added.text).toBe(
      TEXT.replace('inside.</p>\n', 'inside.</p>\n<p>It expires Friday.</p>\n'),
    );
    const removed = patchSource(html, html.replace('<p>Your code is inside.</p>\n', ''), map, target);
    expect(removed.ok && removed.text).toBe(TEXT.replace('<p>Your code is inside.</p>\n', ''));
  });

  it('refuses an edit of the layout and names the line it touched', () => {
    const { html, map } = build();
    const patch = patchSource(html, html.replace('max-width:600px', 'max-width:640px'), map, target);
    expect(patch).toEqual({
      ok: false,
      reason: 'the edit touched shared/layouts/base.html:2',
      outside: { file: 'shared/layouts/base.html', line: 2 },
    });
  });

  it('refuses text the build would read as its own syntax', () => {
    const { html, map } = build();
    const patch = patchSource(html, html.replace('inside.', 'inside [[now]].'), map, target);
    expect(patch.ok).toBe(false);
    expect(!patch.ok && patch.reason).toContain("'[['");
  });
});
