import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ImapFlow } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { findDovecotBinary, startDovecot } from '../../../sandbox/mail/dovecot.js';

const processesOf = (configPath: string) =>
  execFileSync('ps', ['-eo', 'pid,args']).toString().split('\n').filter((line) => line.includes(configPath));

describe('sandbox Dovecot', { timeout: 30_000 }, () => {
  it('finds the binary', () => {
    expect(findDovecotBinary()).toMatch(/dovecot$/);
  });

  it('runs several instances side by side, users added while running, and leaves nothing behind', async () => {
    const [a, b] = await Promise.all([startDovecot(), startDovecot()]);
    expect(a.port).not.toBe(b.port);
    await a.addUser('alice', 'pass:with colon é');
    await b.addUser('alice', 'other');

    const uid = await a.deliver('alice', 'From: x@example.test\r\nSubject: hi\r\n\r\nbody\r\n', { internalDate: new Date('2020-01-02T03:04:05Z') });
    expect(uid).toBe(1);
    const client = new ImapFlow({ host: a.host, port: a.port, secure: false, auth: { user: 'alice', pass: 'pass:with colon é' }, logger: false });
    await client.connect();
    await client.mailboxOpen('INBOX');
    const [message] = await client.fetchAll('1:*', { uid: true, internalDate: true }, { uid: true });
    await client.logout();
    expect(message?.internalDate).toEqual(new Date('2020-01-02T03:04:05Z'));

    const configA = `${a.baseDir}/dovecot.conf`;
    expect(processesOf(configA).length).toBeGreaterThan(0);
    await Promise.all([a.stop(), b.stop()]);
    expect(existsSync(a.baseDir)).toBe(false);
    expect(processesOf(configA)).toEqual([]);
    expect(execFileSync('ps', ['-eo', 'args']).toString()).not.toContain(`rekey-${a.port}/`);
  });

  it('serves mail from a base dir inside a directory only its owner can enter (a clone in root’s home), and keeps it across a new start', async () => {
    const { chmod, mkdir, mkdtemp, realpath, rm, stat } = await import('node:fs/promises');
    const parent = await mkdtemp('/tmp/rekey-private-');
    await chmod(parent, 0o700);
    const baseDir = `${parent}/clone/data/sandbox/mail`;
    await mkdir(baseDir, { recursive: true });
    try {
      const first = await startDovecot({ baseDir });
      await first.addUser('carol', 'pw-carol');
      expect(await first.deliver('carol', 'Subject: one\r\n\r\n1\r\n')).toBe(1);
      const readAll = async (port: number) => {
        const client = new ImapFlow({ host: '127.0.0.1', port, secure: false, auth: { user: 'carol', pass: 'pw-carol' }, logger: false });
        await client.connect();
        try {
          await client.mailboxOpen('INBOX');
          return (await client.fetchAll('1:*', { envelope: true })).map((m) => m.envelope?.subject);
        } finally {
          await client.logout();
        }
      };
      expect(await readAll(first.port)).toEqual(['one']);
      await first.stop();

      const second = await startDovecot({ baseDir });
      expect(await second.deliver('carol', 'Subject: two\r\n\r\n2\r\n')).toBe(2);
      expect(await readAll(second.port)).toEqual(['one', 'two']);
      const storeLink = `${baseDir}/mail-store`;
      const store = existsSync(storeLink) ? await realpath(storeLink) : null;
      await second.stop({ removeMail: true });
      // Nobody's permissions were widened on the way: the private directory stays private.
      expect((await stat(parent)).mode & 0o777).toBe(0o700);
      expect(existsSync(baseDir)).toBe(false);
      if (store) expect(existsSync(store)).toBe(false);
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('keeps the mail of a given base dir across restart and stop', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const baseDir = await mkdtemp('/tmp/rekey-dc-test-');
    try {
      const first = await startDovecot({ baseDir });
      await first.addUser('bob', 'pw');
      await first.deliver('bob', 'Subject: one\r\n\r\n1\r\n');
      await first.restart();
      expect(await first.deliver('bob', 'Subject: two\r\n\r\n2\r\n')).toBe(2);
      await first.stop();
      expect(existsSync(`${baseDir}/run/master.pid`)).toBe(false);

      const second = await startDovecot({ baseDir });
      expect(await second.deliver('bob', 'Subject: three\r\n\r\n3\r\n')).toBe(3);
      await second.stop({ removeMail: true });
    } finally {
      await rm(baseDir, { recursive: true, force: true });
    }
  });
});
