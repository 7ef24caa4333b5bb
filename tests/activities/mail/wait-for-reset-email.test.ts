import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EmailTimeoutError,
  MailboxAuthError,
  MailboxUnreachableError,
} from '../../../activities/mail/errors.js';
import type { MailboxConnection } from '../../../activities/mail/imap-connection.js';
import { snapshotMailbox } from '../../../activities/mail/snapshot-mailbox.js';
import {
  waitForResetEmail,
  type WaitForResetEmailOptions,
  type WaitProgress,
} from '../../../activities/mail/wait-for-reset-email.js';
import { startDovecot, type DovecotServer } from '../../../sandbox/mail/dovecot.js';
import { startTcpProxy } from '../../support/tcp-proxy.js';
import { NETFLUX, codeEmail, compose, phishingEmail, resetEmail, uniqueUser } from './fixtures.js';

// The test Dovecot listens on loopback, which the target guard allows only when told to (as in dev).
const LOOPBACK = { allowPrivate: true };
const FAST = { pollIntervalMs: 500, reconnectMinMs: 100, reconnectMaxMs: 500, maxOutageMs: 15_000 };
const link = (name: string) => `https://netflux.localhost/reset?token=${name}`;

let server: DovecotServer;
let phishingSite: Server;
let phishingHits = 0;

beforeAll(async () => {
  server = await startDovecot();
  // Stands in for the attacker's site: the watcher must never open a link, least of all this one.
  phishingSite = createServer((_req, res) => {
    phishingHits += 1;
    res.end('gotcha');
  });
  await new Promise<void>((resolve) => phishingSite.listen(0, '127.0.0.1', resolve));
}, 30_000);

afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => phishingSite?.close(resolve));
});

async function newMailbox(): Promise<{ user: string; connection: MailboxConnection }> {
  const user = uniqueUser('wait');
  const password = `pw:${user} é`;
  await server.addUser(user, password);
  return { user, connection: { host: server.host, port: server.port, secure: false, user, password } };
}

/** Starts a wait and resolves `watching` once its first scan is done (the session is open). */
function startWait(options: Omit<WaitForResetEmailOptions, 'service' | 'kind' | 'hostPolicy'> & Partial<WaitForResetEmailOptions>) {
  let markWatching: () => void = () => undefined;
  const watching = new Promise<void>((resolve) => (markWatching = resolve));
  const progress: WaitProgress[] = [];
  const result = waitForResetEmail({
    service: NETFLUX,
    kind: 'link',
    hostPolicy: LOOPBACK,
    ...options,
    timing: { ...FAST, ...options.timing },
    onProgress: (p) => {
      progress.push(p);
      options.onProgress?.(p);
      markWatching();
    },
  });
  result.catch(() => undefined);
  return { result, watching, progress };
}

