/**
 * Ownership markers: how an object in Klaviyo says "I am `<kind>` `<key>` of this repository".
 *
 * There is no state file: the key travels with the object. Objects without our marker are never read further,
 * modified or deleted.
 *
 * Decision
 * --------
 * 1. Lists, segments, flows: the key is a suffix of the name, ` [kg:<key>]` (e.g. `VIP customers [kg:vip]`).
 *    The name is the only attribute these objects have that is written in the same request that creates them,
 *    so the identity is atomic with the create: a create that succeeded but whose response was lost (timeout,
 *    crash before the journal or the tag call) still leaves an object the next read recognises by key, and the
 *    next run updates it instead of creating a duplicate. Tags cannot give that guarantee (tagging is a second
 *    call), and name matching without a marker is a guess that could seize a marketer's object.
 *    The suffix must end the name: a copy Klaviyo or a person makes ("... [kg:vip] (Clone)") is not ours.
 * 2. One ownership tag, `klaviyo-gitops`, in the tag group `klaviyo-gitops`, on every managed list, segment
 *    and flow (applied after the create; a managed object missing it gets it back as an `update` of `tags`).
 *    It makes managed objects filterable in the Klaviyo UI, and it is the identity of adopted flows: the API
 *    cannot rename a flow, so `import` cannot add the name suffix to an existing flow. An adopted flow is
 *    recognised by the ownership tag plus a name exactly equal to the desired name (`tag-and-name`); any
 *    change to such a flow's name is a replace anyway, after which the new flow carries the suffix.
 *    Two more account-wide tags: `klaviyo-gitops:prevent-destroy` (so protection survives the file's
 *    removal: a removed protected object is orphaned, never deleted) and `klaviyo-gitops:archived` (detached:
 *    kept in Klaviyo, ignored by the read side, its key free for a new object).
 *    Why not one tag per object (`kg:flow:welcome`)? Tags are capped at 500 per account, shared with the
 *    marketers' own campaign tags, and every tag call is S tier; three fixed tags cost nothing per object.
 * 3. Templates cannot be tagged: an HTML comment carries the key and a content hash,
 *    `<!-- klaviyo-gitops:template=welcome-1 sha=0123456789ab -->` (` protect` appended when prevent_destroy),
 *    right after the doctype (a comment before `<!DOCTYPE>` can push old clients into quirks mode), else first.
 *    It is stripped before comparing. Klaviyo copies a template into each flow email that uses it (the copy has
 *    another id); the copy keeps our comment, so a flow email maps back to its template key, and comparing the
 *    copy's `sha` with the current template's tells whether the copy is stale (re-assignment needed).
 *    The hash covers what the copy holds: the HTML without the marker and the text part.
 *    Archived templates get `<!-- klaviyo-gitops:archived-template=<key> -->` instead.
 *
 * Duplicates: two live objects carrying the same key happen after a crash in the middle of a flow replace
 * (the new flow exists, the old is not yet retired) or a clone that kept the suffix. The newest by `created`
 * is the object; the others are planned as `orphan` (reason `superseded`, archived: drafted and detached).
 */
import { createHash } from 'node:crypto';

export const TAG_GROUP = 'klaviyo-gitops';
export const OWNERSHIP_TAG = 'klaviyo-gitops';
export const PROTECTED_TAG = 'klaviyo-gitops:prevent-destroy';
export const ARCHIVED_TAG = 'klaviyo-gitops:archived';
export const MARKER_TAGS: readonly string[] = [OWNERSHIP_TAG, PROTECTED_TAG, ARCHIVED_TAG];

const KEY = '[a-z0-9][a-z0-9-]*';
const NAME_MARKER = new RegExp(` \\[kg:(${KEY})\\]$`);

/** The name we send to Klaviyo: the display name plus the key suffix. */
export function withNameMarker(displayName: string, key: string): string {
  return `${displayName} [kg:${key}]`;
}

/** Splits a Klaviyo name into display name and key; undefined when the name carries no marker. */
export function parseNameMarker(name: string): { displayName: string; key: string } | undefined {
  const match = NAME_MARKER.exec(name);
  if (!match) return undefined;
  return { displayName: name.slice(0, match.index), key: match[1]! };
}

/** The display name of any Klaviyo name, marker or not. */
export function displayName(name: string): string {
  return parseNameMarker(name)?.displayName ?? name;
}

