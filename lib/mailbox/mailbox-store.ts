// The person's IMAP mailbox settings; the password is encrypted and write-only.
import type { Db } from '../db/index.js';
import type { Keyring } from '../crypto.js';
import { decryptString, encrypt } from '../crypto.js';
import type { MailboxConnection } from '../../activities/mail/imap-connection.js';

const aad = (userId: string) => `mailbox:${userId}`;

export interface MailboxSettings {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password?: string;
  folder?: string;
}

export function createMailboxStore(deps: { db: Db; keyring: Keyring }) {
  const { db, keyring } = deps;
  return {
    /** Public view: never the password. */
    async get(userId: string) {
      const row = await db.mailbox.findUnique({ where: { userId } });
      if (!row) return null;
      return { host: row.host, port: row.port, secure: row.secure, user: row.username, folder: row.folder, hasPassword: true, updatedAt: row.updatedAt };
    },
    /** Creates or replaces; an update without a password keeps the stored one. */
    async put(userId: string, s: MailboxSettings) {
      const existing = await db.mailbox.findUnique({ where: { userId } });
      if (!existing && !s.password) throw new Error('password is required for a new mailbox');
      const passwordEnc = s.password ? encrypt(keyring.vault(userId), s.password, aad(userId)) : existing!.passwordEnc;
      const data = { host: s.host, port: s.port, secure: s.secure, username: s.user, folder: s.folder ?? 'INBOX', passwordEnc };
      await db.mailbox.upsert({ where: { userId }, create: { userId, ...data }, update: data });
    },
    async remove(userId: string) {
      await db.mailbox.deleteMany({ where: { userId } });
    },
    /** For activities only: the connection with the decrypted password. */
    async connection(userId: string): Promise<MailboxConnection | null> {
      const row = await db.mailbox.findUnique({ where: { userId } });
      if (!row) return null;
      return {
        host: row.host,
        port: row.port,
        secure: row.secure,
        user: row.username,
        password: decryptString(keyring.vault(userId), row.passwordEnc, aad(userId)),
        folder: row.folder,
      };
    },
  };
}

export type MailboxStore = ReturnType<typeof createMailboxStore>;
