// `From:` is only a claim. Over a real Dovecot, with DKIM keys made by the test
// and published through an injected resolver: a forged sender with a link on
// the service's own domain (carrying the attacker's token) is refused and never
// chosen, a message the service really signed is, the person's provider's
// verdict counts (its own header, not one the sender wrote lower down), an
// unauthenticated message is accepted under the sender and link rules and says
// so, and a link on a third-party host is reported, never opened.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailTimeoutError } from '../../../activities/mail/errors.js';
import type { MailboxConnection } from '../../../activities/mail/imap-connection.js';
import { snapshotMailbox } from '../../../activities/mail/snapshot-mailbox.js';
import { waitForResetEmail, type WaitForResetEmailOptions } from '../../../activities/mail/wait-for-reset-email.js';
import { startDovecot, type DovecotServer } from '../../../sandbox/mail/dovecot.js';
import { NETFLUX, compose, dkimKey, resetEmail, resolverFor, stamp, uniqueUser } from './fixtures.js';

const LOOPBACK = { allowPrivate: true };
const FAST = { pollIntervalMs: 300, reconnectMinMs: 100, reconnectMaxMs: 500, maxOutageMs: 15_000 };
// What the person's mail provider writes in its Authentication-Results headers.
const PROVIDER = 'mx.mail.localhost';
const link = (token: string) => `https://netflux.localhost/reset?token=${token}`;

const service = dkimKey('netflux.localhost');
const attacker = dkimKey('attacker.example');
const resolver = resolverFor(service, attacker);

let server: DovecotServer;
let thirdParty: Server;
let thirdPartyHits = 0;

beforeAll(async () => {
  server = await startDovecot();
  // A click-tracking host outside the service: nothing may ever fetch from it.
  thirdParty = createServer((_req, res) => {
    thirdPartyHits += 1;
    res.writeHead(302, { location: link('tracked') }).end();
  });
  await new Promise<void>((resolve) => thirdParty.listen(0, '127.0.0.1', resolve));
}, 30_000);

afterAll(async () => {
  await server?.stop();
  await new Promise((resolve) => thirdParty?.close(resolve));
});

async function newMailbox(): Promise<{ user: string; connection: MailboxConnection }> {
  const user = uniqueUser('auth');
  const password = `pw:${user}`;
  await server.addUser(user, password);
  return { user, connection: { host: server.host, port: server.port, secure: false, user, password } };
}

function wait(connection: MailboxConnection, snapshot: WaitForResetEmailOptions['snapshot'], timeoutMs: number) {
  return waitForResetEmail({
    connection,
    snapshot,
    service: NETFLUX,
    kind: 'link',
    hostPolicy: LOOPBACK,
    timeoutMs,
    timing: FAST,
    authentication: { resolver, authservIds: [PROVIDER] },
  });
}

const raw = (token: string) => compose(resetEmail(link(token)));

describe('the reset email is chosen by who really sent it (real Dovecot)', { timeout: 30_000 }, () => {
  it('refuses a forged From signed by another domain and picks the genuine, signed email', async () => {
    const { user, connection } = await newMailbox();
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    const genuine = await server.deliver(user, await service.sign(await raw('genuine')));
    // Newer than the genuine one, so it would be chosen first if From decided.
    const forged = await server.deliver(user, await attacker.sign(await raw('attackers-own-account')));

    const found = await wait(connection, snapshot, 10_000);
    expect(found).toMatchObject({ uid: genuine, kind: 'link', link: link('genuine'), authentication: 'dkim_aligned' });
    expect(found.rejected).toEqual([{ uid: forged, reason: 'authentication_failed', host: 'netflux.localhost' }]);
  });

  it('refuses a message whose service signature no longer matches (the link was swapped)', async () => {
    const { user, connection } = await newMailbox();
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    const signed = (await service.sign(await raw('genuine-token'))).toString('latin1');
    const tampered = await server.deliver(user, Buffer.from(signed.replaceAll('genuine-token', 'attacker-token'), 'latin1'));

    const error = await wait(connection, snapshot, 2_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailTimeoutError);
    expect((error as EmailTimeoutError).rejected).toEqual([{ uid: tampered, reason: 'authentication_failed', host: 'netflux.localhost' }]);
  });

  it("follows the provider's topmost verdict, not a pass the sender wrote lower down", async () => {
    const { user, connection } = await newMailbox();
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    const vouched = await server.deliver(
      user,
      stamp(await raw('vouched'), `Authentication-Results: ${PROVIDER}; spf=pass smtp.mailfrom=bounce.netflux.localhost; dkim=none; dmarc=pass header.from=netflux.localhost`),
    );
    // The sender wrote a passing verdict under the provider's name; the provider's own, on top, says fail.
    const written = stamp(await raw('attackers-own-account'), `Authentication-Results: ${PROVIDER}; dmarc=pass header.from=netflux.localhost; dkim=pass header.d=netflux.localhost`);
    const forged = await server.deliver(
      user,
      stamp(written, `Authentication-Results: ${PROVIDER}; spf=fail smtp.mailfrom=netflux.localhost; dkim=none; dmarc=fail (p=reject) header.from=netflux.localhost`),
    );

    const found = await wait(connection, snapshot, 10_000);
    expect(found).toMatchObject({ uid: vouched, link: link('vouched'), authentication: 'provider_verified' });
    expect(found.rejected).toEqual([{ uid: forged, reason: 'authentication_failed', host: 'netflux.localhost' }]);
  });

  it('does not trust an Authentication-Results header from a server that is not the provider', async () => {
    const { user, connection } = await newMailbox();
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    const claimed = await server.deliver(
      user,
      stamp(await attacker.sign(await raw('attackers-own-account')), 'Authentication-Results: mx.attacker.example; dmarc=pass header.from=netflux.localhost'),
    );
    const error = await wait(connection, snapshot, 2_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailTimeoutError);
    expect((error as EmailTimeoutError).rejected).toEqual([{ uid: claimed, reason: 'authentication_failed', host: 'netflux.localhost' }]);
  });

  it('accepts an unauthenticated email under the sender and link rules, and says it was unauthenticated', async () => {
    const { user, connection } = await newMailbox();
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    const plain = await server.deliver(user, await raw('plain'));
    const found = await wait(connection, snapshot, 10_000);
    expect(found).toMatchObject({ uid: plain, link: link('plain'), authentication: 'unauthenticated' });
  });

  it('reports a link on a third-party host and never opens it, not even to see where it leads', async () => {
    const { user, connection } = await newMailbox();
    const snapshot = await snapshotMailbox(connection, LOOPBACK);
    const tracker = `http://127.0.0.1:${(thirdParty.address() as AddressInfo).port}/ls/click?upn=reset-password`;
    const tracked = await server.deliver(
      user,
      await service.sign(
        await compose({
          from: '"Netflux" <no-reply@netflux.localhost>',
          subject: 'Reset your Netflux password',
          html: `<p>Someone asked to reset your password.</p><p><a href="${tracker}">Reset your password</a></p>`,
        }),
      ),
    );
    const error = await wait(connection, snapshot, 2_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmailTimeoutError);
    expect((error as EmailTimeoutError).rejected).toEqual([{ uid: tracked, reason: 'link_host_not_allowed', host: '127.0.0.1' }]);
    expect(thirdPartyHits).toBe(0);
  });
});
