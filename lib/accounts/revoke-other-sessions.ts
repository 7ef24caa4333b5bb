// "Sign out everywhere else", and what password changes and resets do.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { AccountDeps, RequestMeta } from './deps.js';

/**
 * Every live session of the person except `keepSessionId` (all of them when it
 * is absent, e.g. when the caller uses an API key). Returns how many.
 */
export async function revokeOtherSessions(
  deps: Pick<AccountDeps, 'db' | 'now'>,
  opts: { userId: string; keepSessionId?: string; meta: RequestMeta; audit?: boolean },
): Promise<number> {
  const { count } = await deps.db.session.updateMany({
    where: { userId: opts.userId, revokedAt: null, ...(opts.keepSessionId ? { id: { not: opts.keepSessionId } } : {}) },
    data: { revokedAt: deps.now(), sudoHash: null, sudoUntil: null },
  });
  if (opts.audit !== false) {
    await recordAuditEvent(deps.db, { userId: opts.userId, action: 'session.revoked_others', ...opts.meta, detail: { count } });
  }
  return count;
}
