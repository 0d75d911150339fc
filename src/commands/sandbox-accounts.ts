/**
 * The keys a standalone sandbox knows, and which account each opens: `--account KEY=ACCOUNT_ID` flags and
 * `--accounts-file FILE` lines (so keys stay off the command line, where `ps` shows them to everyone). A key is
 * never echoed in an error: a bad line is named by its file and line number only.
 */
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { usageError } from './errors.js';

const PAIR = /^(pk_[^=\s]+)=([A-Za-z0-9]+)$/;
const PAIR_RULE = 'KEY=ACCOUNT_ID with a pk_ key and an alphanumeric account id';

/** Adds one key, refusing a key already given for another account (wherever it was given first). */
function addKey(accounts: Map<string, string>, key: string, accountId: string, where: string): void {
  const known = accounts.get(key);
  if (known !== undefined && known !== accountId)
    throw usageError(`${where}: this key is already given for account ${known}`);
  accounts.set(key, accountId);
}

/** `--account` values: each one KEY=ACCOUNT_ID. */
export function parseAccountFlags(values: readonly string[], accounts = new Map<string, string>()): void {
  for (const pair of values) {
    const match = PAIR.exec(pair);
    if (!match) throw usageError(`--account takes ${PAIR_RULE}.`);
    addKey(accounts, match[1]!, match[2]!, '--account');
  }
}

/**
 * An accounts file: one KEY=ACCOUNT_ID per line; blank lines and lines starting with `#` are skipped, spaces
 * around a line are ignored. `shown` is the file's name in messages.
 */
export function parseAccountsFile(text: string, shown: string, accounts = new Map<string, string>()): void {
  for (const [index, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = PAIR.exec(line);
    const where = `${shown}:${index + 1}`;
    if (!match) throw usageError(`${where}: expected ${PAIR_RULE}`);
    addKey(accounts, match[1]!, match[2]!, where);
  }
}

/** Reads and parses `--accounts-file`, relative to the working directory. */
export function readAccountsFile(file: string, cwd: string, accounts = new Map<string, string>()): void {
  const path = resolve(cwd, file);
  const shown = relative(cwd, path) || path;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw usageError(`cannot read the accounts file ${shown}: ${(error as Error).message}`);
  }
  parseAccountsFile(text, shown, accounts);
}
