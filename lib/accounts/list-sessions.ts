// The person's live sessions, newest first, with the caller's marked.
import type { AccountDeps } from './deps.js';
import { describeDevice } from './describe-device.js';
import { afterCursor, pageOf, pageOrder, pageSize, type PageRequest } from './paginate.js';

export interface SessionView {
  id: string;
  device: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export async function listSessions(
  deps: Pick<AccountDeps, 'db' | 'now'>,
  opts: { userId: string; currentSessionId?: string } & PageRequest,
): Promise<{ items: SessionView[]; nextCursor: string | null }> {
  const limit = pageSize(opts.limit);
  const found = await deps.db.session.findMany({
    where: { userId: opts.userId, revokedAt: null, expiresAt: { gt: deps.now() }, ...afterCursor(opts.cursor) },
    orderBy: pageOrder,
    take: limit + 1,
    select: { id: true, userAgent: true, ip: true, createdAt: true, lastSeenAt: true, expiresAt: true },
  });
  const { rows, nextCursor } = pageOf(found, limit);
  const items = rows.map((s) => ({
    id: s.id,
    device: describeDevice(s.userAgent),
    userAgent: s.userAgent,
    ip: s.ip,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    expiresAt: s.expiresAt.toISOString(),
    current: s.id === opts.currentSessionId,
  }));
  return { items, nextCursor };
}
