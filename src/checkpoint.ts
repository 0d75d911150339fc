/**
 * A pause between units of CPU-bound work (one template's email QA, one preview): lets the event loop run so
 * the process hears a signal, its timers fire and its sockets are served, then stops the work when the caller
 * aborted. Without it, validating 500 templates holds the event loop for over ten seconds and a Ctrl-C waits
 * for the end. A leaf module (node only), shared by compile and render.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

export async function checkpoint(signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  await nextTurn();
  signal?.throwIfAborted();
}
