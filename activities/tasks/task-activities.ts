// Bookkeeping activities: the task row mirrors the workflow's progress so the
// API can answer without a running worker, and events go out to webhooks.
import { ApplicationFailure } from '@temporalio/activity';
import type { Db } from '../../lib/db/index.js';
import type { Logger } from '../../lib/logger.js';
import { releaseTask } from '../../lib/tasks/release-task.js';
import type { VaultStore } from '../../lib/vault/vault-store.js';
import type { ResetProgress, ResetResult } from '../../workflows/reset-password.messages.js';

/** Where reset events go (webhooks, notifications). Optional so tests can leave it out. */
export interface ResetEventSink {
  /** Must be idempotent per (task, type, progress.seq): a retried activity emits again. */
  emit(event: { userId: string; taskId: string; type: ResetEventType; progress: ResetProgress; otpUrl?: string }): Promise<void>;
}
export type ResetEventType = 'reset.completed' | 'reset.failed' | 'reset.needs_otp' | 'reset.captcha_required';

export interface TaskActivityDeps {
  db: Db;
  vault: VaultStore;
  events?: ResetEventSink;
  logger?: Logger;
  /** The phone link for a code prompt (created on demand), carried by the `reset.needs_otp` event. */
  phoneOtpLink?: (task: { id: string }, until: Date) => Promise<string>;
}

export function createTaskActivities({ db, vault, events, logger, phoneOtpLink }: TaskActivityDeps) {
  /**
   * Webhooks tell people about a reset; they must not fail it. A sink that
   * cannot queue is logged, and the reset goes on.
   */
  async function emitSafely(event: Parameters<ResetEventSink['emit']>[0]) {
    if (!events) return;
    try {
      await events.emit(event);
    } catch (err) {
      logger?.warn({ taskId: event.taskId, type: event.type, err: (err as Error).message }, 'could not queue reset event');
    }
  }

  async function loadTask(taskId: string) {
    const task = await db.task.findUnique({ where: { id: taskId } });
    if (!task) throw ApplicationFailure.nonRetryable(`task ${taskId} does not exist`, 'TaskMissing');
    return task;
  }

  /** Writes the progress unless a newer one is already stored (retries can arrive late). */
  async function writeProgress(progress: ResetProgress, extra: Record<string, unknown> = {}): Promise<boolean> {
    const { count } = await db.task.updateMany({
      where: { id: progress.taskId, seq: { lt: progress.seq } },
      data: {
        status: progress.status,
        step: progress.step ?? null,
        waitingFor: progress.waitingFor?.kind ?? null,
        screenshotId: progress.screenshotId ?? null,
        seq: progress.seq,
        ...extra,
      },
    });
    if (count === 0) return false;
    await Promise.all(
      progress.steps.map((s, position) =>
        db.taskStep.upsert({
          where: { taskId_name: { taskId: progress.taskId, name: s.name } },
          create: { taskId: progress.taskId, name: s.name, status: s.status, detail: s.detail ?? null, position, durationMs: s.durationMs ?? null, startedAt: s.startedAt ? new Date(s.startedAt) : null },
          update: { status: s.status, detail: s.detail ?? null, durationMs: s.durationMs ?? null, startedAt: s.startedAt ? new Date(s.startedAt) : null },
        }),
      ),
    );
    return true;
  }

  return {
    /** Marks the task running and makes sure a vault entry will receive the new password. */
    async beginReset({ taskId, workflowRunId }: { taskId: string; workflowRunId: string }) {
      const task = await loadTask(taskId);
      let vaultEntryId = task.vaultEntryId;
      if (!vaultEntryId) {
        const existing = await db.vaultEntry.findFirst({
          where: { userId: task.userId, serviceId: task.serviceId, OR: [{ username: task.email }, { email: task.email }] },
          orderBy: { updatedAt: 'desc' },
        });
        vaultEntryId =
          existing?.id ??
          (await vault.createEntry(task.userId, { url: task.serviceUrl, username: task.email, email: task.email, serviceId: task.serviceId })).id;
      }
      await db.task.update({
        where: { id: taskId },
        data: { vaultEntryId, runId: workflowRunId, startedAt: task.startedAt ?? new Date(), status: task.status === 'pending' ? 'running' : task.status },
      });
      return { serviceName: task.serviceName, vaultEntryId };
    },

    async recordProgress({ progress }: { progress: ResetProgress }) {
      const task = await loadTask(progress.taskId);
      await writeProgress(progress);
      // The workflow publishes a code or CAPTCHA wait once, as it begins. A retry of this
      // activity (task.seq already equal) emits again; the sink dedupes by seq.
      const wait = progress.waitingFor;
      if (wait && wait.kind !== 'email' && task.seq <= progress.seq) {
        if (wait.kind === 'otp') {
          const otpUrl = phoneOtpLink ? await phoneOtpLink(task, new Date(wait.until)) : undefined;
          await emitSafely({ userId: task.userId, taskId: task.id, type: 'reset.needs_otp', progress, otpUrl });
        } else {
          await emitSafely({ userId: task.userId, taskId: task.id, type: 'reset.captcha_required', progress });
        }
      }
    },

    async finishReset({ progress, result }: { progress: ResetProgress; result: ResetResult }) {
      const task = await loadTask(progress.taskId);
      await writeProgress(progress, {
        completedAt: new Date(),
        failureType: result.failure?.type ?? null,
        failureReason: result.failure?.message ?? null,
        confirmed: result.status === 'completed' ? (result.confirmed ?? true) : null,
      });
      await releaseTask(db, task.id);
      if (task.seq <= progress.seq && result.status !== 'cancelled') {
        await emitSafely({ userId: task.userId, taskId: task.id, type: result.status === 'completed' ? 'reset.completed' : 'reset.failed', progress });
      }
    },
  };
}

export type TaskActivities = ReturnType<typeof createTaskActivities>;
