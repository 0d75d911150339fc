/** Templates: CRUD, clone, a minimal render, and the 1,000-created-through-the-API cap. */
import type { Handler, HandlerContext } from '../context.js';
import { listDocument, selfLink, singleDocument, wantsAdditional, type Resource } from '../documents.js';
import { invalid, notFound } from '../errors.js';
import { bodyAttributes, bodyData, getPath, obj, str } from '../json.js';
import type { TemplateRecord } from '../store.js';
import { ids } from '../ids.js';
import { assertBodyId, found, freshId, pathId } from './common.js';

export function templateResource(t: TemplateRecord, ctx: HandlerContext, withDefinition: boolean): Resource {
  return {
    type: 'template',
    id: t.id,
    attributes: {
      name: t.name,
      editor_type: t.editor_type,
      html: t.html,
      text: t.text,
      amp: t.amp,
      created: t.created,
      updated: t.updated,
      ...(withDefinition ? { definition: t.definition ?? null } : {}),
    },
    links: { self: selfLink(ctx.baseUrl, 'templates', t.id) },
  };
}

/** A template the template endpoints may change: flow-owned copies answer 404 like in Klaviyo. */
function ownTemplate(ctx: HandlerContext, id: string): TemplateRecord {
  const t = ctx.account.templates[id];
  if (!t || t.ownerMessageId) throw notFound('template', id);
  return t;
}

function spendTemplateQuota(ctx: HandlerContext): void {
  if (ctx.account.templatesCreatedViaApi >= ctx.templateCap)
    throw invalid(
      `Template creation failed: there is a limit of ${ctx.templateCap} templates that can be created via the API, and this account has reached it.`,
      { pointer: '/data' },
    );
  ctx.account.templatesCreatedViaApi += 1;
}

export const templateHandlers: Record<string, Handler> = {
  get_templates: (req, ctx) => {
    const withDefinition = wantsAdditional(req.url, 'template', 'definition');
    const all = Object.values(ctx.account.templates)
      .filter((t) => !t.ownerMessageId)
      .map((t) => templateResource(t, ctx, withDefinition));
    return { status: 200, body: listDocument(req, all) };
  },

  get_template: (req, ctx) => {
    const t = found(ctx.account.templates, pathId(req), 'template');
    const resource = templateResource(t, ctx, wantsAdditional(req.url, 'template', 'definition'));
    return { status: 200, body: singleDocument(req, resource) };
  },

  create_template: (req, ctx) => {
    const a = bodyAttributes(req.body);
    const editorType = str(a.editor_type) ?? 'CODE';
    if (editorType === 'SYSTEM_DRAGGABLE' && a.definition == null)
      throw invalid("'definition' is required for SYSTEM_DRAGGABLE templates.", {
        pointer: '/data/attributes',
      });
    if (editorType !== 'SYSTEM_DRAGGABLE' && typeof a.html !== 'string')
      throw invalid(`'html' is required for ${editorType} templates.`, { pointer: '/data/attributes' });
    spendTemplateQuota(ctx);
    const id = freshId(ctx.account.templates, ids.short);
    const t: TemplateRecord = {
      id,
      name: String(a.name),
      editor_type: editorType,
      html: str(a.html) ?? null,
      text: str(a.text) ?? null,
      amp: str(a.amp) ?? null,
      definition: a.definition == null ? null : obj(a.definition),
      created: ctx.now,
      updated: ctx.now,
    };
    ctx.account.templates[id] = t;
    return { status: 201, body: singleDocument(req, templateResource(t, ctx, false)) };
  },

  update_template: (req, ctx) => {
    assertBodyId(req);
    const t = ownTemplate(ctx, pathId(req));
    const a = bodyAttributes(req.body);
    if ('name' in a && a.name !== null) t.name = String(a.name);
    for (const key of ['html', 'text', 'amp'] as const) if (key in a) t[key] = str(a[key]) ?? null;
    if ('definition' in a) t.definition = a.definition == null ? null : obj(a.definition);
    t.updated = ctx.now;
    return { status: 200, body: singleDocument(req, templateResource(t, ctx, false)) };
  },

  delete_template: (req, ctx) => {
    const t = ownTemplate(ctx, pathId(req));
    delete ctx.account.templates[t.id];
    return { status: 204 };
  },

  clone_template: (req, ctx) => {
    const data = bodyData(req.body);
    const source = ownTemplate(ctx, String(data.id));
    spendTemplateQuota(ctx);
    const id = freshId(ctx.account.templates, ids.short);
    const t: TemplateRecord = {
      ...structuredClone(source),
      id,
      name: str(obj(data.attributes).name) ?? `${source.name} (Clone)`,
      created: ctx.now,
      updated: ctx.now,
    };
    ctx.account.templates[id] = t;
    return { status: 201, body: singleDocument(req, templateResource(t, ctx, false)) };
  },

  render_template: (req, ctx) => {
    const data = bodyData(req.body);
    const t = found(ctx.account.templates, String(data.id), 'template');
    const context = obj(obj(data.attributes).context);
    const rendered: TemplateRecord = {
      ...t,
      html: t.html === null ? null : renderVariables(t.html, context),
      text: t.text === null ? null : renderVariables(t.text, context),
      amp: t.amp === null ? null : renderVariables(t.amp, context),
    };
    return { status: 201, body: singleDocument(req, templateResource(rendered, ctx, false)) };
  },
};

const VARIABLE = /\{\{\s*([^{}|\s]+)\s*(?:\|\s*default\s*:\s*(['"])(.*?)\2\s*)?\}\}/g;

/**
 * Substitutes `{{ a.b }}` and `{{ a|default:'x' }}` from the context; missing values print nothing (or the
 * default), as in Klaviyo. Other template tags (`{% %}`) are left as written: this is not Klaviyo's renderer.
 */
export function renderVariables(source: string, context: Record<string, unknown>): string {
  return source.replace(
    VARIABLE,
    (_match, path: string, _quote: string | undefined, fallback: string | undefined) => {
      const value = getPath(context, path);
      if (value === undefined || value === null || value === false || value === '') return fallback ?? '';
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
    },
  );
}
