// "Send me the verification link again": answers at once, emails in the background.
import type { AccountDeps, RequestMeta } from './deps.js';
import { runInBackground } from './run-in-background.js';
import { sendEmailVerification } from './send-email-verification.js';

export async function startEmailVerification(
  deps: AccountDeps,
  opts: { userId: string; meta: RequestMeta },
): Promise<{ configured: boolean; alreadyVerified: boolean }> {
  const user = await deps.db.user.findUniqueOrThrow({ where: { id: opts.userId }, select: { emailVerifiedAt: true } });
  const alreadyVerified = Boolean(user.emailVerifiedAt);
  if (!alreadyVerified && deps.mailer.configured) {
    runInBackground(deps.logger, 'verify-email', () => sendEmailVerification(deps, opts));
  }
  return { configured: deps.mailer.configured, alreadyVerified };
}
