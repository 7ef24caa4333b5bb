// POST /api/jobs/{id}/retry: a failed or cancelled reset runs again as a new
// task (same service, account and vault entry) that points back at it. The
// per-account lock still applies: 409 if another reset of the account runs.
import type { Client } from '@temporalio/client';
import type { Catalog } from '../../catalog/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { AppError, notFound } from '../errors.js';
import { startResetTask } from './start-reset-task.js';

const RETRYABLE = ['failed', 'cancelled'];

export async function retryJob(
  deps: { db: Db; temporal: Client; config: Config; catalog: Catalog },
  args: { userId: string; taskId: string },
): Promise<{ taskId: string; workflowId: string; retryOf: string }> {
  const task = await deps.db.task.findFirst({ where: { id: args.taskId, userId: args.userId } });
  if (!task) throw notFound('Job');
  if (!RETRYABLE.includes(task.status)) throw new AppError('conflict', `Only failed or cancelled jobs can be retried (this one is ${task.status})`);
  // Generic services (a site the catalog does not know) are found again from the URL.
  const known = deps.catalog.get(task.serviceId);
  const started = await startResetTask(deps, {
    userId: task.userId,
    email: task.email,
    ...(known ? { serviceId: known.id } : {}),
    serviceUrl: task.serviceUrl,
    vaultEntryId: task.vaultEntryId ?? undefined,
    retryOfId: task.id,
  });
  return { ...started, retryOf: task.id };
}
