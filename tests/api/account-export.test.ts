// GET /api/account/export holds every record of the person and no secret;
// DELETE /api/account (sudo) removes them all and calls the accountHooks.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken, encrypt } from '../../lib/crypto.js';
import { createMailboxStore } from '../../lib/mailbox/mailbox-store.js';
import { createVaultStore } from '../../lib/vault/vault-store.js';
import { createHarness, enableTwoFactor, errorCode, PASSWORD, type Harness } from './auth-support.js';
import { forEachDatabase } from '../support/test-db.js';

const SECRETS = {
  vaultPassword: 'Vault-Password-Plaintext-42!',
  vaultTotp: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  mailboxPassword: 'imap-password-do-not-leak',
  webhookSecret: 'whsec_do-not-leak-0123456789',
  resetLink: 'https://sandbox.example/reset?token=do-not-leak',
  otpLink: 'otp-token-do-not-leak',
};

/** Gives the person one of everything, with secrets in every encrypted column. */
async function populate(h: Harness, userId: string) {
  const { db, keyring } = h.deps;
  const entry = await createVaultStore({ db, keyring }).createEntry(userId, {
    url: 'https://netflix.example',
    username: 'ada',
    email: 'ada@example.com',
    password: SECRETS.vaultPassword,
    totpSecret: SECRETS.vaultTotp,
    label: 'Streaming',
  });
  await createMailboxStore({ db, keyring }).put(userId, { host: 'imap.example.com', port: 993, secure: true, user: 'ada', password: SECRETS.mailboxPassword });
  const task = await db.task.create({
    data: {
      userId,
      serviceId: 'netflix',
      serviceName: 'Netflix',
      serviceUrl: 'https://netflix.example',
      email: 'ada@example.com',
      vaultEntryId: entry.id,
      accountKey: `netflix:ada-${randomBytes(3).toString('hex')}`,
      workflowId: `reset-${randomBytes(6).toString('hex')}`,
      status: 'completed',
      completedAt: h.clock.now(),
    },
  });
  await db.taskStep.create({ data: { taskId: task.id, name: 'navigate', status: 'completed', position: 0, durationMs: 1200 } });
  await db.taskSecret.create({ data: { taskId: task.id, kind: 'reset_link', valueEnc: encrypt(keyring.purpose('task-secret'), SECRETS.resetLink) } });
  await db.screenshot.create({ data: { taskId: task.id, step: 'navigate', data: new Uint8Array([137, 80, 78, 71]) } });
  const otpLink = `${SECRETS.otpLink}-${randomBytes(4).toString('hex')}`;
  await db.otpToken.create({
    data: {
      taskId: task.id,
      tokenHash: hashToken(otpLink),
      tokenEnc: encrypt(keyring.purpose('task-secret'), otpLink),
      expiresAt: new Date(h.clock.now().getTime() + 600_000),
    },
  });
  await db.resetLock.create({ data: { accountKey: task.accountKey, taskId: task.id } });
  const webhook = await db.webhook.create({
    data: {
      userId,
      url: 'https://hooks.example/rekey',
      secretEnc: encrypt(keyring.purpose('webhook'), SECRETS.webhookSecret),
      events: JSON.stringify(['reset.completed']),
    },
  });
  await db.webhookDelivery.create({
    data: { webhookId: webhook.id, messageId: 'msg_1', eventType: 'reset.completed', payload: '{"secret":"payload"}', attempt: 1, status: 'succeeded' },
  });
  return { entryId: entry.id, taskId: task.id, webhookId: webhook.id };
}

