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

/**
 * A new user (or the one with `existingUserId`) with a one-hour session, and
 * with `mailbox: true` mailbox settings too (a host no test reaches: a reset
 * needs them to start).
 */
export async function signedIn(db: Db, existingUserId?: string, opts: { mailbox?: boolean } = {}): Promise<SignedInPerson> {
  const user = existingUserId
    ? await db.user.findUniqueOrThrow({ where: { id: existingUserId } })
    : await db.user.create({ data: { email: `${randomUUID()}@example.com` } });
  if (opts.mailbox) {
    // Not decryptable on purpose: no worker polls these tests' queues.
    await db.mailbox.create({ data: { userId: user.id, host: 'imap.example.com', port: 993, secure: true, username: user.email, passwordEnc: randomBytes(40) } });
  }
  const token = randomBytes(32).toString('base64url');
  const session = await db.session.create({ data: { userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3_600_000) } });
  return { userId: user.id, email: user.email, sessionId: session.id, cookie: `authjs.session-token=${token}` };
}
