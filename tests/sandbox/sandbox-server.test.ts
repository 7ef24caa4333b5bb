import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createSandboxClient, SandboxControlError, startSandbox, type Sandbox } from '../../sandbox/sites/index.js';
import { buildMimeMessage, encodeQuotedPrintable } from '../../sandbox/sites/mail.js';
import { createMailRecorder } from './helpers.js';

// The sandbox server without a browser: routing by Host, real 404s, the
// /.well-known/change-password probes, foreign hosts, the control API,
// persistence, and the shape of the emails.

const PROBE = '/.well-known/resource-that-should-not-exist-whose-status-code-should-not-be-200';
const WELL_KNOWN: Record<string, string> = {
  papercrane: '/password/forgot',
  ledgerly: '/signin/recover',
  maisonlune: '/mot-de-passe-oublie',
  tidepool: '/settings/security/password-recovery',
};

let sandbox: Sandbox;
const mail = createMailRecorder();
const texts: { phone: string; text: string }[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ deliver: mail.deliver, sms: (phone, text) => texts.push({ phone, text }) });
});
afterAll(async () => sandbox?.stop());

/** Requests the nimbus JSON API, as the SPA does, and returns the reset link from the email. */
async function nimbusResetLink(target: Sandbox, recorder: ReturnType<typeof createMailRecorder>, email: string): Promise<string> {
  const sent = await target.fetch(`${target.origin('nimbus')}/api/v1/password/forgot`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email }),
  });
  expect(sent.status).toBe(202);
  const message = await recorder.waitFor(email, recorder.count(email) || 1);
  const link = /href="([^"]*\/reset-password\?token=[^"]+)"/.exec(String(message.parsed.html))?.[1];
  if (!link) throw new Error('no reset link');
  return link;
}

async function nimbusReset(target: Sandbox, link: string, password: string): Promise<Response> {
  return target.fetch(`${target.origin('nimbus')}/api/v1/password/reset`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: new URL(link).searchParams.get('token'), password }),
  });
}

