// Deleting the account: running resets are cancelled first (accountHooks in
// api/context.ts), then every row of the person goes in one transaction —
// vault, mailbox, tasks and their data, webhooks, sessions, keys, tokens,
// audit trail. Children are deleted explicitly rather than trusting each
// database's foreign-key cascade settings. One audit row records that the
// deletion happened (opaque id only).
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { AccountDeps, RequestMeta } from './deps.js';

export async function deleteAccount(
  deps: Pick<AccountDeps, 'db'>,
  opts: { userId: string; meta: RequestMeta; beforeDelete?: (userId: string) => Promise<void> },
): Promise<void> {
  const { userId } = opts;
  if (opts.beforeDelete) await opts.beforeDelete(userId);
  await deps.db.$transaction(async (tx) => {
    const task = { task: { userId } };
    const taskIds = (await tx.task.findMany({ where: { userId }, select: { id: true } })).map((t) => t.id);
    await tx.resetLock.deleteMany({ where: { taskId: { in: taskIds } } });
    await tx.taskStep.deleteMany({ where: task });
    await tx.taskSecret.deleteMany({ where: task });
    await tx.screenshot.deleteMany({ where: task });
    await tx.otpToken.deleteMany({ where: task });
    await tx.task.deleteMany({ where: { userId } });
    await tx.passwordVersion.deleteMany({ where: { entry: { userId } } });
    await tx.vaultEntry.deleteMany({ where: { userId } });
    await tx.mailbox.deleteMany({ where: { userId } });
    await tx.webhookDelivery.deleteMany({ where: { webhook: { userId } } });
    await tx.webhook.deleteMany({ where: { userId } });
    await tx.session.deleteMany({ where: { userId } });
    await tx.apiKey.deleteMany({ where: { userId } });
    await tx.recoveryCode.deleteMany({ where: { userId } });
    await tx.accountToken.deleteMany({ where: { userId } });
    await tx.mfaChallenge.deleteMany({ where: { userId } });
    await tx.auditEvent.deleteMany({ where: { userId } });
    await tx.user.delete({ where: { id: userId } });
  });
  await recordAuditEvent(deps.db, { userId: null, action: 'account.deleted', ...opts.meta, detail: { deletedUserId: userId } });
}