/** Every encrypted/hashed value stored for the person, as it could appear in JSON. */
async function storedSecrets(h: Harness, userId: string): Promise<string[]> {
  const { db } = h.deps;
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  const blobs: Uint8Array[] = [
    user.totpSecretEnc!,
    ...(await db.vaultEntry.findMany({ where: { userId } })).map((e) => e.totpSecretEnc!).filter(Boolean),
    ...(await db.passwordVersion.findMany({ where: { entry: { userId } } })).map((v) => v.secretEnc),
    (await db.mailbox.findUniqueOrThrow({ where: { userId } })).passwordEnc,
    ...(await db.webhook.findMany({ where: { userId } })).map((w) => w.secretEnc),
    ...(await db.taskSecret.findMany({ where: { task: { userId } } })).map((s) => s.valueEnc),
    ...(await db.otpToken.findMany({ where: { task: { userId } } })).map((s) => s.tokenEnc),
  ];
  const encodings = blobs.flatMap((b) => {
    const buf = Buffer.from(b);
    return [buf.toString('base64'), buf.toString('base64url'), buf.toString('hex'), buf.subarray(13, 29).toString('base64')];
  });
  const hashes = [
    user.passwordHash!,
    ...(await db.session.findMany({ where: { userId } })).flatMap((s) => [s.tokenHash, s.sudoHash].filter((x): x is string => !!x)),
    ...(await db.apiKey.findMany({ where: { userId } })).map((k) => k.keyHash),
    ...(await db.recoveryCode.findMany({ where: { userId } })).map((r) => r.codeHash),
    ...(await db.accountToken.findMany({ where: { userId } })).map((t) => t.tokenHash),
    ...(await db.mfaChallenge.findMany({ where: { userId } })).map((t) => t.tokenHash),
    ...(await db.otpToken.findMany({ where: { task: { userId } } })).map((t) => t.tokenHash),
  ];
  return [...encodings, ...hashes];
}

