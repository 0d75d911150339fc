/**
 * A template edited in Klaviyo, back into its files. Klaviyo holds the assembled email (layout, partials and
 * body in one HTML); the build's source map tells where each line came from. An edit whose lines all come from
 * the template's own body is made there, line for line. An edit that touched the shared layout or a partial
 * cannot be made in the template alone: the whole HTML is written as the template's body and its `layout:` is
 * dropped (changing the layout would change every template that uses it). The text part is treated the same
 * way; a template whose text part was generated gets a `.txt` when that part is edited.
 */
import { unsafeForBuild } from '../import/index.js';
import type { FieldChange, ResourcePlan } from '../plan.js';
import { pulledValue, type PrintsContext } from './pulled-value.js';
import { emptyPull, refuseAll, shown, type ResourcePull } from './result.js';
import { patchSource, type BuildSourceMap } from './source-patch.js';
import { editYaml, YamlEditError, type YamlChange } from './yaml-edit.js';

export interface BuiltPart {
  /** What the build made of the file (equal to the plan's value). */
  built: string;
  map: BuildSourceMap;
}

export interface TemplateSources {
  /** The `.html` file: front matter and body. */
  file: string;
  text: string;
  /** 1-based line of the body's first line. */
  bodyLine: number;
  html: BuiltPart;
  /** The `.txt` part, when the template has one. */
  textPart?: BuiltPart & { file: string; text: string };
  /** Where a text part goes when the template has none. */
  textFile: string;
}

/** The front matter and body of a template file, split where the loader splits them. */
function splitTemplate(text: string, bodyLine: number): { head: string[]; front: string; body: string } {
  const lines = text.split('\n');
  return {
    head: [lines[0]!, lines[bodyLine - 2]!],
    front: lines.slice(1, bodyLine - 2).join('\n'),
    body: lines.slice(bodyLine - 1).join('\n'),
  };
}

function lineRange(lines: number[]): string {
  if (lines.length === 0) return '';
  const first = lines[0]!;
  const last = lines[lines.length - 1]!;
  return first === last ? `line ${first}` : `lines ${first}-${last}`;
}

function describeOutside(outside: { file: string; line: number }): string {
  const what = /(^|\/)layouts\//.test(outside.file) ? 'the shared layout' : 'a partial';
  return `the edit touched ${what} (${outside.file}:${outside.line})`;
}

export function pullTemplate(
  resource: ResourcePlan,
  changes: FieldChange[],
  sources: TemplateSources,
  prints: PrintsContext,
): ResourcePull {
  const out = emptyPull('template', resource.key);
  const front: YamlChange[] = [];
  let text = sources.text;
  let htmlPulled = false;
  let textPulled = false;

  for (const change of changes) {
    const value = pulledValue(change, change.path, prints);
    if (!value.ok) {
      out.notPulled.push({ path: change.path, reason: value.reason });
      continue;
    }
    if (change.path === 'name') {
      front.push({ path: ['name'], from: change.after, to: value.value });
      out.pulled.push({
        file: sources.file,
        path: 'name',
        what: `name ${shown(change.after)} -> ${shown(value.value)}`,
      });
      continue;
    }
    if (typeof value.value !== 'string') {
      out.notPulled.push({ path: change.path, reason: `Klaviyo's ${change.path} is empty` });
      continue;
    }
    if (change.path === 'html') {
      const done = pullHtml(value.value, sources, text, front, out);
      if (done !== undefined) {
        text = done;
        htmlPulled = true;
      }
      continue;
    }
    if (change.path === 'text') {
      textPulled = pullText(value.value, sources, out);
      continue;
    }
    out.notPulled.push({ path: change.path, reason: 'a template field pull does not write' });
  }

  if (front.length > 0) {
    const parts = splitTemplate(text, sources.bodyLine);
    try {
      text = [parts.head[0], editYaml(parts.front, front), parts.head[1], parts.body].join('\n');
    } catch (error) {
      if (!(error instanceof YamlEditError)) throw error;
      return refuseAll(out, `its front matter could not be edited: ${error.message}`);
    }
  }
  if (text !== sources.text) out.writes.unshift({ file: sources.file, text, created: false });
  // The marker's content hash in Klaviyo still names the content last applied (the command refreshes it).
  if (htmlPulled || textPulled) out.follows.push('marker');
  if (htmlPulled && !sources.textPart && !textPulled) {
    out.follows.push('text');
    out.notes.push('its text part is generated from the HTML: the next apply sends the new one to Klaviyo');
  }
  return out;
}

/** The HTML into the body (returns the new file text), or written standalone; undefined when not pulled. */
function pullHtml(
  html: string,
  sources: TemplateSources,
  text: string,
  front: YamlChange[],
  out: ResourcePull,
): string | undefined {
  const patch = patchSource(sources.html.built, html, sources.html.map, {
    file: sources.file,
    text,
    firstLine: sources.bodyLine,
  });
  if (patch.ok) {
    out.pulled.push({ file: sources.file, path: 'html', what: `html (body ${lineRange(patch.lines)})` });
    out.notes.push(...patch.notes);
    return patch.text;
  }
  const unsafe = unsafeForBuild(html);
  if (unsafe) {
    out.notPulled.push({ path: 'html', reason: `Klaviyo's HTML cannot go into a template file: ${unsafe}` });
    return undefined;
  }
  const parts = splitTemplate(text, sources.bodyLine);
  front.push({ path: ['layout'], from: 'layout', to: undefined });
  out.pulled.push({
    file: sources.file,
    path: 'html',
    what: 'html (the whole email as the body, layout dropped)',
  });
  out.notes.push(
    `written standalone: ${patch.outside ? describeOutside(patch.outside) : patch.reason}; the template no longer uses the layout`,
  );
  return [parts.head[0], parts.front, parts.head[1], html].join('\n');
}

/** The text part into its `.txt` (patched, or whole), or a new `.txt` when it was generated. */
function pullText(text: string, sources: TemplateSources, out: ResourcePull): boolean {
  const unsafe = unsafeForBuild(text);
  const part = sources.textPart;
  if (part) {
    const patch = patchSource(part.built, text, part.map, { file: part.file, text: part.text, firstLine: 1 });
    if (patch.ok) {
      out.writes.push({ file: part.file, text: patch.text, created: false });
      out.pulled.push({ file: part.file, path: 'text', what: `text (${lineRange(patch.lines)})` });
      out.notes.push(...patch.notes);
      return true;
    }
    if (unsafe) {
      out.notPulled.push({ path: 'text', reason: `Klaviyo's text part cannot go into a file: ${unsafe}` });
      return false;
    }
    out.writes.push({ file: part.file, text, created: false });
    out.pulled.push({ file: part.file, path: 'text', what: 'text (the whole part)' });
    out.notes.push(
      `text part written whole: ${patch.outside ? describeOutside(patch.outside) : patch.reason}`,
    );
    return true;
  }
  if (unsafe) {
    out.notPulled.push({ path: 'text', reason: `Klaviyo's text part cannot go into a file: ${unsafe}` });
    return false;
  }
  out.writes.push({ file: sources.textFile, text, created: true });
  out.pulled.push({
    file: sources.textFile,
    path: 'text',
    what: 'text (a new text part: it was generated from the HTML)',
  });
  return true;
}
