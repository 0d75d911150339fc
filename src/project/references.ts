/**
 * Cross-file checks that need the whole project but no compilation: templates' layouts, samples and partials,
 * and display names used twice. (References from flows and segments to lists, segments, templates and metrics
 * are checked while compiling, where each one's exact position is at hand.)
 */
import { suggestion, type Diagnostic } from './diagnostics.js';
import { diagnosticAt } from './locator.js';
import type { BrandProject, Loaded, Project, TextFile } from './model.js';

const PARTIAL_CALL = /\[\[>\s*([A-Za-z0-9_./-]+)/g;

export function checkReferences(project: Project): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const brand of project.brands.values()) {
    for (const template of brand.templates.values()) {
      if (!template.valid) continue;
      const { layout, sample } = template.frontMatter;
      if (layout !== undefined && !project.layouts.has(layout)) {
        out.push(
          diagnosticAt(
            template.at(['layout']),
            'unknown-layout',
            'error',
            `unknown layout '${layout}'`,
            suggestion(layout, project.layouts.keys()) ?? `add shared/layouts/${layout}.html`,
          ),
        );
      }
      if (sample !== undefined && !project.samples.has(sample)) {
        out.push(
          diagnosticAt(
            template.at(['sample']),
            'unknown-sample',
            'error',
            `unknown sample '${sample}'`,
            suggestion(sample, project.samples.keys()) ?? `add samples/${sample}.yaml`,
          ),
        );
      }
      out.push(
        ...partialCalls(
          { key: template.key, file: template.file, text: template.body },
          template.bodyLine,
          brand,
          project,
        ),
      );
      if (template.text) out.push(...partialCalls(template.text, 1, brand, project));
    }
    out.push(...duplicateNames(brand.segments, 'segment'));
    out.push(...duplicateNames(brand.lists, 'list'));
    out.push(...duplicateNames(brand.flows, 'flow'));
  }
  // Layouts and shared partials are used by every brand: a call must resolve in the shared folder or in each
  // brand that overrides it.
  for (const file of [...project.layouts.values(), ...project.partials.values()]) {
    out.push(...partialCalls(file, 1, undefined, project));
  }
  return out;
}

function partialCalls(
  file: TextFile,
  firstLine: number,
  brand: BrandProject | undefined,
  project: Project,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const lines = file.text.split('\n');
  lines.forEach((line, i) => {
    for (const match of line.matchAll(PARTIAL_CALL)) {
      const name = match[1]!;
      if (project.partials.has(name) || brand?.partials.has(name)) continue;
      const available = new Set([...project.partials.keys(), ...(brand?.partials.keys() ?? [])]);
      out.push({
        file: file.file,
        line: firstLine + i,
        col: (match.index ?? 0) + 1,
        rule: 'unknown-partial',
        severity: 'error',
        message: `unknown partial '${name}'`,
        fix: suggestion(name, available) ?? `add shared/partials/${name}.html`,
      });
    }
  });
  return out;
}

function duplicateNames<T extends { name: string }>(
  objects: Map<string, Loaded<T>>,
  kind: string,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const seen = new Map<string, Loaded<T>>();
  for (const object of objects.values()) {
    if (!object.valid || typeof object.value.name !== 'string') continue;
    const first = seen.get(object.value.name);
    if (first) {
      out.push(
        diagnosticAt(
          object.at(['name']),
          'duplicate-name',
          'warning',
          `${kind} '${object.key}' has the same name as '${first.key}' (${first.file}): both show as '${object.value.name}' in Klaviyo`,
          'give each a distinct name',
        ),
      );
    } else {
      seen.set(object.value.name, object);
    }
  }
  return out;
}