const deliver = async (user: string, mail: Parameters<typeof compose>[0], internalDate?: Date) =>
  server.deliver(user, await compose(mail), internalDate ? { internalDate } : {});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('waitForResetEmail against a real Dovecot', { timeout: 30_000 }, () => {
  it('ignores an older reset email from the same site and times out with EmailTimeoutError', async () => {
    const { user, connection } = await newMailbox();
    await deliver(user, resetEmail(link('expired')));
    const snapshot = await snapshotMailbox(connection, LOOPBACK);

    const error = await waitForResetEmail({ hostPolicy: LOOPBACK, connection, snapshot, service: NETFLUX, kind: 'link', timeoutMs: 1_500, timing: FAST }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailTimeoutError);
    expect((error as EmailTimeoutError).type).toBe('EmailTimeout');
  });

  it('finds the new reset email and skips the old one', async () => {
    const { user, connection } = await newMailbox();
    await deliver(user, resetEmail(link('expired')));
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    const uid = await deliver(user, resetEmail(link('fresh')));

    const found = await waitForResetEmail({ hostPolicy: LOOPBACK, connection, snapshot, service: NETFLUX, kind: 'link', timeoutMs: 5_000, timing: FAST });
    expect(found).toEqual({ uid, kind: 'link', link: link('fresh'), authentication: 'unauthenticated', rejected: [] });
  });

  it('reports a look-alike with the right display name, never chooses or opens it', async () => {
    const { user, connection } = await newMailbox();
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    const { port } = phishingSite.address() as AddressInfo;
    const phishingLink = `http://localhost:${port}/reset?token=steal`;
    const validUid = await deliver(user, resetEmail(link('real')));
    const phishingUid = await deliver(user, phishingEmail(phishingLink)); // newer than the real one

    const found = await waitForResetEmail({ hostPolicy: LOOPBACK, connection, snapshot, service: NETFLUX, kind: 'link', timeoutMs: 5_000, timing: FAST });
    expect(found).toEqual({
      uid: validUid,
      kind: 'link',
      link: link('real'),
      authentication: 'unauthenticated',
      rejected: [{ uid: phishingUid, reason: 'link_host_not_allowed', host: 'localhost' }],
    });

    // Alone in the mailbox, the look-alike is still never chosen.
    const next = await snapshotMailbox(connection, LOOPBACK);
    const onlyPhishing = await deliver(user, phishingEmail(phishingLink));
    const error = await waitForResetEmail({ hostPolicy: LOOPBACK, connection, snapshot: next, service: NETFLUX, kind: 'link', timeoutMs: 1_500, timing: FAST }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailTimeoutError);
    expect((error as EmailTimeoutError).rejected).toEqual([{ uid: onlyPhishing, reason: 'link_host_not_allowed', host: 'localhost' }]);
    expect(phishingHits).toBe(0);
  });

  it('reads a one-time code', async () => {
    const { user, connection } = await newMailbox();
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    const uid = await deliver(user, codeEmail('482913'));

    const found = await waitForResetEmail({ hostPolicy: LOOPBACK, connection, snapshot, service: NETFLUX, kind: 'code', timeoutMs: 5_000, timing: FAST });
    expect(found).toEqual({ uid, kind: 'code', code: '482913', authentication: 'unauthenticated', rejected: [] });
  });

  it('wakes up on IDLE when the email arrives (latency printed, not asserted)', async () => {
    const { user, connection } = await newMailbox();
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    // Polling is pushed past the wait's own end: only IDLE can deliver the news at all.
    const wait = startWait({ connection, snapshot, timeoutMs: 20_000, timing: { idlePollIntervalMs: 60_000, eagerPollIntervalMs: 60_000 } });
    await wait.watching;
    await sleep(300); // let the session enter IDLE
    const raw = await compose(resetEmail(link('idle')));
    const sentAt = performance.now();
    const uid = await server.deliver(user, raw);
    const delivered = performance.now();
    const found = await wait.result;
    const done = performance.now();
    expect(found).toMatchObject({ uid, link: link('idle') });
    console.info(
      `[mail] IDLE latency: ${Math.round(done - delivered)} ms from APPEND completed to result ` +
        `(${Math.round(done - sentAt)} ms from APPEND sent; Dovecot 2.3 holds IDLE notifications back 500 ms)`,
    );
  });

  it('falls back to polling when the server does not offer IDLE', async () => {
    const noIdle = await startDovecot({
      extraConfig: 'imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE LITERAL+ UIDPLUS ESEARCH',
    });
    try {
      const user = uniqueUser('poll');
      await noIdle.addUser(user, 'pw');
      const connection = { host: noIdle.host, port: noIdle.port, secure: false, user, password: 'pw' };
      const snapshot = await snapshotMailbox(connection, LOOPBACK);
      const wait = startWait({ connection, snapshot, timeoutMs: 10_000, timing: { pollIntervalMs: 300, idlePollIntervalMs: 60_000 } });
      await wait.watching;
      const uid = await noIdle.deliver(user, await compose(resetEmail(link('polled'))));
      await expect(wait.result).resolves.toMatchObject({ uid, link: link('polled') });
    } finally {
      await noIdle.stop();
    }
  }, 30_000);

  it('resumes from the last heartbeat: nothing missed, nothing counted twice', async () => {
    const { user, connection } = await newMailbox();
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    const { port } = phishingSite.address() as AddressInfo;
    const phishingUid = await deliver(user, phishingEmail(`http://localhost:${port}/r?t=1`));
    await deliver(user, { from: 'Friend <friend@example.test>', subject: 'Lunch?', text: 'Tomorrow at noon?' });

    // First attempt: examines both, then "crashes" (times out) before the reset email comes.
    const first = startWait({ connection, snapshot, timeoutMs: 1_500 });
    await expect(first.result).rejects.toBeInstanceOf(EmailTimeoutError);
    const heartbeat = first.progress.at(-1);
    expect(heartbeat).toMatchObject({ lastUid: phishingUid + 1, rejected: [{ uid: phishingUid }] });

    // The reset email lands between the attempts: the retry starts where the heartbeat left off.
    const uid = await deliver(user, resetEmail(link('after-crash')));
    const resume = { hostPolicy: LOOPBACK, connection, snapshot, service: NETFLUX, kind: 'link' as const, timing: FAST };
    const resumed = await waitForResetEmail({ ...resume, timeoutMs: 5_000, resumeFrom: heartbeat });
    expect(resumed).toEqual({
      uid,
      kind: 'link',
      link: link('after-crash'),
      authentication: 'unauthenticated',
      rejected: [{ uid: phishingUid, reason: 'link_host_not_allowed', host: 'localhost' }],
    });

    // Had a previous attempt examined it already, it is not looked at again.
    const error = await waitForResetEmail({ ...resume, timeoutMs: 1_000, resumeFrom: { ...heartbeat!, lastUid: uid } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailTimeoutError);
    expect((error as EmailTimeoutError).rejected).toHaveLength(1);
  });

  it('reconnects after the server drops the session and after a Dovecot restart', async () => {
    const { user, connection } = await newMailbox();
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    const wait = startWait({ connection, snapshot, timeoutMs: 30_000 });
    await wait.watching;

    await server.kick(user);
    await sleep(300);
    await server.restart();
    const uid = await deliver(user, resetEmail(link('after-restart')));
    await expect(wait.result).resolves.toMatchObject({ uid, link: link('after-restart') });
  }, 40_000);

  it('falls back to INTERNALDATE when UIDVALIDITY changes', async () => {
    const { user, connection } = await newMailbox();
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    await deliver(user, resetEmail(link('before-request')), hourAgo);
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    const wait = startWait({ connection, snapshot, timeoutMs: 20_000 });
    await wait.watching;

    // The provider rebuilds the mailbox: new UIDVALIDITY, and an old email re-imported with a
    // higher UID than the fresh one. UIDs mean nothing now; arrival dates still do.
    await server.setUidValidity(user, Number(snapshot.uidValidity) + 1000);
    const uid = await deliver(user, resetEmail(link('fresh')));
    await deliver(user, resetEmail(link('reimported')), hourAgo);
    await expect(wait.result).resolves.toMatchObject({ uid, link: link('fresh') });
  }, 30_000);

  it('fails fast with MailboxAuthError on a wrong password: one login, no retries', async () => {
    const { connection } = await newMailbox();
    const snapshot = { uidValidity: '1', uidNext: 1, takenAt: new Date().toISOString() };
    // Counted, not timed: every attempt is a connection through this proxy.
    const proxy = await startTcpProxy({ host: server.host, port: server.port });
    try {
      const error = await waitForResetEmail({
        hostPolicy: LOOPBACK,
        connection: { ...connection, port: proxy.port, password: 'wrong' },
        snapshot,
        service: NETFLUX,
        kind: 'link',
        timeoutMs: 10_000,
        timing: FAST,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MailboxAuthError);
      expect((error as MailboxAuthError).type).toBe('MailboxAuth');
      expect(proxy.connections).toBe(1);
    } finally {
      await proxy.close();
    }
  });

  it('gives up with MailboxUnreachableError when the server stays away', async () => {
    const snapshot = { uidValidity: '1', uidNext: 1, takenAt: new Date().toISOString() };
    const connection = { host: '127.0.0.1', port: 1, secure: false, user: 'nobody', password: 'x' };
    const error = await waitForResetEmail({ hostPolicy: LOOPBACK, connection, snapshot, service: NETFLUX, kind: 'link', timeoutMs: 10_000, timing: { ...FAST, maxOutageMs: 800 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MailboxUnreachableError);
    expect((error as MailboxUnreachableError).type).toBe('MailboxUnreachable');
  });

  it('stops when the activity is cancelled', async () => {
    const { connection } = await newMailbox();
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    const controller = new AbortController();
    const wait = startWait({ connection, snapshot, timeoutMs: 600_000, signal: controller.signal });
    await wait.watching;
    controller.abort(new Error('cancelled'));
    // The abort's own error. A wait that ignored it would run for its 10 minutes: the test's timeout fails it.
    await expect(wait.result).rejects.toThrow('cancelled');
  });
});
