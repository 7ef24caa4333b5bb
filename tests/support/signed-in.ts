// A person with a live session, made directly in the database as the accounts
// code would leave them: for API tests that need someone signed in but are not
// about signing in.
import { randomBytes, randomUUID } from 'node:crypto';
import { hashToken } from '../../lib/crypto.js';
import type { Db } from '../../lib/db/index.js';

export interface SignedInPerson {
  userId: string;
  email: string;
  sessionId: string;
  /** The Cookie header value that carries the session. */
  cookie: string;
}

/** A new user (or the one with `existingUserId`) with a one-hour session. */
export async function signedIn(db: Db, existingUserId?: string): Promise<SignedInPerson> {
  const user = existingUserId
    ? await db.user.findUniqueOrThrow({ where: { id: existingUserId } })
    : await db.user.create({ data: { email: `${randomUUID()}@example.com` } });
  const token = randomBytes(32).toString('base64url');
  const session = await db.session.create({ data: { userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3_600_000) } });
  return { userId: user.id, email: user.email, sessionId: session.id, cookie: `authjs.session-token=${token}` };
}
