/**
 * A sync that dies: opens the history given as argv[2], acknowledges two batches, then kills itself with
 * SIGKILL (no close, no exit handlers), as a crash or a cancelled CI job does.
 */
import { openSyncHistory } from '../../../src/sync/history/database.js';

const ledger = await openSyncHistory(process.argv[2]!);
const { runId } = ledger.openRun({
  brand: 'emberwick',
  source: 'shopify-orders',
  stream: 'events',
  invocationId: 'crashed',
  direction: 'to-klaviyo',
  startedAt: new Date('2026-12-01T00:00:00Z'),
});
ledger.acknowledgeBatch(runId, { key: 'b1', items: 2, accepted: 2, failed: 0, cursor: { line: 3 } });
ledger.acknowledgeBatch(runId, { key: 'b2', items: 2, accepted: 2, failed: 0, cursor: { line: 5 } });
process.kill(process.pid, 'SIGKILL');
