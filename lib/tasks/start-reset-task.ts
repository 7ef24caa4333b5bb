// Starting a reset: the task row (the public id), the per-account lock, and
// the workflow, with search attributes staff filter on. Used by the API (task
// form, chat, retry) and by tests.
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { Catalog, Service } from '../../catalog/index.js';
import { serviceForUrl } from '../../catalog/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { AppError } from '../errors.js';
import { assertResetWorkers } from './assert-reset-workers.js';
import {
  resetPasswordWorkflowName,
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

export const accountKeyOf = (serviceId: string, email: string) => `${serviceId}:${email.trim().toLowerCase()}`;

export async function startResetTask(deps: StartResetDeps, req: StartResetRequest): Promise<{ taskId: string; workflowId: string }> {
  const { db, config } = deps;
  const { service, url } = resolveTaskService(deps.catalog, req);
  await assertResetWorkers(deps);
  if (req.vaultEntryId) {
    const entry = await db.vaultEntry.findFirst({ where: { id: req.vaultEntryId, userId: req.userId } });
    if (!entry) throw new AppError('not_found', 'Vault entry not found');
  }
  const accountKey = accountKeyOf(service.id, req.email);

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
  } catch (err) {
    await db.$transaction([
      db.resetLock.deleteMany({ where: { taskId: task.id } }),
      db.task.update({ where: { id: task.id }, data: { status: 'failed', failureType: 'Internal', failureReason: 'The reset could not be started.', completedAt: new Date() } }),
    ]);
    throw new AppError('unavailable', `Could not start the reset: ${(err as Error).message}`);
  }
  return { taskId: task.id, workflowId: task.workflowId };
}
