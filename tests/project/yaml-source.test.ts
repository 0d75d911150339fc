import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/project/yaml-source.js';

function duplicates(text: string): string[] {
  const parsed = parseYaml('f.yaml', text);
  if (parsed.ok) return [];
  return parsed.diagnostics.filter((d) => d.rule === 'duplicate-key').map((d) => `${d.line}:${d.col}`);
}

describe('duplicate keys', () => {
  it('are found in block and flow mappings, at every depth, at the repeated key', () => {
    expect(duplicates('name: a\nsteps: []\nname: b\n')).toEqual(['3:1']);
    expect(duplicates('trigger: { list: a, segment: b, list: c }\n')).toEqual(['1:33']);
    expect(duplicates('steps:\n  - wait:\n      days: 1\n      hours: 2\n      days: 3\n')).toEqual(['5:7']);
    expect(duplicates('a: 1\nb: 2\na: 3\na: 4\n')).toEqual(['3:1', '4:1']);
  });

  it('compare key values the way YAML does: quoting does not matter, types do', () => {
    expect(duplicates('name: a\n"name": b\n')).toEqual(['2:1']);
    expect(duplicates("1: a\n'1': b\n")).toEqual([]);
    expect(duplicates('&k name: a\nother: b\n')).toEqual([]);
  });

  it('are reported together with syntax errors', () => {
    const parsed = parseYaml('f.yaml', 'a: 1\na: 2\nb: [\n');
    expect(parsed.ok).toBe(false);
    expect(parsed.diagnostics.map((d) => d.rule).sort()).toEqual(['duplicate-key', 'yaml-syntax']);
  });

  // A mapping of 1 MiB (the default file size limit) holds ~35,000 keys; comparing each key with every earlier
  // one took seconds per file, and minutes for shorter keys.
  it('are found in time linear in the number of keys', () => {
    const lines = Array.from({ length: 35_000 }, (_, i) => `key${i}: "value ${i} with some text"\n`);
    const text = `${lines.join('')}key7: again\n`;
    const started = Date.now();
    const found = duplicates(text);
    const elapsed = Date.now() - started;
    expect(found).toEqual(['35001:1']);
    // Generous: about half a second on a busy machine; comparing every pair of keys takes several seconds.
    expect(elapsed).toBeLessThan(4_000);
  });
});
