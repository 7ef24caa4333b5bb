// Consuming a verification link: 404 unknown, 409 used, 410 expired.
// No session needed: the link is the proof (it may be opened on a phone).
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { findUsableAccountToken, markAccountTokenUsed } from './account-tokens.js';
import type { AccountDeps, RequestMeta } from './deps.js';

export async function confirmEmail(deps: Pick<AccountDeps, 'db' | 'now'>, input: { token: string }, meta: RequestMeta): Promise<void> {
  const now = deps.now();
  const row = await findUsableAccountToken(deps.db, { kind: 'verify_email', token: input.token, now });
  await deps.db.$transaction(async (tx) => {
    await markAccountTokenUsed(tx, { id: row.id, now });
    await tx.user.updateMany({ where: { id: row.userId, emailVerifiedAt: null }, data: { emailVerifiedAt: now } });
  });
  await recordAuditEvent(deps.db, { userId: row.userId, action: 'email.verified', ...meta });
}
