import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDesiredState } from '../../src/compile/index.js';
import { parseYaml, decodeText } from '../../src/project/yaml-source.js';
import { checkSchema } from '../../src/project/schema-check.js';
import { tempProject } from './temp-project.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Text that looks a little like YAML, so the fuzzer reaches past the tokenizer. */
const yamlish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'name: ',
        'steps:',
        '  - ',
        'wait: ',
        '{ ',
        ' }',
        '[',
        ']',
        ': ',
        '&a ',
        '*a',
        '!!binary ',
        '---\n',
        '"',
        "'",
        '#',
        '\t',
        '? ',
        '|\n',
        '>-\n',
        '${x}',
      ),
      fc.string({ maxLength: 12 }),
      fc.constant('\n'),
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(''));

describe('the loader never throws on bad input', () => {
  it('parseYaml returns a value or diagnostics for any text', () => {
    fc.assert(
      fc.property(fc.oneof(yamlish, fc.string()), (text) => {
        const parsed = parseYaml('f.yaml', text);
        if (parsed.ok) {
          const at = parsed.source.locate(['steps', 0, 'wait'], { key: true });
          expect(at.line).toBeGreaterThanOrEqual(1);
          // Every schema check is total too.
          for (const d of checkSchema('flow', parsed.source.value, (p) => ({
            file: 'f.yaml',
            ...parsed.source.locate(p),
          })))
            expect(d.line).toBeGreaterThanOrEqual(1);
        } else {
          expect(parsed.diagnostics.length).toBeGreaterThan(0);
          for (const d of parsed.diagnostics) expect(d.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('decodeText accepts or rejects any bytes without throwing, and leaves only LF line endings', () => {
    const bytesWithLineEnds = fc.array(
      fc.oneof(fc.constantFrom(13, 10, 13, 65), fc.integer({ min: 0, max: 255 })),
      {
        maxLength: 64,
      },
    );
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 64 }), bytesWithLineEnds), (raw) => {
        const bytes = Uint8Array.from(raw);
        const decoded = decodeText(bytes);
        expect(typeof decoded.ok).toBe('boolean');
        if (decoded.ok) {
          expect(decoded.text).not.toContain('\r');
          // Each CRLF or lone CR became exactly one LF.
          const breaks = new TextDecoder().decode(bytes).match(/\r\n|\r|\n/g)?.length ?? 0;
          expect(decoded.text.split('\n').length - 1).toBe(breaks);
        }
      }),
    );
  });

  const project = tempProject();
  afterAll(() => project.cleanup());

  it('the whole validate pipeline gives diagnostics, never an exception, for random files in every slot', async () => {
    const slots = [
      'marketing/klaviyo-gitops.yaml',
      'marketing/brands/acme/brand.yaml',
      'marketing/brands/acme/flows/welcome.yaml',
      'marketing/brands/acme/segments/engaged.yaml',
      'marketing/shared/blueprints/reminder.yaml',
      'marketing/brands/acme/templates/hello.html',
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...slots),
        fc.oneof(
          yamlish,
          fc.uint8Array({ maxLength: 80 }),
          yamlish.map((y) => `---\n${y}\n---\n<p>x</p>`),
        ),
        async (slot, content) => {
          writeFileSync(join(project.cwd, slot), content);
          const result = await buildDesiredState({ cwd: project.cwd, dir: 'marketing' });
          for (const d of result.diagnostics) {
            expect(d.file).not.toMatch(/^\//);
            expect(d.line).toBeGreaterThanOrEqual(1);
            expect(d.col).toBeGreaterThanOrEqual(1);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
