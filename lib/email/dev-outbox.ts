// Account emails in development without an SMTP server: each one is written
// as a JSON file under data/dev-outbox, and the web UI's "Outbox
// (development)" page lists them (GET /api/dev/outbox, loopback only), so
// forgot-password, reset and email verification can be tried end to end with
// no mail account at all.
//
// Why files and not the alternatives: the sandbox's Dovecot runs only while
// the sandbox process does, and reading it needs an IMAP client the person
// would have to set up first; a database table would need a migration on
// both databases for something production never uses. A folder under the
// data directory needs nothing else running, survives a restart, and goes
// away with data/. It is never used in production (lib/config.ts refuses).
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { OutgoingEmail } from './mailer.js';

/** The outbox keeps this many emails; older ones are deleted as new ones arrive. */
export const DEV_OUTBOX_KEEP = 100;

export interface DevOutboxEmail {
  id: string;
  to: string;
  subject: string;
  text: string;
  sentAt: string;
}

export interface DevOutbox {
  deliver(email: OutgoingEmail, now?: Date): Promise<void>;
  /** Newest first. */
  list(opts?: { limit?: number }): Promise<DevOutboxEmail[]>;
}

// Names sort by time: milliseconds since the epoch, zero-padded, then a random
// part so two emails in one millisecond (or from two processes) never collide.
const FILE_NAME = /^(\d{15})-([0-9a-f]{12})\.json$/;

export function createDevOutbox(dir: string): DevOutbox {
  async function names(): Promise<string[]> {
    try {
      return (await readdir(dir)).filter((n) => FILE_NAME.test(n)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }

  return {
    async deliver(email, now = new Date()) {
      // Reset links are secrets: only this user may read the folder.
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const name = `${String(now.getTime()).padStart(15, '0')}-${randomBytes(6).toString('hex')}.json`;
      const body: Omit<DevOutboxEmail, 'id'> = { to: email.to, subject: email.subject, text: email.text, sentAt: now.toISOString() };
      // Written aside, then renamed: a listing never sees half a file.
      const partial = path.join(dir, `.${name}.partial`);
      await writeFile(partial, JSON.stringify(body), { mode: 0o600 });
      await rename(partial, path.join(dir, name));
      const all = await names();
      await Promise.all(all.slice(0, Math.max(0, all.length - DEV_OUTBOX_KEEP)).map((n) => rm(path.join(dir, n), { force: true })));
    },

    async list(opts = {}) {
      const newest = (await names()).reverse().slice(0, opts.limit ?? 50);
      const emails = await Promise.all(
        newest.map(async (name): Promise<DevOutboxEmail | null> => {
          try {
            const body = JSON.parse(await readFile(path.join(dir, name), 'utf8')) as Omit<DevOutboxEmail, 'id'>;
            return { id: name.replace(/\.json$/, ''), to: body.to, subject: body.subject, text: body.text, sentAt: body.sentAt };
          } catch {
            return null; // pruned by another process between readdir and here
          }
        }),
      );
      return emails.filter((e): e is DevOutboxEmail => e !== null);
    },
  };
}
