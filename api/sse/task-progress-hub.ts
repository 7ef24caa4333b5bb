// One shared poller per task, whatever the number of people (tabs, chat
// streams) watching it. While anyone listens, the poller asks the workflow for
// its progress (`progressQuery`) once per interval and fans each change out to
// every subscriber; it stops when the last one leaves or the reset ends. N
// tabs cost one query per interval.
//
// A query needs a running worker. When it fails (no worker, Temporal down) the
// poller reads the task row instead — the workflow writes it at every change —
// and tries the query again a few seconds later.
//
// Every update carries the task's `seq` (the SSE event id) and, for resumes,
// the seq at which its status and its screenshot last changed. A poller whose
// last subscriber left is kept (idle, not polling) for a while, so a tab that
// reconnects resumes against what it already saw.
import type { Client } from '@temporalio/client';
import type { Config } from '../../lib/config.js';
import type { Keyring } from '../../lib/crypto.js';
import type { Db } from '../../lib/db/index.js';
import type { Logger } from '../../lib/logger.js';
import { ensurePhoneOtpLink } from '../../lib/tasks/phone-otp-link.js';
import { readTaskProgress } from '../../lib/tasks/read-task-progress.js';
import type { TemporalGateway } from '../../lib/temporal/connection.js';
import { progressQuery, terminalStatuses, type ResetProgress } from '../../workflows/reset-password.messages.js';
import { statusEventData } from './task-events.js';

export interface TaskUpdate {
  progress: ResetProgress;
  terminal: boolean;
  /** What the `status` event says, and the seq at which it last changed. */
  status: Record<string, unknown>;
  statusKey: string;
  statusSince: number;
  /** The latest screenshot as a data URL, and the seq at which it appeared. */
  screenshot?: { id: string; dataUrl: string; since: number };
  /** The phone link while the reset waits for a code. */
  otpUrl?: string;
  /** Where this update came from: the workflow, or the database row. */
  source: 'query' | 'db';
}

export type TaskListener = (update: TaskUpdate) => void;

export interface TaskStreamOptions {
  /** How often a watched task is polled (default 500 ms). */
  pollIntervalMs: number;
  /** A query slower than this counts as failed (default: 4 intervals, at least 2 s). */
  queryTimeoutMs: number;
  /** After a failed query, read the database for this long before asking the workflow again. */
  queryRetryMs: number;
  /** How long a poller nobody watches keeps its memory for reconnecting tabs. */
  lingerMs: number;
  /** SSE `: keep-alive` comment period (default 15 s). */
  keepAliveMs: number;
}

export const defaultTaskStreamOptions: TaskStreamOptions = {
  pollIntervalMs: 500,
  queryTimeoutMs: 2_000,
  queryRetryMs: 5_000,
  lingerMs: 30_000,
  keepAliveMs: 15_000,
};

export interface TaskStreamDeps {
  db: Db;
  keyring: Keyring;
  config: Config;
  logger: Logger;
  temporal: TemporalGateway;
}

export interface WatchedTask {
  id: string;
  workflowId: string;
}

export interface TaskStreamHub {
  readonly options: TaskStreamOptions;
  /** Calls `listener` with the latest update at once (if known) and with every change; returns the unsubscribe. */
  subscribe(task: WatchedTask, listener: TaskListener): () => void;
  /**
   * Pollers in memory (active or lingering), how many subscribers they have,
   * and how many polls (a query, or a read of the row) were made so far: a
   * test counts queries per poll instead of timing them.
   */
  stats(): { pollers: number; active: number; subscribers: number; polls: number };
  close(): void;
}

const isTerminal = (p: ResetProgress) => terminalStatuses.includes(p.status);

