/** A real temporary marketing repository: the minimal fixture project plus per-test files. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MINIMAL_FIXTURE = fileURLToPath(new URL('../fixtures/project-minimal', import.meta.url));

export interface TempProject {
  /** The working directory; the marketing repository is `marketing/` inside it. */
  cwd: string;
  dir: string;
  cleanup(): void;
}

/**
 * Copies the minimal project to a temp directory, then writes `files` (paths relative to the working
 * directory; `null` deletes the file).
 */
export function tempProject(
  files: Record<string, string | Uint8Array | null> = {},
  base = MINIMAL_FIXTURE,
): TempProject {
  const cwd = mkdtempSync(join(tmpdir(), 'kg-project-'));
  cpSync(base, cwd, { recursive: true });
  for (const [path, content] of Object.entries(files)) {
    const target = join(cwd, path);
    if (content === null) {
      rmSync(target, { force: true });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  return { cwd, dir: 'marketing', cleanup: () => rmSync(cwd, { recursive: true, force: true }) };
}
