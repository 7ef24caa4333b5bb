// Signing out this browser: its session is revoked (and its sudo grant with it).
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { AccountDeps, RequestMeta } from './deps.js';

export async function signOut(deps: Pick<AccountDeps, 'db' | 'now'>, opts: { userId: string; sessionId: string; meta: RequestMeta }): Promise<void> {
  const { count } = await deps.db.session.updateMany({
    where: { id: opts.sessionId, userId: opts.userId, revokedAt: null },
    data: { revokedAt: deps.now(), sudoHash: null, sudoUntil: null },
  });
  if (count > 0) await recordAuditEvent(deps.db, { userId: opts.userId, action: 'auth.signout', ...opts.meta, detail: { sessionId: opts.sessionId } });
}
