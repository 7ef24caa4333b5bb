// GDPR portability: every record Rekey holds about the person, as one JSON
// document. Every query names its columns (an allow-list), so no encrypted
// column, hash or secret can appear — including ones added to the schema
// later. Binary data (screenshots) is listed, not embedded.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { AccountDeps, RequestMeta } from './deps.js';

export const EXPORT_FORMAT = 'rekey-account-export/1';

export async function exportAccount(deps: Pick<AccountDeps, 'db' | 'now'>, opts: { userId: string; meta: RequestMeta }) {
  const { db } = deps;
  const userId = opts.userId;
  const [user, sessions, apiKeys, recoveryCodes, accountTokens, mfaChallenges, vaultEntries, mailbox, tasks, webhooks, auditEvents] =
    await Promise.all([
      db.user.findUniqueOrThrow({
        where: { id: userId },
        select: { id: true, email: true, name: true, role: true, emailVerifiedAt: true, totpEnabledAt: true, createdAt: true, updatedAt: true },
      }),
      db.session.findMany({
        where: { userId },
        orderBy: { createdAt: 'asc' },
        select: { id: true, userAgent: true, ip: true, createdAt: true, lastSeenAt: true, expiresAt: true, revokedAt: true },
      }),
      db.apiKey.findMany({
        where: { userId },
        orderBy: { createdAt: 'asc' },
        select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, expiresAt: true, revokedAt: true },
      }),
      db.recoveryCode.findMany({ where: { userId }, select: { id: true, usedAt: true } }),
      db.accountToken.findMany({
        where: { userId },
        orderBy: { createdAt: 'asc' },
        select: { id: true, kind: true, createdAt: true, expiresAt: true, usedAt: true },
      }),
      db.mfaChallenge.findMany({
        where: { userId },
        orderBy: { createdAt: 'asc' },
        select: { id: true, attempts: true, createdAt: true, expiresAt: true, consumedAt: true },
      }),
      db.vaultEntry.findMany({
        where: { userId },
        orderBy: { createdAt: 'asc' },
        select: {
          id: true,
          serviceId: true,
          url: true,
          username: true,
          email: true,
          label: true,
          createdAt: true,
          updatedAt: true,
          versions: { orderBy: { createdAt: 'asc' }, select: { id: true, state: true, taskId: true, createdAt: true, promotedAt: true } },
        },
      }),
      db.mailbox.findUnique({
        where: { userId },
        select: { id: true, host: true, port: true, secure: true, username: true, folder: true, createdAt: true, updatedAt: true },
      }),
      db.task.findMany({
        where: { userId },
        orderBy: { createdAt: 'asc' },
        select: {
          id: true,
          serviceId: true,
          serviceName: true,
          serviceUrl: true,
          email: true,
          vaultEntryId: true,
          status: true,
          step: true,
          waitingFor: true,
          failureType: true,
          failureReason: true,
          retryOfId: true,
          createdAt: true,
          startedAt: true,
          completedAt: true,
          updatedAt: true,
          steps: { orderBy: { position: 'asc' }, select: { name: true, status: true, detail: true, startedAt: true, durationMs: true, position: true } },
          screenshots: { orderBy: { createdAt: 'asc' }, select: { id: true, step: true, mime: true, createdAt: true } },
          otpTokens: { orderBy: { createdAt: 'asc' }, select: { id: true, attempts: true, createdAt: true, expiresAt: true, usedAt: true } },
        },
      }),
      db.webhook.findMany({
        where: { userId },
        orderBy: { createdAt: 'asc' },
        select: {
          id: true,
          url: true,
          events: true,
          description: true,
          enabled: true,
          createdAt: true,
          updatedAt: true,
          deliveries: {
            orderBy: { createdAt: 'asc' },
            select: { id: true, messageId: true, eventType: true, attempt: true, status: true, responseStatus: true, error: true, durationMs: true, createdAt: true },
          },
        },
      }),
      db.auditEvent.findMany({
        where: { userId },
        orderBy: { createdAt: 'asc' },
        select: { id: true, action: true, ip: true, userAgent: true, detail: true, createdAt: true },
      }),
    ]);

  await recordAuditEvent(db, { userId, action: 'account.exported', ...opts.meta });
  return {
    format: EXPORT_FORMAT,
    exportedAt: deps.now().toISOString(),
    note: 'Passwords, TOTP secrets, the mailbox password, webhook signing secrets and every other encrypted or hashed value are left out by design.',
    user: { ...user, twoFactorEnabled: Boolean(user.totpEnabledAt) },
    sessions,
    apiKeys,
    recoveryCodes: { total: recoveryCodes.length, unused: recoveryCodes.filter((c) => !c.usedAt).length },
    accountTokens,
    mfaChallenges,
    vaultEntries,
    mailbox,
    tasks,
    webhooks: webhooks.map((w) => ({ ...w, events: parseEvents(w.events) })),
    auditEvents: auditEvents.map((e) => ({ ...e, detail: e.detail ? safeJson(e.detail) : null })),
  };
}

function parseEvents(value: string): unknown {
  const parsed = safeJson(value);
  return Array.isArray(parsed) ? parsed : value;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
