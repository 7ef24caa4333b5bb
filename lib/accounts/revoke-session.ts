// Signing a device out: the row stays (revokedAt) until retention removes it;
// the next request carrying its cookie is anonymous.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { notFound } from '../errors.js';
import type { AccountDeps, RequestMeta } from './deps.js';

/** Another person's session id reads as not found, like one that never existed. */
export async function revokeSession(
  deps: Pick<AccountDeps, 'db' | 'now'>,
  opts: { userId: string; sessionId: string; meta: RequestMeta },
): Promise<void> {
  const { count } = await deps.db.session.updateMany({
    where: { id: opts.sessionId, userId: opts.userId, revokedAt: null },
    data: { revokedAt: deps.now(), sudoHash: null, sudoUntil: null },
  });
  if (count === 0) throw notFound('Session');
  await recordAuditEvent(deps.db, { userId: opts.userId, action: 'session.revoked', ...opts.meta, detail: { sessionId: opts.sessionId } });
}
