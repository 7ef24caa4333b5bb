// The demo from any place: the sandbox's Dovecot keeps its files where
// sandbox/main.ts puts them (<checkout>/data/sandbox/mail), here a checkout
// inside a directory only its owner can enter (a clone in root's home, or a
// `mktemp -d` folder). A person presses "Try the sandbox" (POST
// /api/sandbox/provision), then asks the chat to "Reset my Paper Crane
// password" — and the reset completes through the sandbox mailbox.
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/free-port.js';
import { provisionDemo } from '../../sandbox/provision.js';
import { sandboxInfoFile, type SandboxInfo } from '../../sandbox/sandbox-info.js';
import { startResetHarness, type ResetHarness } from '../support/reset-harness.js';
import { createResetApi, request, signedInPerson, type ResetApi } from './tasks-support.js';

describe('the sandbox demo from a checkout in a private directory', () => {
  let parent: string;
  let mailBaseDir: string;
  let h: ResetHarness;
  let api: ResetApi;
  let control: ServerType;

  beforeAll(async () => {
    parent = mkdtempSync(path.join(tmpdir(), 'rekey-home-'));
    chmodSync(parent, 0o700);
    mailBaseDir = path.join(parent, 'rekey', 'data', 'sandbox', 'mail');
    mkdirSync(mailBaseDir, { recursive: true });
    h = await startResetHarness({ sites: ['papercrane'], mailBaseDir });
    api = createResetApi({ config: h.config, db: h.db, catalog: h.catalog, streams: { pollIntervalMs: 200 } });
    // What the sandbox process serves on loopback (sandbox/main.ts), for this harness's sites and Dovecot.
    const app = new Hono().post('/provision', async (c) => {
      const body = (await c.req.json().catch(() => ({}))) as { label?: string };
      return c.json(await provisionDemo({ sandbox: h.sandbox, dovecot: h.dovecot, label: String(body.label ?? 'demo') }));
    });
    const port = await freePort();
    control = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
    const info: SandboxInfo = {
      webPort: h.sandbox.port,
      imap: { host: h.dovecot.host, port: h.dovecot.port },
      provisionUrl: `http://127.0.0.1:${port}/provision`,
      controlUrl: h.sandbox.controlUrl,
      sites: h.sandbox.sites,
    };
    mkdirSync(path.dirname(sandboxInfoFile(h.config)), { recursive: true });
    writeFileSync(sandboxInfoFile(h.config), JSON.stringify(info));
  });
  afterAll(async () => {
    control?.close();
    await api?.close();
    await h?.close();
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it('"Try the sandbox", then "Reset my Paper Crane password" completes', { timeout: 150_000 }, async () => {
    expect(statSync(parent).mode & 0o777).toBe(0o700);
    expect(h.dovecot.baseDir.startsWith(parent)).toBe(true);
    // A newcomer: no mailbox, no vault entry.
    const user = await h.db.user.create({ data: { email: `${randomUUID()}@example.com`, name: 'Newcomer' } });
    const me = await signedInPerson(h.db, user.id);

    const provisioned = await request(api, 'POST', '/api/sandbox/provision', { person: me });
    expect(provisioned.status).toBe(200);
    const { mailbox, accounts } = (await provisioned.json()) as { mailbox: { user: string }; accounts: { slug: string; entryId: string }[] };
    expect(accounts.map((a) => a.slug)).toEqual(['papercrane']);

    const res = await request(api, 'POST', '/api/chat/reset', { person: me, body: { message: 'Reset my Paper Crane password' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text, text).toContain('data: <!-- section:result -->\ndata: Password reset complete! New password saved to vault.');
    const current = await h.vault.password(user.id, accounts[0]!.entryId, 'current');
    expect(h.sandbox.checkPassword('papercrane', mailbox.user, current!)).toBe(true);
    expect(readFileSync(h.dovecot.logPath, 'utf8')).not.toMatch(/Permission denied/);
    // The private directory was left as it was.
    expect(statSync(parent).mode & 0o777).toBe(0o700);
  });
});
