// What this worker knows about each live browser context beyond the pool: the
// saved checkpoint it matches, the reset link it opened, and whether an
// activity drives it right now. The checkpoint tells a current context from a
// stale one (the reset moved to another worker, maybe back again), and the
// reaper closes contexts nobody will use again.
import type { BrowserSession } from './browser-pool.js';

export interface SessionNotes {
  /** Id of the storage-state row this context wrote last, or was restored from. */
  checkpointId?: string;
  /** Secret id of the reset link opened in this context (or restored into it). */
  openedLink?: string;
}

export interface SessionLedger {
  notes(session: BrowserSession): SessionNotes;
  /** Runs `fn` with the task's context marked in use, so the reaper leaves it alone. */
  use<T>(taskId: string, fn: () => Promise<T>): Promise<T>;
  inUse(taskId: string): boolean;
}

export function createSessionLedger(): SessionLedger {
  const notes = new WeakMap<BrowserSession, SessionNotes>();
  const active = new Map<string, number>();
  return {
    notes(session) {
      let n = notes.get(session);
      if (!n) notes.set(session, (n = {}));
      return n;
    },
    async use(taskId, fn) {
      active.set(taskId, (active.get(taskId) ?? 0) + 1);
      try {
        return await fn();
      } finally {
        const left = (active.get(taskId) ?? 1) - 1;
        if (left > 0) active.set(taskId, left);
        else active.delete(taskId);
      }
    },
    inUse: (taskId) => (active.get(taskId) ?? 0) > 0,
  };
}
