/**
 * Email QA results cached by content. The key is a hash of everything `checkEmail` reads (the assembled HTML
 * and text with their source maps, the front matter, the brand's settings, rule severities, budgets and email
 * clients, the sample) plus the rules' version and the package version, so an unchanged template is never
 * checked twice and a changed input is never answered from the cache. The core only computes keys: storage
 * (memory, disk) is injected by the commands.
 */
import { createHash } from 'node:crypto';
import {
  QA_RULES_VERSION,
  type AssembledSourceMap,
  type CheckEmailInput,
  type Diagnostic,
  type EmailPart,
} from '../email/index.js';
import { PACKAGE_VERSION } from '../version.js';

export interface EmailQaCache {
  /** The findings stored under `key`, or undefined: a missing or unreadable entry is a miss, never an error. */
  get(key: string): Promise<Diagnostic[] | undefined>;
  /** Stores the findings; a failure to store is the cache's to report, never the build's. */
  set(key: string, findings: readonly Diagnostic[]): Promise<void>;
}

/** A part whose source map can describe itself, so the key covers where every finding will point. */
export type KeyedEmailPart = Omit<EmailPart, 'sourceMap'> & { sourceMap?: AssembledSourceMap };

/** The QA input with describable source maps: what `emailQaKey` hashes and `checkEmail` reads, one object. */
export type KeyedCheckInput = Omit<CheckEmailInput, 'html' | 'text'> & {
  html: KeyedEmailPart;
  text?: KeyedEmailPart;
};

function describePart(part: KeyedEmailPart | undefined): unknown {
  if (!part) return undefined;
  const { sourceMap, ...rest } = part;
  return { ...rest, sourceMap: sourceMap?.describe() };
}

/** JSON keeps no trace of NaN, Infinity or bigint: spell them out so they cannot collide with null. */
function exact(_key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return { number: String(value) };
  if (typeof value === 'bigint') return { bigint: value.toString() };
  return value;
}

/** The code that produced a result: a result of other rules or another release is never reused. */
export interface QaCodeVersions {
  rules: number;
  package: string;
}

export const CURRENT_QA_CODE: QaCodeVersions = { rules: QA_RULES_VERSION, package: PACKAGE_VERSION };

/**
 * The cache key of one template's QA. Object keys are hashed in the order they were read: the same files give
 * the same order, and a reordered file at worst costs one re-check.
 */
export function emailQaKey(input: KeyedCheckInput, code: QaCodeVersions = CURRENT_QA_CODE): string {
  const material = {
    rules: code.rules,
    package: code.package,
    input: { ...input, html: describePart(input.html), text: describePart(input.text) },
  };
  return createHash('sha256').update(JSON.stringify(material, exact)).digest('hex');
}
