/**
 * How a brand's sticky comment is recognised and what it remembers: a hidden marker as its first line, and a
 * hidden JSON payload as its second (the brand's review fingerprint, the commit it was made at, its status).
 *
 * Only those first two lines are ever read. The rest of the comment carries user text (names, diffs of
 * templates that contain HTML comments of their own) which must never be taken for ours.
 */
import { commentSafeJson, markerToken, parseMarkerToken } from './markup.js';

export const COMMENT_STATUSES = [
  'planned',
  'no-plan',
  'applied',
  'apply-refused',
  'nothing-to-do',
  'outdated',
] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export interface CommentPayload {
  version: 1;
  brand: string;
  /** The brand's review fingerprint (src/engine/review-fingerprint.ts); null when it was not planned. */
  fingerprint: string | null;
  /** The pull request's head commit the comment describes (for applied comments: the commit applied). */
  headSha: string;
  status: CommentStatus;
  /**
   * `kind:key` -> print of each resource the reviewed plan writes (engine/review-fingerprint.ts), so a refused
   * apply can name what moved. Left out of very large plans, where the comment has no room for it.
   */
  resources?: Record<string, string>;
}

const MARKER_LINE = /^<!-- klaviyo-gitops brand=(\S*) -->$/;
const PAYLOAD_LINE = /^<!-- klaviyo-gitops:payload (.*) -->$/;

/** The first line of a brand's comment: search for it to find the comment to update. */
export function commentMarker(brand: string): string {
  return `<!-- klaviyo-gitops brand=${markerToken(brand)} -->`;
}

/** The two hidden lines every brand comment starts with. */
export function commentHead(payload: CommentPayload): string {
  return `${commentMarker(payload.brand)}\n<!-- klaviyo-gitops:payload ${commentSafeJson(payload)} -->\n`;
}

/** Whether `body` is a comment of ours for `brand` (its first line is the brand's marker). */
export function isBrandComment(body: string, brand: string): boolean {
  return firstLines(body)[0] === commentMarker(brand);
}

function firstLines(body: string): [string, string] {
  const [first = '', second = ''] = body.split(/\r?\n/, 2);
  return [first, second];
}

/** The payload of one of our comments; undefined for any other body, and never throws. */
export function parseCommentPayload(body: unknown): CommentPayload | undefined {
  if (typeof body !== 'string') return undefined;
  const [first, second] = firstLines(body);
  const markerToken = MARKER_LINE.exec(first)?.[1];
  const json = PAYLOAD_LINE.exec(second)?.[1];
  if (markerToken === undefined || json === undefined) return undefined;
  const brand = parseMarkerToken(markerToken);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const fingerprint = v.fingerprint;
  if (
    v.version !== 1 ||
    typeof v.brand !== 'string' ||
    v.brand !== brand ||
    !(fingerprint === null || typeof fingerprint === 'string') ||
    typeof v.headSha !== 'string' ||
    !(COMMENT_STATUSES as readonly unknown[]).includes(v.status)
  )
    return undefined;
  const resources = stringRecord(v.resources);
  return {
    version: 1,
    brand: v.brand,
    fingerprint,
    headSha: v.headSha,
    status: v.status as CommentStatus,
    ...(resources ? { resources } : {}),
  };
}

/** An object whose members are all strings, else undefined. */
function stringRecord(value: unknown): Record<string, string> | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value);
  if (!entries.every(([, member]) => typeof member === 'string')) return undefined;
  return Object.fromEntries(entries) as Record<string, string>;
}
