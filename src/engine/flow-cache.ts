/**
 * Flow definitions (and their emails' template copies) cached by `(flow id, updated)`: reading a definition is
 * S tier (about one per second sustained), listing flows is cheap and carries `updated`, and Klaviyo bumps a
 * flow's `updated` on every change to it or its actions. An unchanged account re-reads no definition.
 *
 * Layout: `<cacheDir>/<account id>/flows/<flow id>.json`. A missing, unreadable or stale entry is a miss.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import type { RemoteFlowDefinition, RemoteTemplateCopy } from './remote-model.js';

export interface CachedFlow {
  id: string;
  updated: string;
  definition: RemoteFlowDefinition;
  templateCopies: Record<string, RemoteTemplateCopy>;
}

const SAFE_ID = /^[A-Za-z0-9_-]+$/;

export class FlowDefinitionCache {
  constructor(
    /** The cache root, e.g. `<cwd>/.klaviyo-gitops/cache`. */
    private readonly root: string,
    private readonly accountId: string,
  ) {}

  private path(flowId: string): string | undefined {
    if (!SAFE_ID.test(flowId) || !SAFE_ID.test(this.accountId)) return undefined;
    return join(this.root, this.accountId, 'flows', `${flowId}.json`);
  }

  async get(flowId: string, updated: string): Promise<CachedFlow | undefined> {
    const path = this.path(flowId);
    if (!path) return undefined;
    try {
      const entry = JSON.parse(await readFile(path, 'utf8')) as Partial<CachedFlow>;
      if (entry.id !== flowId || entry.updated !== updated || !entry.definition || !entry.templateCopies)
        return undefined;
      return entry as CachedFlow;
    } catch {
      return undefined;
    }
  }

  async set(entry: CachedFlow): Promise<void> {
    const path = this.path(entry.id);
    if (!path) return;
    await writeFileAtomic(path, `${JSON.stringify(entry)}\n`);
  }
}
