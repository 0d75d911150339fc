/** The sandbox state on disk: one JSON file holding every account, rewritten atomically after each write. */
import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../atomic-write.js';
import type { AccountState } from './store.js';

export interface PersistedState {
  version: 1;
  accounts: Record<string, AccountState>;
}

export class SandboxStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxStateError';
  }
}

/** Loads the accounts in `path`; a missing file is an empty sandbox, an unreadable one is an error naming it. */
export function loadState(path: string): Record<string, AccountState> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new SandboxStateError(`Cannot read the sandbox state file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SandboxStateError(
      `The sandbox state file ${path} is not valid JSON (${(error as Error).message}); fix or delete it.`,
    );
  }
  const state = parsed as Partial<PersistedState> | null;
  if (!state || typeof state !== 'object' || state.version !== 1 || typeof state.accounts !== 'object') {
    throw new SandboxStateError(
      `The sandbox state file ${path} is not a klaviyo-gitops sandbox state (expected {"version":1,"accounts":{...}}); fix or delete it.`,
    );
  }
  return state.accounts ?? {};
}

/**
 * Rewrites the whole state atomically (a crash or a failed write leaves the previous file). Synchronous on
 * purpose: no other request may change the store between a write and its save, so a failed save can be rolled
 * back to the snapshot taken before that one write.
 */
export function saveState(path: string, accounts: Record<string, AccountState>): void {
  const state: PersistedState = { version: 1, accounts };
  writeFileAtomicSync(path, JSON.stringify(state));
}
