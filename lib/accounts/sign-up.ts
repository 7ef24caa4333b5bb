// Creating an account. The contract signs the person in at once (201 {user}
// + session cookie), so an address that already has an account cannot get the
// same answer: it would need a session for someone who proved nothing. What
// is avoidable is avoided: the password is hashed before the address is
// looked up (same argon2 time either way), the answer is a plain 409
// `email_taken` with no detail, sign-ups are throttled per client address,
// and the address's owner is told by email that someone tried.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { signupAttemptEmail } from '../email/templates.js';
import { AppError } from '../errors.js';
import { consumeRateLimit } from '../rate-limit/rate-limit-store.js';
import { rateLimits } from '../rate-limit/rules.js';
import { createSession } from './create-session.js';
import type { AccountDeps, RequestMeta } from './deps.js';
import { normalizeEmail } from './normalize-email.js';
import { checkPasswordRules } from './password-rules.js';
import { toPublicUser, type PublicUser } from './public-user.js';
import { runInBackground } from './run-in-background.js';
import { sendEmailVerification } from './send-email-verification.js';

const emailTaken = () =>
  new AppError('email_taken', 'This email cannot be used to create an account. If it is yours, sign in or reset your password.', {
    field: 'email',
  });

const isUniqueViolation = (err: unknown) => (err as { code?: unknown } | null)?.code === 'P2002';

export async function signUp(
  deps: AccountDeps,
  input: { email: string; password: string; name?: string | null },
  meta: RequestMeta,
): Promise<{ user: PublicUser; sessionToken: string; sessionId: string }> {
  const email = normalizeEmail(input.email);
  checkPasswordRules(input.password, email);
  const passwordHash = await deps.passwordHasher.hash(deps.config.passwordHashing, input.password);
  const now = deps.now();

  let user;
  try {
    user = await deps.db.user.create({
      data: { email, name: input.name?.trim() || null, passwordHash, createdAt: now },
    });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    const existing = await deps.db.user.findUnique({ where: { email }, select: { id: true, email: true } });
    if (existing) {
      await recordAuditEvent(deps.db, { userId: existing.id, action: 'auth.signup_rejected', ...meta, detail: { reason: 'email_taken' } });
      runInBackground(deps.logger, 'signup-attempt-notice', async () => {
        if (!deps.mailer.configured) return;
        // At most a few notices an hour, whoever keeps trying.
        const quota = await consumeRateLimit(deps.db, { rule: rateLimits.signUpNoticeEmail, subject: existing.id, now });
        if (quota.allowed) await deps.mailer.send(signupAttemptEmail({ to: existing.email, appOrigin: deps.config.appOrigin }));
      });
    }
    throw emailTaken();
  }

  const session = await createSession(deps, { userId: user.id, meta });
  await recordAuditEvent(deps.db, { userId: user.id, action: 'auth.signup', ...meta, detail: { sessionId: session.sessionId } });
  runInBackground(deps.logger, 'verify-email', () => sendEmailVerification(deps, { userId: user.id, meta }));
  return { user: toPublicUser(user), sessionToken: session.token, sessionId: session.sessionId };
}
