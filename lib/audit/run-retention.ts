// Retention (POST /api/cron/retention): what is older than
// REKEY_RETENTION_DAYS goes — audit events, screenshots, webhook deliveries,
// and the data of finished tasks (their steps, secrets, screenshots and OTP
// links; the task row stays as the person's history). Dead credentials go
// sooner: expired or revoked sessions, expired 2FA challenges and rate-limit
// windows at once; used or expired emailed tokens and revoked or expired API
// keys after the retention period (until then a used link still answers 409
// and an expired one 410, as the contract says).
import type { Db } from '../db/index.js';
import { terminalStatuses } from '../../workflows/reset-password.messages.js';

export interface RetentionCounts {
  auditEvents: number;
  screenshots: number;
  webhookDeliveries: number;
  taskSteps: number;
  taskSecrets: number;
  otpTokens: number;
  sessions: number;
  mfaChallenges: number;
  accountTokens: number;
  apiKeys: number;
  rateLimitBuckets: number;
  discoveryCache: number;
}

export async function runRetention(db: Db, opts: { now: Date; retentionDays: number }): Promise<{ cutoff: Date; pruned: RetentionCounts }> {
  const { now } = opts;
  const cutoff = new Date(now.getTime() - opts.retentionDays * 24 * 3_600_000);
  const finishedTask = { task: { status: { in: [...terminalStatuses] }, completedAt: { lt: cutoff } } };

  // Finished tasks first, so their screenshots are counted once.
  const taskSteps = (await db.taskStep.deleteMany({ where: finishedTask })).count;
  const taskSecrets = (await db.taskSecret.deleteMany({ where: finishedTask })).count;
  const otpTokens = (await db.otpToken.deleteMany({ where: { OR: [finishedTask, { expiresAt: { lt: cutoff } }] } })).count;
  const screenshots = (await db.screenshot.deleteMany({ where: { OR: [finishedTask, { createdAt: { lt: cutoff } }] } })).count;

  const pruned: RetentionCounts = {
    auditEvents: (await db.auditEvent.deleteMany({ where: { createdAt: { lt: cutoff } } })).count,
    screenshots,
    webhookDeliveries: (await db.webhookDelivery.deleteMany({ where: { createdAt: { lt: cutoff } } })).count,
    taskSteps,
    taskSecrets,
    otpTokens,
    sessions: (await db.session.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { revokedAt: { not: null } }] } })).count,
    mfaChallenges: (await db.mfaChallenge.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { consumedAt: { not: null } }] } })).count,
    accountTokens: (await db.accountToken.deleteMany({ where: { OR: [{ expiresAt: { lt: cutoff } }, { usedAt: { lt: cutoff } }] } })).count,
    apiKeys: (await db.apiKey.deleteMany({ where: { OR: [{ revokedAt: { lt: cutoff } }, { expiresAt: { lt: cutoff } }] } })).count,
    rateLimitBuckets: (await db.rateLimitBucket.deleteMany({ where: { expiresAt: { lt: now } } })).count,
    discoveryCache: (await db.discoveryCache.deleteMany({ where: { expiresAt: { lt: now } } })).count,
  };
  return { cutoff, pruned };
}
