import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assembleTemplate, assembleTextPart } from '../../src/email/assemble/assemble.js';
import { parseKlaviyoTemplate, renderKlaviyoTemplate } from '../../src/email/klaviyo-language/index.js';
import { checkEmail } from '../../src/email/qa/check-email.js';
import { generateTextPart } from '../../src/email/text-part.js';

/** Pieces that reach the interesting corners of both languages, mixed with arbitrary text. */
const PIECES = [
  '{{',
  '}}',
  '{%',
  '%}',
  '{#',
  '#}',
  '{{{',
  '}}}',
  ' ',
  '\n',
  '|',
  ':',
  "'",
  '"',
  '.',
  '0',
  '-1',
  '>',
  '<',
  '==',
  '=',
  '(',
  ')',
  ',',
  '\\',
  '$',
  '_',
  'if',
  'elif',
  'else',
  'endif',
  'for',
  'in',
  'not',
  'and',
  'or',
  'is',
  'reversed',
  'empty',
  'endfor',
  'catalog',
  'endcatalog',
  'comment',
  'endcomment',
  'verbatim',
  'endverbatim',
  'unsubscribe',
  'unsubscribe_link',
  'coupon_code',
  'currency_format',
  'cycle',
  'firstof',
  'now',
  'default',
  'lookup',
  'floatformat',
  'slice',
  'date',
  'random',
  'join',
  'add',
  'x',
  'item',
  'event',
  'person',
  'forloop',
  'counter',
  'True',
  'None',
  '[[',
  ']]',
  '[[[',
  ']]]',
  '[[>',
  '[[#if',
  '[[/if',
  '[[#each',
  '[[/each',
  '[[!--',
  '--]]',
  '~',
  '@root',
  'brand',
  'template',
  'body',
  'name',
  'tokens',
  'card',
  '../',
  'this',
  '@key',
  'constructor',
  '__proto__',
  '<p>',
  '</p>',
  '<img src="http://x">',
  '<html lang="en">',
  '<a href="',
  '">',
  '\uFDD0',
  '\u0000',
  'é',
  '𝔘',
];

const templateText = fc.oneof(
  fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((parts) => parts.join('')),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

const jsonData = fc.dictionary(
  fc.constantFrom('first_name', 'event', 'person', 'x', 'item', 'organization', '__proto__', 'constructor'),
  fc.jsonValue({ maxDepth: 3 }),
);

const runs = { numRuns: 500 };

describe('never throws on any input', () => {
  it('parses and renders Klaviyo templates: a value or diagnostics', () => {
    fc.assert(
      fc.property(templateText, jsonData, fc.boolean(), (source, data, autoescape) => {
        const parsed = parseKlaviyoTemplate(source, { file: 'f.html', lineOffset: 2 });
        expect(Array.isArray(parsed.diagnostics)).toBe(true);
        for (const d of parsed.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(3);
          expect(d.col).toBeGreaterThanOrEqual(1);
        }
        if (parsed.ast) {
          const result = renderKlaviyoTemplate(parsed.ast, data, { autoescape, maxOutputLength: 100_000 });
          expect(typeof result.output).toBe('string');
        } else {
          expect(parsed.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        }
      }),
      runs,
    );
  });

  it('assembles templates and text parts: a value or diagnostics', () => {
    const partials = new Map([
      ['card', { file: 'p/card.html', source: '<div>[[> @partial-block]][[title]]</div>' }],
      ['x', { file: 'p/x.html', source: '{{ x }}[[brand.name]]' }],
    ]);
    const layouts = new Map([['base', { file: 'l/base.html', source: '<html>[[[body]]]</html>' }]]);
    fc.assert(
      fc.property(templateText, fc.constantFrom(undefined, 'base', 'nope', '../x'), (body, layout) => {
        const frontMatter = layout === undefined ? {} : { layout };
        const html = assembleTemplate({
          brand: { name: 'B', tokens: {} },
          layouts,
          partials,
          file: 't.html',
          body,
          bodyStartLine: 4,
          frontMatter,
        });
        if (html.html === undefined) expect(html.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        else expect(html.html).not.toContain('\uFDD0');
        for (const d of html.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
        const text = assembleTextPart({
          brand: { name: 'B' },
          layouts,
          partials,
          file: 't.txt',
          source: body,
          frontMatter: {},
        });
        expect(text.text !== undefined || text.diagnostics.length > 0).toBe(true);
      }),
      runs,
    );
  });

  it('passes text without build expressions through assembly unchanged', () => {
    const plain = fc
      .string({ unit: 'binary', maxLength: 200 })
      .filter((s) => !/\[\[|\]\]|\\\{\{|\\\[\[|\uFDD0|\0/.test(s));
    fc.assert(
      fc.property(plain, (body) => {
        const result = assembleTemplate({
          brand: {},
          layouts: new Map(),
          partials: new Map(),
          file: 't.html',
          body,
          bodyStartLine: 1,
          frontMatter: {},
        });
        expect(result.diagnostics).toEqual([]);
        expect(result.html).toBe(body);
      }),
      runs,
    );
  });

  it('generates text parts and checks emails', () => {
    fc.assert(
      fc.property(templateText, (html) => {
        expect(typeof generateTextPart(html)).toBe('string');
        const diagnostics = checkEmail({
          templateFile: 't.html',
          html: { file: 't.html', content: html },
          text: { file: 't.txt', content: html },
          frontMatter: { subject: html.slice(0, 30), preview_text: html.slice(0, 50) },
          brand: { postal_address: '1 Road' },
          transactionalAllowed: false,
          sample: { name: 's', profile: { first_name: 'A' } },
        });
        expect(Array.isArray(diagnostics)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