describe('sandbox server', () => {
  test('serves the 14 sites, each with its own name, language and kind', () => {
    expect(sandbox.sites).toHaveLength(14);
    expect(new Set(sandbox.sites.map((s) => s.name)).size).toBe(14);
    expect(new Set(sandbox.sites.map((s) => s.kind)).size).toBe(14);
    expect(sandbox.sites.map((s) => s.otp).sort()).toEqual(['email_code', 'manual', ...Array(11).fill('none'), 'totp']);
    expect(sandbox.sites.filter((s) => s.captcha).map((s) => s.slug)).toEqual(['ticketly']);
    expect(sandbox.site('maisonlune').language).toBe('fr-FR');
    expect(sandbox.site('tidepool').resetUrl).toBeUndefined();
    for (const site of sandbox.sites) {
      expect(site.origin).toBe(`http://${site.slug}.localhost:${sandbox.port}`);
      expect(site.loginUrl.startsWith(site.origin)).toBe(true);
    }
  });

  test('every site answers its pages, and 404 for unknown paths (the W3C change-password probe)', async () => {
    for (const site of sandbox.sites) {
      for (const url of [site.homeUrl, site.loginUrl, ...(site.resetUrl ? [site.resetUrl.replace(/#.*$/, '')] : [])]) {
        expect((await sandbox.fetch(url)).status, url).toBe(200);
      }
      const probe = await sandbox.fetch(`${site.origin}${PROBE}`);
      expect(probe.status, site.slug).toBe(404);
      expect(await probe.text()).toContain('<html');
      expect((await sandbox.fetch(`${site.origin}/no/such/page`)).status).toBe(404);
    }
  });

  test('/.well-known/change-password redirects where a site supports it, 404 elsewhere', async () => {
    for (const site of sandbox.sites) {
      const response = await sandbox.fetch(`${site.origin}/.well-known/change-password`);
      const target = WELL_KNOWN[site.slug];
      if (target) {
        expect(response.status, site.slug).toBe(302);
        expect(response.headers.get('location')).toBe(target);
        expect(site.changePasswordUrl).toBe(`${site.origin}/.well-known/change-password`);
        expect((await sandbox.fetch(`${site.origin}${target}`)).status).toBe(200);
      } else {
        expect(response.status, site.slug).toBe(404);
        expect(site.changePasswordUrl).toBeUndefined();
      }
    }
  });

  test('requests for any other host are answered 404 and recorded, per host', async () => {
    sandbox.clearRequestLog();
    const evil = `http://evil-papercrane.localhost:${sandbox.port}/password/reset/abc?email=x`;
    expect((await sandbox.fetch(evil)).status).toBe(404);
    expect((await sandbox.fetch(`http://www.papercrane.localhost:${sandbox.port}/`)).status).toBe(404);
    expect(sandbox.requestLog('evil-papercrane')).toEqual([
      { host: 'evil-papercrane.localhost', method: 'GET', path: '/password/reset/abc?email=x', status: 404, at: expect.any(Number) },
    ]);
    expect(sandbox.requestLog('www.papercrane.localhost')).toHaveLength(1);
    expect(sandbox.requestLog('papercrane')).toEqual([]);
    expect(sandbox.requestLog('evil-ledgerly')).toEqual([]);
  });

  test('the control API offers the same controls as JSON, on 127.0.0.1/_sandbox and control.localhost', async () => {
    const base = sandbox.controlUrl;
    expect(base).toBe(`http://127.0.0.1:${sandbox.port}/_sandbox`);
    const json = (body: unknown) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const sites = (await (await fetch(`${base}/sites`)).json()) as { items: { slug: string }[] };
    expect(sites.items.map((s) => s.slug)).toContain('telewave');
    const viaHost = await sandbox.fetch(`http://control.localhost:${sandbox.port}/health`);
    expect(await viaHost.json()).toMatchObject({ status: 'ok', port: sandbox.port });

    const created = await fetch(`${base}/sites/telewave/users`, json({ email: 'Ctl@Example.com', password: 'Ctl1Password', phone: '+447700900999' }));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ email: 'ctl@example.com', passwordChanges: 0, hasTotp: false, phone: '+447700900999' });
    expect((await fetch(`${base}/sites/telewave/users`, json({ email: 'ctl@example.com', password: 'x' }))).status).toBe(409);
    expect((await fetch(`${base}/sites/telewave/users`, json({ email: 'ctl@example.com', password: 'x', onConflict: 'keep' }))).status).toBe(201);
    const invalid = await fetch(`${base}/sites/telewave/users`, json({ email: 'not-an-email', password: 'x' }));
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'invalid_body', message: expect.stringContaining('email') } });
    expect((await fetch(`${base}/sites/nowhere/users/a@b.c`)).status).toBe(404);

    expect(await (await fetch(`${base}/sites/telewave/users/ctl%40example.com`)).json()).toMatchObject({ email: 'ctl@example.com' });
    expect(await (await fetch(`${base}/sites/telewave/users/ctl@example.com/check-password`, json({ password: 'Ctl1Password' }))).json()).toEqual({ ok: true });
    expect(await (await fetch(`${base}/sites/telewave/users/ctl@example.com/check-password`, json({ password: 'nope' }))).json()).toEqual({ ok: false });
    expect((await fetch(`${base}/sites/telewave/users/ctl@example.com/sms`)).status).toBe(404);

    // Walk the telewave reset far enough for a text to be sent, then read the code over HTTP.
    await sandbox.fetch(`${sandbox.origin('telewave')}/my/forgotten-password`, { method: 'POST', body: new URLSearchParams({ email: 'ctl@example.com' }) });
    const link = /href="([^"]*\/my\/reset\?key=[^"]+)"/.exec(String((await mail.waitFor('ctl@example.com')).parsed.html))?.[1] ?? '';
    expect((await sandbox.fetch(link)).status).toBe(200);
    const sms = (await (await fetch(`${base}/sites/telewave/users/ctl@example.com/sms`)).json()) as { code: string };
    expect(sms.code).toBe(sandbox.lastSmsCode('telewave', 'ctl@example.com'));
    expect(texts.at(-1)?.text).toContain(sms.code);

    const log = (await (await fetch(`${base}/requests?host=telewave`)).json()) as { items: { path: string }[] };
    expect(log.items.map((r) => r.path)).toContain('/my/forgotten-password');
    const before = sandbox.now();
    const advanced = (await (await fetch(`${base}/clock/advance`, json({ ms: 60_000 }))).json()) as { now: string };
    expect(Date.parse(advanced.now) - before).toBeGreaterThanOrEqual(60_000);
    expect((await fetch(`${base}/sites/ticketly/captcha`)).status).toBe(404);
  });

  test('createSandboxClient drives the same controls from another process', async () => {
    const client = createSandboxClient(sandbox.controlUrl);
    expect((await client.sites()).map((s) => s.slug)).toEqual(sandbox.sites.map((s) => s.slug));
    const created = await client.createUser('keystone', { email: 'remote@example.com', password: 'Remote-1', totpSecret: 'JBSWY3DPEHPK3PXP' });
    expect(created).toMatchObject({ email: 'remote@example.com', hasTotp: true, passwordChanges: 0 });
    await expect(client.createUser('keystone', { email: 'remote@example.com', password: 'x' })).rejects.toBeInstanceOf(SandboxControlError);
    expect(await client.getUser('keystone', 'remote@example.com')).toMatchObject({ id: created.id });
    expect(await client.getUser('keystone', 'nobody@example.com')).toBeUndefined();
    expect(await client.checkPassword('keystone', 'remote@example.com', 'Remote-1')).toBe(true);
    expect(await client.lastSmsCode('keystone', 'remote@example.com')).toBeUndefined();
    expect(await client.captchaSolution('ticketly')).toBeUndefined();
    await sandbox.fetch(`${sandbox.origin('keystone')}/`);
    expect((await client.requestLog('keystone')).at(-1)).toMatchObject({ method: 'GET', path: '/', status: 200 });
    await client.clearRequestLog('keystone');
    expect(await client.requestLog('keystone')).toEqual([]);
    const before = sandbox.now();
    await client.advanceClock(1000);
    expect(sandbox.now() - before).toBeGreaterThanOrEqual(1000);
  });

  test('reset emails are multipart text + HTML from no-reply@<slug>.localhost, with one reset link', async () => {
    const email = 'mime@example.com';
    sandbox.createUser('nimbus', { email, password: 'mime-type-1' });
    const link = await nimbusResetLink(sandbox, mail, email);
    const message = mail.messages.filter((m) => m.to === email).at(-1);
    const raw = message?.raw ?? '';
    const { parsed } = message ?? { parsed: await simpleParser('') };

    expect(raw).toMatch(/^From: "Nimbus Notes" <no-reply@nimbus\.localhost>\r\n/);
    expect(raw).toMatch(/\r\nContent-Type: multipart\/alternative; boundary="/);
    expect(raw).not.toMatch(/[^\r]\n/); // CRLF line ends only
    expect(parsed.messageId).toMatch(/@nimbus\.localhost>$/);
    expect(Math.abs((parsed.date?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(parsed.to && 'text' in parsed.to ? parsed.to.text : '').toBe(email);
    expect(parsed.text).toContain(link);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-generated');

    const html = String(parsed.html);
    expect(html).toContain(`<img src="${sandbox.origin('nimbus')}/static/email-logo.png"`);
    const hrefs = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(hrefs.every((href) => href.startsWith(sandbox.origin('nimbus')))).toBe(true);
    expect(new Set(hrefs.filter((href) => href.includes('token=')))).toEqual(new Set([link]));
    expect(hrefs.some((href) => href.endsWith('/privacy'))).toBe(true);
    expect(hrefs.some((href) => href.includes('/email/unsubscribe'))).toBe(true);
    for (const href of hrefs.filter((h) => !h.includes('token='))) expect((await sandbox.fetch(href)).status, href).toBe(200);
    expect((await sandbox.fetch(`${sandbox.origin('nimbus')}/static/email-logo.png`)).headers.get('content-type')).toBe('image/png');
  });

  test('quoted-printable bodies survive long lines, "=" in URLs and non-ASCII text', async () => {
    const url = `http://maisonlune.localhost:1/reinitialiser-mot-de-passe?jeton=${'x'.repeat(90)}&a=b`;
    const text = `Réinitialisez votre mot de passe : ${url}  \nÀ bientôt — l’équipe`;
    const encoded = encodeQuotedPrintable(text);
    expect(encoded.split('\r\n').every((line) => line.length <= 76)).toBe(true);
    const parsed = await simpleParser(buildMimeMessage({ from: '"Maison Lune" <no-reply@maisonlune.localhost>', to: 'a@b.c', subject: 'Réinitialisation', text, html: `<a href="${url}">x</a>` }));
    expect(parsed.subject).toBe('Réinitialisation');
    expect(parsed.text?.trimEnd()).toBe(text);
    expect(String(parsed.html)).toContain(`href="${url}"`);
  });

  test('with dataDir, accounts and changed passwords survive a restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'rekey-sandbox-data-'));
    const recorder = createMailRecorder();
    try {
      const first = await startSandbox({ deliver: recorder.deliver, dataDir, sites: ['nimbus'] });
      first.createUser('nimbus', { email: 'keep@example.com', password: 'before-restart-1' });
      const link = await nimbusResetLink(first, recorder, 'keep@example.com');
      expect((await nimbusReset(first, link, 'after-reset-2')).status).toBe(200);
      const port = first.port;
      await first.stop();

      const stored = JSON.parse(await readFile(join(dataDir, 'nimbus.json'), 'utf8')) as { users: { email: string; passwordHash: string }[] };
      expect(stored.users[0]?.email).toBe('keep@example.com');
      expect(JSON.stringify(stored)).not.toContain('after-reset-2');

      const second = await startSandbox({ deliver: recorder.deliver, dataDir, sites: ['nimbus'], port });
      try {
        expect(second.getUser('nimbus', 'keep@example.com')?.passwordChanges).toBe(1);
        expect(second.checkPassword('nimbus', 'keep@example.com', 'after-reset-2')).toBe(true);
        expect(() => second.createUser('nimbus', { email: 'keep@example.com', password: 'x' })).toThrow(/already exists/);
        expect((await nimbusReset(second, link, 'third-try-3')).status).toBe(409); // the used link stays used
        const login = await second.fetch(`${second.origin('nimbus')}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'keep@example.com', password: 'after-reset-2' }),
        });
        expect(login.status).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  test('delivers into a real IMAP mailbox through the sandbox Dovecot', { timeout: 30_000 }, async () => {
    const { startDovecot } = await import('../../sandbox/mail/dovecot.js');
    const dovecot = await startDovecot();
    const withImap = await startSandbox({ deliver: async (to, raw) => void (await dovecot.deliver(to, raw)), sites: ['orbit'] });
    try {
      await dovecot.addUser('imap@example.com', 'mailbox-pw');
      withImap.createUser('orbit', { email: 'imap@example.com', password: 'orbit-old-1' });
      const response = await withImap.fetch(`${withImap.origin('orbit')}/auth/forgot`, { method: 'POST', body: new URLSearchParams({ email: 'imap@example.com' }) });
      expect(response.status).toBe(200);

      const client = new ImapFlow({ host: dovecot.host, port: dovecot.port, secure: false, auth: { user: 'imap@example.com', pass: 'mailbox-pw' }, logger: false });
      await client.connect();
      try {
        await client.mailboxOpen('INBOX');
        const [message] = await client.fetchAll('1:*', { uid: true, source: true, envelope: true }, { uid: true });
        expect(message?.envelope?.from?.[0]?.address).toBe('no-reply@orbit.localhost');
        const parsed = await simpleParser(message?.source ?? Buffer.alloc(0));
        expect(parsed.subject).toBe('Reset your Orbit Travel password');
        expect(String(parsed.html)).toMatch(new RegExp(`href="${withImap.origin('orbit')}/auth/reset/[\\w-]+"`));
      } finally {
        await client.logout();
      }
    } finally {
      await withImap.stop();
      await dovecot.stop();
    }
  });
});
