/** Images imported from a URL. Nothing is downloaded: the sandbox records the image and invents its URL. */
import type { Handler, HandlerContext } from '../context.js';
import { listDocument, selfLink, singleDocument, type Resource } from '../documents.js';
import { ids } from '../ids.js';
import { bodyAttributes, str } from '../json.js';
import type { ImageRecord } from '../store.js';
import { assertBodyId, found, freshId, pathId } from './common.js';

function imageResource(image: ImageRecord, ctx: HandlerContext): Resource {
  const { id, ...attributes } = image;
  return {
    type: 'image',
    id,
    attributes: { ...attributes },
    links: { self: selfLink(ctx.baseUrl, 'images', id) },
  };
}

function formatOf(source: string): string {
  const dataUri = /^data:image\/(\w+)/.exec(source);
  if (dataUri) return dataUri[1]!.replace('jpeg', 'jpg');
  const extension = /\.(\w+)(?:[?#].*)?$/.exec(source)?.[1]?.toLowerCase();
  return extension === 'jpeg' ? 'jpg' : (extension ?? 'png');
}

/** Klaviyo keeps names unique by adding a suffix. */
function uniqueName(ctx: HandlerContext, name: string): string {
  const taken = new Set(Object.values(ctx.account.images).map((i) => i.name));
  if (!taken.has(name)) return name;
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let n = 1;
  while (taken.has(`${stem}_${n}${ext}`)) n += 1;
  return `${stem}_${n}${ext}`;
}

export const imageHandlers: Record<string, Handler> = {
  upload_image_from_url: (req, ctx) => {
    const a = bodyAttributes(req.body);
    const source = String(a.import_from_url);
    const id = freshId(ctx.account.images, ids.short);
    const format = formatOf(source);
    const fallbackName = source.startsWith('data:')
      ? `image.${format}`
      : (source.split(/[?#]/)[0]!.split('/').pop() ?? id);
    const image: ImageRecord = {
      id,
      name: uniqueName(ctx, str(a.name) ?? fallbackName),
      image_url: `${ctx.baseUrl}/images/${ctx.account.id}/${id}.${format}`,
      format,
      size: 0,
      hidden: a.hidden === true,
      updated_at: ctx.now,
    };
    ctx.account.images[id] = image;
    return { status: 201, body: singleDocument(req, imageResource(image, ctx)) };
  },

  get_images: (req, ctx) => ({
    status: 200,
    body: listDocument(
      req,
      Object.values(ctx.account.images).map((i) => imageResource(i, ctx)),
    ),
  }),

  get_image: (req, ctx) => ({
    status: 200,
    body: singleDocument(req, imageResource(found(ctx.account.images, pathId(req), 'image'), ctx)),
  }),

  update_image: (req, ctx) => {
    assertBodyId(req);
    const image = found(ctx.account.images, pathId(req), 'image');
    const a = bodyAttributes(req.body);
    if (typeof a.name === 'string') image.name = a.name;
    if (typeof a.hidden === 'boolean') image.hidden = a.hidden;
    image.updated_at = ctx.now;
    return { status: 200, body: singleDocument(req, imageResource(image, ctx)) };
  },
};