export function createTaskStreamHub(deps: TaskStreamDeps, options: Partial<TaskStreamOptions> = {}): TaskStreamHub {
  const opts: TaskStreamOptions = { ...defaultTaskStreamOptions, ...options };
  // A busy worker answers queries late; the database is the fallback, not the first choice.
  if (options.queryTimeoutMs === undefined) opts.queryTimeoutMs = Math.max(2_000, 4 * opts.pollIntervalMs);
  const pollers = new Map<string, TaskPoller>();
  let polls = 0;
  const log = deps.logger.child({ component: 'task-streams' });

  class TaskPoller {
    readonly listeners = new Set<TaskListener>();
    latest: TaskUpdate | undefined;
    private timer: NodeJS.Timeout | undefined;
    private lingerTimer: NodeJS.Timeout | undefined;
    private nextAt = 0;
    private ticking = false;
    private active = false;
    private finished = false;
    private queryBackoffUntil = 0;
    private otpLink: { until: string; url: string } | undefined;

    constructor(readonly task: WatchedTask) {}

    get polling() {
      return this.active;
    }

    add(listener: TaskListener) {
      clearTimeout(this.lingerTimer);
      this.listeners.add(listener);
      if (this.latest) deliver(listener, this.latest);
      if (!this.active && !this.finished) {
        this.active = true;
        this.nextAt = Date.now();
        this.schedule();
      }
    }

    remove(listener: TaskListener) {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) this.idle();
    }

    /** Nobody listens (or the reset ended): stop polling, forget the task after a while. */
    idle() {
      this.active = false;
      clearTimeout(this.timer);
      clearTimeout(this.lingerTimer);
      this.lingerTimer = setTimeout(() => {
        if (this.listeners.size === 0 && pollers.get(this.task.id) === this) pollers.delete(this.task.id);
      }, opts.lingerMs);
      this.lingerTimer.unref();
    }

    stop() {
      this.active = false;
      this.finished = true;
      clearTimeout(this.timer);
      clearTimeout(this.lingerTimer);
    }

    private schedule() {
      if (!this.active || this.ticking) return;
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.tick(), Math.max(0, this.nextAt - Date.now()));
      this.timer.unref();
    }

    private async tick() {
      if (!this.active) return;
      this.ticking = true;
      // Fixed rate: the next poll is one interval after this one began, however long it took.
      this.nextAt = Date.now() + opts.pollIntervalMs;
      polls++;
      try {
        const read = await this.read();
        if (read && (!this.latest || read.progress.seq > this.latest.progress.seq)) {
          this.latest = await this.enrich(read.progress, read.source);
          for (const listener of [...this.listeners]) deliver(listener, this.latest);
        }
      } catch (err) {
        log.warn({ err, taskId: this.task.id }, 'task poll failed');
      } finally {
        this.ticking = false;
      }
      if (this.latest?.terminal) {
        this.stop();
        this.idle();
        return;
      }
      this.schedule();
    }

    private async read(): Promise<{ progress: ResetProgress; source: 'query' | 'db' } | null> {
      if (Date.now() >= this.queryBackoffUntil) {
        try {
          return { progress: await queryProgress(this.task.workflowId), source: 'query' };
        } catch (err) {
          log.debug({ err, taskId: this.task.id }, 'progress query failed; reading the task row');
          this.queryBackoffUntil = Date.now() + opts.queryRetryMs;
        }
      }
      const progress = await readTaskProgress(deps.db, this.task.id, { otpWaitMs: deps.config.waits.otpMs, captchaWaitMs: deps.config.waits.captchaMs });
      return progress ? { progress, source: 'db' } : null;
    }

    private async enrich(progress: ResetProgress, source: 'query' | 'db'): Promise<TaskUpdate> {
      const prev = this.latest;
      let screenshot = prev?.screenshot;
      if (progress.screenshotId && progress.screenshotId !== screenshot?.id) {
        const row = await deps.db.screenshot.findFirst({ where: { id: progress.screenshotId, taskId: this.task.id } });
        screenshot = row ? { id: row.id, dataUrl: `data:${row.mime};base64,${Buffer.from(row.data).toString('base64')}`, since: progress.seq } : screenshot;
      }
      let otpUrl: string | undefined;
      const waiting = progress.waitingFor;
      if (progress.status === 'waiting_for_otp' && waiting?.kind === 'otp') {
        if (this.otpLink?.until !== waiting.until) {
          try {
            const link = await ensurePhoneOtpLink(deps, { taskId: this.task.id, until: new Date(waiting.until), approximate: source === 'db' });
            this.otpLink = { until: waiting.until, url: link.url };
          } catch (err) {
            log.warn({ err, taskId: this.task.id }, 'could not make the phone OTP link');
          }
        }
        otpUrl = this.otpLink?.url;
      }
      const status = statusEventData(progress, { otpUrl });
      const statusKey = JSON.stringify(status);
      return {
        progress,
        terminal: isTerminal(progress),
        status,
        statusKey,
        statusSince: prev && prev.statusKey === statusKey ? prev.statusSince : progress.seq,
        ...(screenshot ? { screenshot } : {}),
        ...(otpUrl ? { otpUrl } : {}),
        source,
      };
    }
  }

  function deliver(listener: TaskListener, update: TaskUpdate) {
    try {
      listener(update);
    } catch (err) {
      log.warn({ err }, 'task stream listener failed');
    }
  }

  async function queryProgress(workflowId: string): Promise<ResetProgress> {
    const deadline = Date.now() + opts.queryTimeoutMs;
    const client: Client = await withTimeout(deps.temporal.client(), opts.queryTimeoutMs);
    return client.connection.withDeadline(deadline, () => client.workflow.getHandle(workflowId).query(progressQuery));
  }

  return {
    options: opts,
    subscribe(task, listener) {
      let poller = pollers.get(task.id);
      if (!poller) {
        poller = new TaskPoller(task);
        pollers.set(task.id, poller);
      }
      const p = poller;
      p.add(listener);
      let done = false;
      return () => {
        if (done) return;
        done = true;
        p.remove(listener);
      };
    },
    stats() {
      let active = 0;
      let subscribers = 0;
      for (const p of pollers.values()) {
        if (p.polling) active++;
        subscribers += p.listeners.size;
      }
      return { pollers: pollers.size, active, subscribers, polls };
    },
    close() {
      for (const p of pollers.values()) p.stop();
      pollers.clear();
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timed out')), ms);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}

// ---- one hub per app ----

const hubs = new WeakMap<object, TaskStreamHub>();

/**
 * The hub of an app (keyed by its AppDeps). `configureTaskStreams` sets the
 * options before first use (tests and benches shorten the interval); the
 * defaults are 500 ms polls and 15 s keep-alives.
 */
export function taskStreamsOf(deps: TaskStreamDeps): TaskStreamHub {
  let hub = hubs.get(deps);
  if (!hub) {
    hub = createTaskStreamHub(deps);
    hubs.set(deps, hub);
  }
  return hub;
}

export function configureTaskStreams(deps: TaskStreamDeps, options: Partial<TaskStreamOptions>): TaskStreamHub {
  hubs.get(deps)?.close();
  const hub = createTaskStreamHub(deps, options);
  hubs.set(deps, hub);
  return hub;
}

/**
 * Feeds a task's updates to `handle` one at a time, in order, until it returns
 * true (done), the client goes away (`closed`), or a write fails. Both SSE
 * streams (task and chat) follow a task this way.
 */
export async function followTask(
  hub: TaskStreamHub,
  task: WatchedTask,
  closed: Promise<unknown>,
  handle: (update: TaskUpdate) => Promise<boolean>,
): Promise<void> {
  let unsubscribe: (() => void) | undefined;
  try {
    await new Promise<void>((resolve) => {
      let chain = Promise.resolve();
      void closed.then(() => resolve());
      unsubscribe = hub.subscribe(task, (update) => {
        chain = chain
          .then(async () => {
            if (await handle(update)) resolve();
          })
          .catch(() => resolve()); // the client is gone mid-write: nothing left to serve
      });
    });
  } finally {
    unsubscribe?.();
  }
}
