// POST /api/tasks/reset: a reset for the service at `serviceUrl`. The URL must
// be http(s) without credentials and (unless private targets are allowed) must
// resolve to public addresses only, or be one of the allowed private listeners; the service is the catalog's when it knows
// the domain, else a generic one named after the site. `passwordId` must be one
// of the caller's vault entries.
import type { Client } from '@temporalio/client';
import type { Catalog } from '../../catalog/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { AppError } from '../errors.js';
import { assertAllowedTarget, parseTarget, TargetNotAllowedError, type HostResolver } from '../net/target-guard.js';
import { resolveTaskService, startResetTask } from './start-reset-task.js';

export interface CreateResetTaskDeps {
  db: Db;
  temporal: Client;
  config: Config;
  catalog: Catalog;
  /** DNS for the target check; tests pass a fixed one. */
  resolver?: HostResolver;
}

/** Checks a URL a person gave as a reset target; the error names `field`. */
export async function checkResetTarget(deps: Pick<CreateResetTaskDeps, 'config' | 'resolver'>, url: string, field: string): Promise<URL> {
  try {
    // Every private target allowed: nothing to resolve (a name may only resolve where the worker runs).
    if (deps.config.allowPrivateTargets === true) return parseTarget(url);
    return (await assertAllowedTarget(url, { allowPrivate: deps.config.allowPrivateTargets, resolver: deps.resolver })).url;
  } catch (err) {
    if (err instanceof TargetNotAllowedError) throw new AppError('target_not_allowed', err.message, { field, reason: err.reason });
    throw err;
  }
}

export async function createResetTask(
  deps: CreateResetTaskDeps,
  args: { userId: string; serviceUrl: string; email: string; passwordId?: string },
): Promise<{ taskId: string; workflowId: string; serviceId: string; serviceName: string }> {
  const url = await checkResetTarget(deps, args.serviceUrl, 'serviceUrl');
  let service;
  try {
    service = resolveTaskService(deps.catalog, { serviceUrl: url.href }).service;
  } catch (err) {
    if (err instanceof TypeError) throw new AppError('validation_failed', 'serviceUrl: needs a host name with a registrable domain', { field: 'serviceUrl' });
    throw err;
  }
  if (args.passwordId) {
    const entry = await deps.db.vaultEntry.findFirst({ where: { id: args.passwordId, userId: args.userId }, select: { id: true } });
    if (!entry) throw new AppError('not_found', 'Vault entry not found');
  }
  const started = await startResetTask(deps, {
    userId: args.userId,
    email: args.email,
    serviceUrl: url.href,
    vaultEntryId: args.passwordId,
  });
  return { ...started, serviceId: service.id, serviceName: service.name };
}
