/**
 * The applied record: what klaviyo-gitops last wrote to an account, kept in that account.
 *
 * Telling a change in the code from a hand edit in Klaviyo needs a third state besides "desired" and
 * "remote": what was last applied. It has to be found by any runner, a fresh CI checkout included, so it lives
 * with the objects, in Klaviyo: one CODE template per account, recognised by an HTML comment, holding a
 * compressed JSON document. A template because it is the only account-level object that stores free text
 * (lists, segments and flows have no description field), template writes are cheap (not daily-capped) and one
 * template costs one of the 1,000 creates once. A state file in git was the alternative; it needs a commit
 * after every apply and goes stale the moment that push fails, while the record is written by the apply itself.
 *
 * Per managed object (`kind:key`) it keeps the Klaviyo id and a print of every field as applied: the field's
 * leaves (a flow step's `data.message.subject_line`, a segment's whole `definition.condition_groups.0...`),
 * each hashed. A leaf whose remote value no longer hashes to the print was edited in Klaviyo since. Before its
 * first write an apply records the prints it is about to write as `pending`, so a crash half-way never makes
 * its own writes look like hand edits; the record is settled when the apply ends.
 *
 * Pure: building, comparing, encoding. Reading happens with the templates (remote-state.ts), writing in apply.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { isRecord, type Json } from './normalize.js';
import type { ResourceKind } from './plan.js';

export const APPLIED_RECORD_VERSION = 1 as const;

/** Leaf path -> 12 hex digits of sha256 over the leaf's JSON. */
export type FieldPrints = Record<string, string>;

export interface AppliedEntry {
  /** The Klaviyo id the object had when last applied (re-links an object whose name lost its key). */
  id: string;
  /** When this object was last applied (ISO time). */
  at: string;
  prints: FieldPrints;
  /** Prints an apply was about to write when it recorded them; cleared when it finished. */
  pending?: FieldPrints;
}

export interface AppliedRecord {
  version: typeof APPLIED_RECORD_VERSION;
  accountId: string;
  updatedAt: string;
  /** By `kind:key`. */
  objects: Record<string, AppliedEntry>;
}

/** Where the record was found in the account. */
export type StoredAppliedRecord =
  | { state: 'found'; templateId: string; record: AppliedRecord }
  /** The template exists but its content is not a record we can read (edited by hand, or a newer version). */
  | { state: 'unreadable'; templateId: string; reason: string }
  | { state: 'absent' };

export const objectKey = (kind: ResourceKind, key: string): string => `${kind}:${key}`;

export function emptyRecord(accountId: string, at: string): AppliedRecord {
  return { version: APPLIED_RECORD_VERSION, accountId, updatedAt: at, objects: {} };
}

// ---------------------------------------------------------------------------------------------------------
// Prints

function hashLeaf(value: Json): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 12);
}

/**
 * Prints of named fields (`name`, `definition`, `steps.welcome-1`): each field's value is split into leaves the
 * way field-level changes are reported (object members and array items), so a change's path finds its leaves.
 * An absent field has no leaves; an empty object or array is one leaf.
 */
export function printFields(fields: Readonly<Record<string, Json | undefined>>): FieldPrints {
  const prints: FieldPrints = {};
  const visit = (value: Json | undefined, path: string): void => {
    if (value === undefined) return;
    if (Array.isArray(value) && value.length > 0) {
      value.forEach((item, i) => visit(item, `${path}.${i}`));
      return;
    }
    if (isRecord(value) && Object.keys(value).length > 0) {
      for (const key of Object.keys(value).sort()) visit(value[key] as Json | undefined, `${path}.${key}`);
      return;
    }
    prints[path] = hashLeaf(value);
  };
  for (const [field, value] of Object.entries(fields)) visit(value, field);
  return prints;
}

/** True when `leaf` lies under `path` or `path` under `leaf` (a change to a whole array covers its items). */
export function pathsOverlap(leaf: string, path: string): boolean {
  return leaf === path || leaf.startsWith(`${path}.`) || path.startsWith(`${leaf}.`);
}

/**
 * The leaves of an object edited in Klaviyo since it was last applied: the current remote print differs from
 * the applied one, and from the pending one when an apply was interrupted.
 */
export function editedLeaves(entry: AppliedEntry, current: FieldPrints): string[] {
  const leaves = new Set([...Object.keys(entry.prints), ...Object.keys(current)]);
  if (entry.pending) for (const leaf of Object.keys(entry.pending)) leaves.add(leaf);
  const edited: string[] = [];
  for (const leaf of [...leaves].sort()) {
    const now = current[leaf];
    if (now === entry.prints[leaf]) continue;
    if (entry.pending && now === entry.pending[leaf]) continue;
    edited.push(leaf);
  }
  return edited;
}

// ---------------------------------------------------------------------------------------------------------
// Storage: one CODE template per account

export const APPLIED_RECORD_TEMPLATE_NAME = 'klaviyo-gitops applied record (do not edit or use)';
const RECORD_COMMENT = /<!-- klaviyo-gitops:applied-record v(\d+) ([A-Za-z0-9+/=]*) -->/;

export function isAppliedRecordHtml(html: string): boolean {
  return html.includes('<!-- klaviyo-gitops:applied-record');
}

/** The template's HTML: a note for whoever opens it in Klaviyo, and the record in a comment. */
export function appliedRecordHtml(record: AppliedRecord): string {
  const payload = gzipSync(Buffer.from(JSON.stringify(record), 'utf8')).toString('base64');
  return [
    '<!DOCTYPE html>',
    `<!-- klaviyo-gitops:applied-record v${APPLIED_RECORD_VERSION} ${payload} -->`,
    '<html><body><p>klaviyo-gitops keeps what it last applied to this account here, to tell changes in the',
    'repository from edits made in Klaviyo. Do not edit, send or delete this template.</p></body></html>',
    '',
  ].join('\n');
}

export function parseAppliedRecordHtml(
  templateId: string,
  html: string,
): Exclude<StoredAppliedRecord, { state: 'absent' }> {
  const match = RECORD_COMMENT.exec(html);
  const unreadable = (reason: string) => ({ state: 'unreadable' as const, templateId, reason });
  if (!match) return unreadable('its record comment is missing');
  if (Number(match[1]) !== APPLIED_RECORD_VERSION)
    return unreadable(`it was written by another version (record v${match[1]})`);
  let value: unknown;
  try {
    value = JSON.parse(gunzipSync(Buffer.from(match[2]!, 'base64')).toString('utf8'));
  } catch {
    return unreadable('its record does not decode');
  }
  if (!isAppliedRecord(value)) return unreadable('its record has an unexpected shape');
  return { state: 'found', templateId, record: value };
}

function isPrints(value: unknown): value is FieldPrints {
  return isRecord(value) && Object.values(value).every((v) => typeof v === 'string');
}

function isAppliedRecord(value: unknown): value is AppliedRecord {
  if (!isRecord(value) || value.version !== APPLIED_RECORD_VERSION) return false;
  if (typeof value.accountId !== 'string' || typeof value.updatedAt !== 'string') return false;
  if (!isRecord(value.objects)) return false;
  return Object.values(value.objects).every(
    (entry) =>
      isRecord(entry) &&
      typeof entry.id === 'string' &&
      typeof entry.at === 'string' &&
      isPrints(entry.prints) &&
      (entry.pending === undefined || isPrints(entry.pending)),
  );
}
