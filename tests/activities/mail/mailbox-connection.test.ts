import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailboxAuthError, MailboxUnreachableError } from '../../../activities/mail/errors.js';
import { snapshotMailbox } from '../../../activities/mail/snapshot-mailbox.js';
import { testMailboxConnection } from '../../../activities/mail/test-mailbox-connection.js';
import { startDovecot, type DovecotServer } from '../../../sandbox/mail/dovecot.js';
import { compose, resetEmail, uniqueUser } from './fixtures.js';

let server: DovecotServer;
beforeAll(async () => {
  server = await startDovecot();
}, 30_000);
afterAll(async () => {
  await server?.stop();
});

async function newMailbox() {
  const user = uniqueUser('conn');
  await server.addUser(user, 'correct horse');
  return { user, connection: { host: server.host, port: server.port, secure: false, user, password: 'correct horse' } };
}

describe('testMailboxConnection', () => {
  it('reports the message count and UIDNEXT of the folder', async () => {
    const { user, connection } = await newMailbox();
    await server.deliver(user, await compose(resetEmail('https://netflux.localhost/reset?t=1')));
    await expect(testMailboxConnection(connection)).resolves.toEqual({ ok: true, messages: 1, uidNext: 2 });
  });

  it('throws MailboxAuthError for a wrong password, without the password in the message', async () => {
    const { connection } = await newMailbox();
    const error = await testMailboxConnection({ ...connection, password: 'S3cret-guess' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailboxAuthError);
    expect(JSON.stringify({ message: (error as Error).message, cause: String((error as Error).cause) })).not.toContain('S3cret-guess');
  });

  it('throws a non-retryable MailboxUnreachableError for a missing folder', async () => {
    const { connection } = await newMailbox();
    const error = await testMailboxConnection({ ...connection, folder: 'Does/Not/Exist' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailboxUnreachableError);
    expect(error).toMatchObject({ type: 'MailboxUnreachable', retryable: false });
  });

  it('throws a retryable MailboxUnreachableError when nothing listens', async () => {
    const error = await testMailboxConnection({ host: '127.0.0.1', port: 1, secure: false, user: 'x', password: 'y' }).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'MailboxUnreachable', retryable: true });
  });
});

describe('snapshotMailbox', () => {
  it('records UIDVALIDITY, UIDNEXT and the time before the request', async () => {
    const { user, connection } = await newMailbox();
    await server.deliver(user, await compose(resetEmail('https://netflux.localhost/reset?t=1')));
    const before = Date.now();
    const snapshot = await snapshotMailbox(connection);
    expect(snapshot.uidNext).toBe(2);
    expect(snapshot.uidValidity).toMatch(/^\d+$/);
    expect(Date.parse(snapshot.takenAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(snapshot.takenAt)).toBeLessThanOrEqual(Date.now());
  });

  it('does not mark messages as seen', async () => {
    const { user, connection } = await newMailbox();
    await server.deliver(user, await compose(resetEmail('https://netflux.localhost/reset?t=1')));
    await snapshotMailbox(connection);
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow({ ...connection, auth: { user, pass: connection.password }, logger: false });
    await client.connect();
    const status = await client.status('INBOX', { unseen: true });
    await client.logout();
    expect(status && status.unseen).toBe(1);
  });
});
