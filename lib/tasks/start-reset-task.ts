// Starting a reset: the task row (the public id), the per-account lock, and
// the workflow, with search attributes staff filter on. Used by the API (task
// form, chat, retry) and by tests.
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Catalog, Service } from '../../catalog/index.js';
import { serviceForUrl } from '../../catalog/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { AppError, describeResetFailure } from '../errors.js';
import { assertResetWorkers } from './assert-reset-workers.js';
import { releaseTask } from './release-task.js';
import { healTask } from './reconcile-tasks.js';
import {
  resetPasswordWorkflowName,
  resetRunTimeoutMs,
  searchAttributeNames as sa,
  terminalStatuses,
  workflowIdFor,
  type ResetPasswordInput,
} from '../../workflows/reset-password.messages.js';

export interface StartResetDeps {
  db: Db;
  temporal: Client;
  config: Config;
  catalog: Catalog;
}

export interface StartResetRequest {
  userId: string;
  email: string;
  serviceUrl?: string;
  serviceId?: string;
  vaultEntryId?: string;
  retryOfId?: string;
  tuning?: ResetPasswordInput['tuning'];
}

export function resolveTaskService(catalog: Catalog, req: { serviceId?: string; serviceUrl?: string }): { service: Service; url: string } {
  const byId = req.serviceId ? catalog.get(req.serviceId) : undefined;
  if (req.serviceId && !byId) throw new AppError('not_found', 'Unknown service');
  const byUrl = req.serviceUrl ? catalog.byDomain(req.serviceUrl) : undefined;
  const service = byId ?? byUrl ?? (req.serviceUrl ? serviceForUrl(req.serviceUrl) : undefined);
  if (!service) throw new AppError('validation_failed', 'serviceUrl or serviceId is required', { field: 'serviceUrl' });
  const url = req.serviceUrl ?? service.resetUrl ?? service.loginUrl ?? `https://${service.domains[0]}`;
  return { service, url };
}

/**
 * The lock's key: one person's account at one service. Keyed by the person too, so
 * nobody can block another person's resets by starting one for the same address.
 */
export const accountKeyOf = (userId: string, serviceId: string, email: string) => `${userId}:${serviceId}:${email.trim().toLowerCase()}`;

/**
 * A lock whose reset has ended without saying so (its final write failed, staff
 * terminated it, the API died before starting it) is healed now, so the
 * account's next reset need not wait for the periodic reconciler.
 */
async function healLockHolder(deps: StartResetDeps, accountKey: string): Promise<void> {
  const lock = await deps.db.resetLock.findUnique({ where: { accountKey } });
  const holder = lock && (await deps.db.task.findUnique({ where: { id: lock.taskId }, select: { id: true, workflowId: true, status: true, createdAt: true } }));
  if (holder) await healTask({ db: deps.db, temporal: deps.temporal }, holder);
}

/**
 * Every reset reads the reset email from the person's mailbox: without
 * mailbox settings it could only fail later, as a workflow, with an IMAP
 * error about credentials nobody gave. Refused before anything starts.
 */
export async function assertMailboxSetUp(db: Db, userId: string): Promise<void> {
  if (!(await hasMailbox(db, userId))) {
    throw new AppError('mailbox_required', 'No mailbox is set up yet: Rekey reads the reset email from your mailbox. Add it on the Mailbox page, then start the reset again.');
  }
}

export async function hasMailbox(db: Db, userId: string): Promise<boolean> {
  return (await db.mailbox.count({ where: { userId } })) > 0;
}

export async function startResetTask(deps: StartResetDeps, req: StartResetRequest): Promise<{ taskId: string; workflowId: string }> {
  const { db, config } = deps;
  const { service, url } = resolveTaskService(deps.catalog, req);
  // What the service lacks (no worker can run a reset) is said before what the person lacks.
  await assertResetWorkers(deps);
  await assertMailboxSetUp(db, req.userId);
  if (req.vaultEntryId) {
    const entry = await db.vaultEntry.findFirst({ where: { id: req.vaultEntryId, userId: req.userId } });
    if (!entry) throw new AppError('not_found', 'Vault entry not found');
  }
  const accountKey = accountKeyOf(req.userId, service.id, req.email);
  await healLockHolder(deps, accountKey);

  const task = await db.$transaction(async (tx) => {
    const lock = await tx.resetLock.findUnique({ where: { accountKey } });
    if (lock) {
      const holder = await tx.task.findUnique({ where: { id: lock.taskId } });
      if (holder && !terminalStatuses.includes(holder.status as never)) {
        throw new AppError('conflict', 'A reset for this account is already running', { taskId: holder.id });
      }
      await tx.resetLock.delete({ where: { accountKey } }); // a stale lock (its task ended without releasing it)
    }
    const created = await tx.task.create({
      data: {
        userId: req.userId,
        serviceId: service.id,
        serviceName: service.name,
        serviceUrl: url,
        email: req.email,
        vaultEntryId: req.vaultEntryId ?? null,
        accountKey,
        workflowId: 'pending',
        retryOfId: req.retryOfId ?? null,
      },
    });
    const workflowId = workflowIdFor(service.id, created.id);
    await tx.resetLock.create({ data: { accountKey, taskId: created.id } });
    return tx.task.update({ where: { id: created.id }, data: { workflowId } });
  });

  const input: ResetPasswordInput = {
    taskId: task.id,
    userId: req.userId,
    serviceId: service.id,
    emailWaitMs: config.waits.emailMs,
    otpWaitMs: config.waits.otpMs,
    captchaWaitMs: config.waits.captchaMs,
    tuning: req.tuning,
  };
  try {
    const handle = await deps.temporal.workflow.start(resetPasswordWorkflowName, {
      workflowId: task.workflowId,
      taskQueue: config.temporal.taskQueue,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
      // A backstop: every wait inside is bounded; this bounds the whole run, and the
      // reconciler turns a run that hit it into a failed task with its lock released.
      workflowExecutionTimeout: resetRunTimeoutMs(input),
      memo: { service: service.name },
      searchAttributes: {
        [sa.service]: [service.id],
        [sa.userId]: [req.userId],
        [sa.taskId]: [task.id],
        [sa.status]: ['pending'],
        [sa.startedAt]: [new Date()],
      },
    });
    await db.task.update({ where: { id: task.id }, data: { runId: handle.firstExecutionRunId } });
  } catch {
    // No answer is not "not started": the start may have reached Temporal. Only a
    // workflow proven absent frees the account; one that exists is this reset, running.
    const fate = await workflowExists(deps.temporal, task.workflowId);
    if (fate === 'exists') return { taskId: task.id, workflowId: task.workflowId };
    if (fate === 'absent') {
      await db.task.update({
        where: { id: task.id },
        data: { status: 'failed', failureType: 'NotStarted', failureReason: describeResetFailure('NotStarted'), completedAt: new Date() },
      });
      await releaseTask(db, task.id);
    }
    // 'unknown': the task stays pending and locked; the reconciler settles it once Temporal answers.
    throw new AppError('unavailable', 'The reset could not be started: the workflow service is not answering. Try again in a minute.');
  }
  return { taskId: task.id, workflowId: task.workflowId };
}

async function workflowExists(temporal: Client, workflowId: string): Promise<'exists' | 'absent' | 'unknown'> {
  try {
    await temporal.workflow.getHandle(workflowId).describe();
    return 'exists';
  } catch (err) {
    return err instanceof WorkflowNotFoundError ? 'absent' : 'unknown';
  }
}
