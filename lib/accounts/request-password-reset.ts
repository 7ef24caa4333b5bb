// Forgot-password. The caller always gets the same answer at once; the lookup,
// the token and the email happen in the background, so neither the answer nor
// its timing says whether the address has an account. Each address receives
// at most a few reset emails an hour, whoever asks (silently: still 200).
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { passwordResetEmail } from '../email/templates.js';
import { consumeRateLimit } from '../rate-limit/rate-limit-store.js';
import { rateLimits } from '../rate-limit/rules.js';
import { issueAccountToken } from './account-tokens.js';
import type { AccountDeps, RequestMeta } from './deps.js';
import { normalizeEmail } from './normalize-email.js';
import { PASSWORD_RESET_TTL_MS } from './policy.js';
import { runInBackground } from './run-in-background.js';

/** Schedules the email; returns whether email is configured (the answer's `configured`). */
export function requestPasswordReset(deps: AccountDeps, opts: { email: string; meta: RequestMeta }): { configured: boolean } {
  const configured = deps.mailer.configured;
  if (configured) {
    const email = normalizeEmail(opts.email);
    runInBackground(deps.logger, 'password-reset-email', () => sendPasswordReset(deps, { email, meta: opts.meta }));
  }
  return { configured };
}

export async function sendPasswordReset(deps: AccountDeps, opts: { email: string; meta: RequestMeta }): Promise<void> {
  const user = await deps.db.user.findUnique({ where: { email: opts.email }, select: { id: true, email: true } });
  if (!user) return;
  const now = deps.now();
  const quota = await consumeRateLimit(deps.db, { rule: rateLimits.passwordResetEmail, subject: user.id, now });
  if (!quota.allowed) return;
  const token = await issueAccountToken(deps.db, { userId: user.id, kind: 'password_reset', ttlMs: PASSWORD_RESET_TTL_MS, now });
  await recordAuditEvent(deps.db, { userId: user.id, action: 'password.reset_requested', ...opts.meta });
  await deps.mailer.send(
    passwordResetEmail({ to: user.email, appOrigin: deps.config.appOrigin, token, expiresInMinutes: PASSWORD_RESET_TTL_MS / 60_000 }),
  );
}
