// Closes browser contexts nobody will use again. A reset's context stays open
// between its steps (the email wait can be long), so only the reset's fate says
// when it is dead weight: the reset ended (however: finished, cancelled,
// terminated by staff and healed by the reconciler, or its task deleted), or it
// moved to another worker, which saved a later step since this context's last.
import type { Db } from '../../lib/db/index.js';
import type { Logger } from '../../lib/logger.js';
import type { TaskSecrets } from '../../lib/tasks/task-secrets.js';
import { terminalStatuses } from '../../workflows/reset-password.messages.js';
import type { BrowserPool } from './browser-pool.js';
import type { SessionLedger } from './session-ledger.js';

export interface SessionReaperDeps {
  db: Db;
  pool: BrowserPool;
  secrets: TaskSecrets;
  ledger: SessionLedger;
  logger: Logger;
  /** How often to look; default one minute. */
  intervalMs?: number;
}

export interface SessionReaper {
  /** One pass; resolves with the ids of the sessions it closed. */
  sweep(): Promise<string[]>;
  start(): void;
  stop(): Promise<void>;
}

export function createSessionReaper(deps: SessionReaperDeps): SessionReaper {
  const { db, pool, secrets, ledger } = deps;
  const logger = deps.logger.child({ component: 'session-reaper' });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function abandoned(sessionId: string): Promise<'ended' | 'moved' | null> {
    const taskId = sessionId.split(':')[0]!; // `${taskId}:verify`: a sign-in probe of that reset
    if (ledger.inUse(taskId)) return null;
    const task = await db.task.findUnique({ where: { id: taskId }, select: { status: true } });
    if (!task || terminalStatuses.includes(task.status as never)) return 'ended';
    const session = pool.get(sessionId);
    const mine = session && ledger.notes(session).checkpointId;
    if (!mine) return null; // not saved yet: a step is just opening it
    const latest = await secrets.latestId(taskId, 'storage_state');
    return latest !== mine ? 'moved' : null;
  }

  async function sweep(): Promise<string[]> {
    const closed: string[] = [];
    for (const id of pool.taskIds()) {
      try {
        const why = await abandoned(id);
        if (!why) continue;
        await pool.close(id);
        closed.push(id);
        logger.info({ taskId: id, why }, 'closed an abandoned browser context');
      } catch (err) {
        logger.warn({ taskId: id, err: err instanceof Error ? err.name : 'error' }, 'could not check a browser context; trying again later');
      }
    }
    return closed;
  }

  return {
    sweep,
    start() {
      timer ??= setInterval(() => {
        running ??= sweep().finally(() => (running = undefined));
      }, deps.intervalMs ?? 60_000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
