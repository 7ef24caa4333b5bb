import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailboxAuthError, MailboxNotAllowedError, MailboxUnreachableError } from '../../../activities/mail/errors.js';
import { snapshotMailbox } from '../../../activities/mail/snapshot-mailbox.js';
import { testMailboxConnection } from '../../../activities/mail/test-mailbox-connection.js';
import { startDovecot, type DovecotServer } from '../../../sandbox/mail/dovecot.js';
import { compose, resetEmail, uniqueUser } from './fixtures.js';

// The test Dovecot listens on loopback, which the target guard allows only when told to (as in dev).
const LOOPBACK = { allowPrivate: true };

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
    await expect(testMailboxConnection(connection, { hostPolicy: LOOPBACK })).resolves.toEqual({ ok: true, messages: 1, uidNext: 2 });
  });

  it('throws MailboxAuthError for a wrong password, without the password in the message', async () => {
    const { connection } = await newMailbox();
    const error = await testMailboxConnection({ ...connection, password: 'S3cret-guess' }, { hostPolicy: LOOPBACK }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailboxAuthError);
    expect(JSON.stringify({ message: (error as Error).message, cause: String((error as Error).cause) })).not.toContain('S3cret-guess');
  });

  it('throws a non-retryable MailboxUnreachableError for a missing folder', async () => {
    const { connection } = await newMailbox();
    const error = await testMailboxConnection({ ...connection, folder: 'Does/Not/Exist' }, { hostPolicy: LOOPBACK }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailboxUnreachableError);
    expect(error).toMatchObject({ type: 'MailboxUnreachable', retryable: false });
  });

  it('throws a retryable MailboxUnreachableError when nothing listens', async () => {
    const error = await testMailboxConnection({ host: '127.0.0.1', port: 1, secure: false, user: 'x', password: 'y' }, { hostPolicy: LOOPBACK }).catch((e: unknown) => e);
    expect(error).toMatchObject({ type: 'MailboxUnreachable', retryable: true });
  });
});

describe('snapshotMailbox', () => {
  it('records UIDVALIDITY, UIDNEXT and the time before the request', async () => {
    const { user, connection } = await newMailbox();
    await server.deliver(user, await compose(resetEmail('https://netflux.localhost/reset?t=1')));
    const before = Date.now();
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    expect(snapshot.uidNext).toBe(2);
    expect(snapshot.uidValidity).toMatch(/^\d+$/);
    expect(Date.parse(snapshot.takenAt)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(snapshot.takenAt)).toBeLessThanOrEqual(Date.now());
  });

  it('does not mark messages as seen', async () => {
    const { user, connection } = await newMailbox();
    await server.deliver(user, await compose(resetEmail('https://netflux.localhost/reset?t=1')));
    await snapshotMailbox(connection, LOOPBACK);
    const { ImapFlow } = await import('imapflow');
    const client = new ImapFlow({ ...connection, auth: { user, pass: connection.password }, logger: false });
    await client.connect();
    const status = await client.status('INBOX', { unseen: true });
    await client.logout();
    expect(status && status.unseen).toBe(1);
  });
});

describe('the target guard at every connect', () => {
  // Counts TCP connections: a refused host must not even be dialled.
  let listener: Server;
  let dialled = 0;
  beforeAll(async () => {
    listener = createServer((socket) => {
      dialled += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    await new Promise((resolve) => listener?.close(resolve));
  });
  const listenerPort = () => (listener.address() as { port: number }).port;

  it('refuses a loopback host unless private targets are allowed, without connecting', async () => {
    dialled = 0;
    const connection = { host: 'localhost', port: listenerPort(), secure: false, user: 'x', password: 'y' };
    const error = await testMailboxConnection(connection, { hostPolicy: { allowPrivate: false } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailboxNotAllowedError);
    expect(error).toMatchObject({ type: 'MailboxNotAllowed', retryable: false });
    expect((error as Error).message).toMatch(/loopback/);
    const snapshotError = await snapshotMailbox({ ...connection, host: '0x7f.1' }, { allowPrivate: false }).catch((e: unknown) => e);
    expect(snapshotError).toBeInstanceOf(MailboxNotAllowedError);
    expect(dialled).toBe(0);
  });

  it('refuses a name that resolves to a private address now, whatever it resolved to when saved', async () => {
    dialled = 0;
    const rebinding = { allowPrivate: false, resolver: async () => ['10.0.0.7'] };
    const connection = { host: 'imap.example.com', port: listenerPort(), secure: false, user: 'x', password: 'y' };
    const error = await testMailboxConnection(connection, { hostPolicy: rebinding }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailboxNotAllowedError);
    expect((error as Error).message).toContain('imap.example.com resolves to 10.0.0.7');
    expect(dialled).toBe(0);
  });

  it('connects to the address it checked, never to the name again', async () => {
    const { user, connection } = await newMailbox();
    await server.deliver(user, await compose(resetEmail('https://netflux.localhost/reset?t=1')));
    // The name exists only in this resolver: a client that looked it up again would fail.
    let lookups = 0;
    const pinned = { allowPrivate: true, resolver: async () => (lookups++, [server.host]) };
    const named = { ...connection, host: 'imap.rekey-pinning.invalid' };
    await expect(testMailboxConnection(named, { hostPolicy: pinned })).resolves.toMatchObject({ ok: true, messages: 1 });
    await expect(snapshotMailbox(named, pinned)).resolves.toMatchObject({ uidNext: 2 });
    expect(lookups).toBe(2);
  });

  it('tries the next checked address when one refuses the connection', async () => {
    const { connection } = await newMailbox();
    // 127.0.0.2 is loopback too, but Dovecot listens on 127.0.0.1 only: refused, then the next one works.
    const twoAddresses = { allowPrivate: true, resolver: async () => ['127.0.0.2', server.host] };
    await expect(testMailboxConnection({ ...connection, host: 'imap.rekey-two.invalid' }, { hostPolicy: twoAddresses })).resolves.toMatchObject({ ok: true });
  });

  it('treats a name that does not resolve as unreachable for now (retryable)', async () => {
    const nowhere = { allowPrivate: false, resolver: async () => Promise.reject(new Error('ENOTFOUND')) };
    const error = await testMailboxConnection({ host: 'imap.rekey-nowhere.invalid', port: 993, secure: true, user: 'x', password: 'y' }, { hostPolicy: nowhere }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailboxUnreachableError);
    expect(error).toMatchObject({ type: 'MailboxUnreachable', retryable: true });
  });
});
