/** The repository files a pull reads, gathered before the pure pull runs: object files, template builds, blueprints. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { DesiredBrandState } from '../compile/desired-state.js';
import { assembleTemplateBody } from '../compile/template-body.js';
import type { ResourcePlan } from '../engine/plan.js';
import type { PullSources } from '../engine/pull/index.js';
import type { Project } from '../project/model.js';

async function readText(cwd: string, file: string): Promise<string | undefined> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch {
    return undefined;
  }
}

/** Every file the pull of this brand may read, read now (the engine is pure). */
export async function gatherSources(
  cwd: string,
  project: Project,
  state: DesiredBrandState,
  resources: readonly ResourcePlan[],
): Promise<PullSources> {
  const brand = project.brands.get(state.brand)!;
  const texts = new Map<string, string>();
  const read = async (file: string | undefined): Promise<void> => {
    if (file === undefined || texts.has(file)) return;
    const text = await readText(cwd, file);
    if (text !== undefined) texts.set(file, text);
  };
  for (const r of resources) {
    await read(r.source?.file);
    if (r.kind === 'template') await read(r.source?.file.replace(/\.html$/, '.txt'));
    const blueprint = r.kind === 'flow' ? brand.flows.get(r.key)?.blueprint : undefined;
    if (blueprint !== undefined) await read(project.blueprints.get(blueprint)?.file);
  }
  const listNames = new Map(state.lists.map((l) => [l.key, l.name]));
  const sourceOf = (kind: string, key: string) =>
    resources.find((r) => r.kind === kind && r.key === key)?.source?.file;
  return {
    exists: (file) => texts.has(file),
    object(kind, key) {
      const file = (kind === 'list' ? brand.lists : brand.segments).get(key)?.file ?? sourceOf(kind, key);
      const text = file === undefined ? undefined : texts.get(file);
      return file !== undefined && text !== undefined ? { file, text } : undefined;
    },
    template(key) {
      const template = brand.templates.get(key);
      const text = template && texts.get(template.file);
      if (!template || text === undefined) return undefined;
      const body = assembleTemplateBody(project, brand, template);
      if (!body.sourceMap) return undefined;
      const textMap = body.textSourceMap;
      return {
        file: template.file,
        text,
        bodyLine: template.bodyLine,
        html: { built: body.html, map: body.sourceMap },
        ...(template.text && textMap
          ? {
              textPart: {
                file: template.text.file,
                text: template.text.text,
                built: body.text,
                map: textMap,
              },
            }
          : {}),
        textFile: template.file.replace(/\.html$/, '.txt'),
      };
    },
    flow(key) {
      const flow = brand.flows.get(key);
      const text = flow && texts.get(flow.file);
      if (!flow || text === undefined) return undefined;
      const blueprint = flow.blueprint !== undefined ? project.blueprints.get(flow.blueprint) : undefined;
      const blueprintText = blueprint && texts.get(blueprint.file);
      return {
        file: flow.file,
        text,
        ...(blueprint && blueprintText !== undefined
          ? { blueprint: { key: blueprint.key, file: blueprint.file, text: blueprintText } }
          : {}),
        listName: (k) => listNames.get(k),
      };
    },
  };
}
