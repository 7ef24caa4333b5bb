// A signed-in browser: a random token in an httpOnly cookie, only its SHA-256
// in the database, so a database leak yields no usable session.
import { hashToken, randomToken } from '../crypto.js';
import type { AccountDeps, RequestMeta } from './deps.js';
import { SESSION_TTL_MS } from './policy.js';

export async function createSession(
  deps: Pick<AccountDeps, 'db' | 'now'>,
  opts: { userId: string; meta: RequestMeta },
): Promise<{ token: string; sessionId: string; expiresAt: Date }> {
  const now = deps.now();
  const token = randomToken(32);
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  const session = await deps.db.session.create({
    data: {
      userId: opts.userId,
      tokenHash: hashToken(token),
      userAgent: opts.meta.userAgent?.slice(0, 512) ?? null,
      ip: opts.meta.ip ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt,
    },
  });
  return { token, sessionId: session.id, expiresAt };
}
