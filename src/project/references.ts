/**
 * Cross-file checks that need the whole project but no compilation: templates' samples and display names used
 * twice. References from flows and segments to lists, segments, templates and metrics are checked while
 * compiling, where each one's exact position is at hand; layouts and partials by the email assembly.
 */
import { suggestion, type Diagnostic } from './diagnostics.js';
import { diagnosticAt } from './locator.js';
import type { Loaded, Project } from './model.js';

export function checkReferences(project: Project): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const brand of project.brands.values()) {
    for (const template of brand.templates.values()) {
      if (!template.valid) continue;
      const { sample } = template.frontMatter;
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
    }
    out.push(...duplicateNames(brand.segments, 'segment'));
    out.push(...duplicateNames(brand.lists, 'list'));
    out.push(...duplicateNames(brand.flows, 'flow'));
  }
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