// ---------------------------------------------------------------------------------------------------------
// Templates

export interface TemplateMarker {
  key: string;
  /** 12 hex digits of sha256 over the template's HTML (marker stripped) and text. */
  contentHash: string;
  preventDestroy: boolean;
}

const TEMPLATE_MARKER = new RegExp(
  `<!-- klaviyo-gitops:template=(${KEY}) sha=([0-9a-f]{12})( protect)? -->\\n?`,
);
const ARCHIVED_TEMPLATE_MARKER = new RegExp(`<!-- klaviyo-gitops:archived-template=(${KEY}) -->\\n?`);
const ANY_MARKER = new RegExp(`${TEMPLATE_MARKER.source}|${ARCHIVED_TEMPLATE_MARKER.source}`, 'g');
const DOCTYPE = /^\s*<!doctype[^>]*>\n?/i;

export function templateContentHash(html: string, text: string): string {
  return createHash('sha256')
    .update(stripTemplateMarker(html))
    .update('\u0000')
    .update(text)
    .digest('hex')
    .slice(0, 12);
}

export function formatTemplateMarker(marker: TemplateMarker): string {
  return `<!-- klaviyo-gitops:template=${marker.key} sha=${marker.contentHash}${marker.preventDestroy ? ' protect' : ''} -->`;
}

function embed(html: string, comment: string): string {
  const clean = stripTemplateMarker(html);
  const doctype = DOCTYPE.exec(clean);
  if (!doctype) return `${comment}\n${clean}`;
  // Inserted as `comment + newline` exactly, so stripping gives back the original bytes.
  return `${doctype[0]}${comment}\n${clean.slice(doctype[0].length)}`;
}

/** The HTML we send: the template with its marker (any previous marker replaced). */
export function embedTemplateMarker(
  html: string,
  text: string,
  key: string,
  preventDestroy: boolean,
): { html: string; contentHash: string } {
  const contentHash = templateContentHash(html, text);
  return { html: embed(html, formatTemplateMarker({ key, contentHash, preventDestroy })), contentHash };
}

/** The HTML of an archived template: detached, the key free for a new template. */
export function embedArchivedTemplateMarker(html: string, key: string): string {
  return embed(html, `<!-- klaviyo-gitops:archived-template=${key} -->`);
}

export function parseTemplateMarker(html: string): TemplateMarker | undefined {
  const match = TEMPLATE_MARKER.exec(html);
  if (!match) return undefined;
  return { key: match[1]!, contentHash: match[2]!, preventDestroy: match[3] !== undefined };
}

export function isArchivedTemplate(html: string): boolean {
  return ARCHIVED_TEMPLATE_MARKER.test(html);
}

/** The HTML without any of our markers, as a person wrote it. */
export function stripTemplateMarker(html: string): string {
  if (!html.includes('<!-- klaviyo-gitops:')) return html;
  return html.replace(ANY_MARKER, '');
}

// ---------------------------------------------------------------------------------------------------------
// Recognising taggable objects

/** What the markers of a list, segment or flow say about it. */
export type TaggableOwnership =
  | { type: 'managed'; key: string; displayName: string; tagged: boolean; preventDestroy: boolean }
  /** Carries the ownership tag but no name suffix: adopted by `import` (flows), or the suffix was edited away. */
  | { type: 'tagged'; displayName: string; preventDestroy: boolean }
  | { type: 'archived' }
  | { type: 'unmanaged' };

export function recogniseTaggable(name: string, tagNames: readonly string[]): TaggableOwnership {
  const tags = new Set(tagNames);
  if (tags.has(ARCHIVED_TAG)) return { type: 'archived' };
  const preventDestroy = tags.has(PROTECTED_TAG);
  const marker = parseNameMarker(name);
  if (marker) {
    return {
      type: 'managed',
      key: marker.key,
      displayName: marker.displayName,
      tagged: tags.has(OWNERSHIP_TAG),
      preventDestroy,
    };
  }
  if (tags.has(OWNERSHIP_TAG)) return { type: 'tagged', displayName: name, preventDestroy };
  return { type: 'unmanaged' };
}

/** The tags a managed taggable object must carry. */
export function desiredTags(preventDestroy: boolean): string[] {
  return preventDestroy ? [OWNERSHIP_TAG, PROTECTED_TAG] : [OWNERSHIP_TAG];
}