forEachDatabase('account export and deletion', (get) => {
  let h: Harness;
  beforeAll(() => {
    h = createHarness({ db: get().db, url: get().url });
  });
  afterAll(() => h.close());

  async function fullAccount() {
    const account = await h.signUp();
    const { secret, recoveryCodes } = await enableTwoFactor(h, account.browser);
    await account.browser.sudo();
    const { key } = await (await account.browser.post('/api/api-keys', { name: 'export test' })).json();
    await h.browser().post('/api/account/forgot-password', { email: account.email });
    const ids = await populate(h, account.userId);
    return { ...account, totpSecret: secret, recoveryCodes, apiKey: key as string, ...ids };
  }

  describe('GET /api/account/export', () => {
    it('is a JSON attachment with every record of the person', async () => {
      const a = await fullAccount();
      const res = await a.browser.get('/api/account/export');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="rekey-export-\d{4}-\d{2}-\d{2}\.json"$/);
      expect(res.headers.get('content-type')).toMatch(/application\/json/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const data = await res.json();
      expect(data.format).toBe('rekey-account-export/1');
      expect(data.user).toMatchObject({ id: a.userId, email: a.email, twoFactorEnabled: true });
      expect(data.sessions.length).toBeGreaterThan(0);
      expect(data.apiKeys).toEqual([expect.objectContaining({ name: 'export test', prefix: a.apiKey.slice(0, 11) })]);
      expect(data.recoveryCodes).toEqual({ total: 10, unused: 10 });
      expect(data.vaultEntries).toEqual([
        expect.objectContaining({ id: a.entryId, url: 'https://netflix.example', username: 'ada', label: 'Streaming', versions: [expect.objectContaining({ state: 'current' })] }),
      ]);
      expect(data.mailbox).toMatchObject({ host: 'imap.example.com', port: 993, username: 'ada' });
      expect(data.tasks).toEqual([
        expect.objectContaining({
          id: a.taskId,
          serviceName: 'Netflix',
          steps: [expect.objectContaining({ name: 'navigate', status: 'completed' })],
          screenshots: [expect.objectContaining({ step: 'navigate' })],
        }),
      ]);
      expect(data.webhooks).toEqual([
        expect.objectContaining({ id: a.webhookId, url: 'https://hooks.example/rekey', events: ['reset.completed'], deliveries: [expect.objectContaining({ status: 'succeeded' })] }),
      ]);
      expect(data.auditEvents.map((e: { action: string }) => e.action)).toEqual(
        expect.arrayContaining(['auth.signup', 'twofa.enabled', 'auth.sudo', 'api_key.created']),
      );
      expect(await get().db.auditEvent.count({ where: { userId: a.userId, action: 'account.exported' } })).toBe(1);
    });

    it('holds no ciphertext, hash or secret anywhere', async () => {
      const a = await fullAccount();
      const text = await (await a.browser.get('/api/account/export')).text();
      const forbidden = [
        PASSWORD,
        a.totpSecret,
        a.apiKey,
        ...a.recoveryCodes,
        ...Object.values(SECRETS),
        a.browser.cookies.get('authjs.session-token')!,
        a.browser.cookies.get('rekey.sudo')!,
        ...(await storedSecrets(h, a.userId)),
      ];
      for (const secret of forbidden) {
        expect(secret.length).toBeGreaterThan(8);
        expect(text.includes(secret), `export contains ${secret.slice(0, 12)}…`).toBe(false);
      }
      expect(text).not.toContain('"payload"');
      expect(text).not.toMatch(/Enc"|Hash"|"data"/);
    });

    it('needs a signed-in caller; an API key may export', async () => {
      expect((await h.browser().get('/api/account/export')).status).toBe(401);
      const a = await fullAccount();
      const res = await h.browser().get('/api/account/export', { headers: { authorization: `Bearer ${a.apiKey}` } });
      expect(res.status).toBe(200);
    });
  });

  describe('DELETE /api/account', () => {
    const counts = async (userId: string) => {
      const { db } = h.deps;
      return {
        users: await db.user.count({ where: { id: userId } }),
        sessions: await db.session.count({ where: { userId } }),
        apiKeys: await db.apiKey.count({ where: { userId } }),
        recoveryCodes: await db.recoveryCode.count({ where: { userId } }),
        accountTokens: await db.accountToken.count({ where: { userId } }),
        vaultEntries: await db.vaultEntry.count({ where: { userId } }),
        passwordVersions: await db.passwordVersion.count({ where: { entry: { userId } } }),
        mailboxes: await db.mailbox.count({ where: { userId } }),
        tasks: await db.task.count({ where: { userId } }),
        taskSteps: await db.taskStep.count({ where: { task: { userId } } }),
        taskSecrets: await db.taskSecret.count({ where: { task: { userId } } }),
        screenshots: await db.screenshot.count({ where: { task: { userId } } }),
        otpTokens: await db.otpToken.count({ where: { task: { userId } } }),
        webhooks: await db.webhook.count({ where: { userId } }),
        auditEvents: await db.auditEvent.count({ where: { userId } }),
      };
    };

    it('with sudo: cancels resets first, removes every record, clears the cookies, leaves others alone', async () => {
      const a = await fullAccount();
      const bystander = await fullAccount();
      const calls: { userId: string; tasksAtCall: number }[] = [];
      h.deps.accountHooks = {
        beforeDelete: async (userId) => {
          calls.push({ userId, tasksAtCall: await h.deps.db.task.count({ where: { userId } }) });
        },
      };
      await a.browser.sudo();
      const res = await a.browser.delete('/api/account');
      h.deps.accountHooks = undefined;
      expect(res.status).toBe(204);
      expect(calls).toEqual([{ userId: a.userId, tasksAtCall: 1 }]);
      expect(res.headers.getSetCookie().some((c) => /^authjs\.session-token=;/.test(c))).toBe(true);
      expect(Object.values(await counts(a.userId)).every((n) => n === 0)).toBe(true);
      expect(await h.deps.db.resetLock.count({ where: { taskId: a.taskId } })).toBe(0);
      expect((await a.browser.get('/api/auth/me')).status).toBe(401);
      expect((await h.browser().get('/api/auth/me', { headers: { authorization: `Bearer ${a.apiKey}` } })).status).toBe(401);
      expect((await h.browser().post('/api/auth/signin', { email: a.email, password: PASSWORD })).status).toBe(401);
      const record = await h.deps.db.auditEvent.findFirstOrThrow({ where: { action: 'account.deleted' } });
      expect(record.userId).toBeNull();
      expect(JSON.parse(record.detail!)).toEqual({ deletedUserId: a.userId });

      const others = await counts(bystander.userId);
      expect(others).toMatchObject({ users: 1, vaultEntries: 1, mailboxes: 1, tasks: 1, webhooks: 1 });
      expect((await bystander.browser.get('/api/auth/me')).status).toBe(200);
    });

    it('403 sudo_required without sudo; nothing is deleted', async () => {
      const c = await fullAccount();
      c.browser.cookies.delete('rekey.sudo');
      const refused = await c.browser.delete('/api/account');
      expect(refused.status).toBe(403);
      expect(await errorCode(refused)).toBe('sudo_required');
      expect(await counts(c.userId)).toMatchObject({ users: 1, vaultEntries: 1, tasks: 1, sessions: 1 });
    });

    it('when the beforeDelete hook fails, the deletion is refused and nothing is removed', async () => {
      const a = await fullAccount();
      h.deps.accountHooks = {
        beforeDelete: async () => {
          throw new Error('Temporal is down');
        },
      };
      const res = await a.browser.delete('/api/account');
      h.deps.accountHooks = undefined;
      expect(res.status).toBe(500);
      expect(await counts(a.userId)).toMatchObject({ users: 1, vaultEntries: 1, tasks: 1 });
    });

    it('401 without a session', async () => {
      expect((await h.browser().delete('/api/account')).status).toBe(401);
    });
  });
});
