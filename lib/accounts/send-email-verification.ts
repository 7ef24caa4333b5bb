// Emails a fresh verification link (in the background: callers answer at once).
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { verifyEmailEmail } from '../email/templates.js';
import { issueAccountToken } from './account-tokens.js';
import type { AccountDeps, RequestMeta } from './deps.js';
import { VERIFY_EMAIL_TTL_MS } from './policy.js';

export async function sendEmailVerification(deps: AccountDeps, opts: { userId: string; meta: RequestMeta }): Promise<void> {
  if (!deps.mailer.configured) return;
  const user = await deps.db.user.findUnique({ where: { id: opts.userId }, select: { email: true, emailVerifiedAt: true } });
  if (!user || user.emailVerifiedAt) return;
  const token = await issueAccountToken(deps.db, { userId: opts.userId, kind: 'verify_email', ttlMs: VERIFY_EMAIL_TTL_MS, now: deps.now() });
  await deps.mailer.send(
    verifyEmailEmail({ to: user.email, appOrigin: deps.config.appOrigin, token, expiresInHours: VERIFY_EMAIL_TTL_MS / 3_600_000 }),
  );
  await recordAuditEvent(deps.db, { userId: opts.userId, action: 'email.verification_sent', ...opts.meta });
}
