// Secrets never travel in clear: the whole event history of a completed reset,
// decoded with the codec, holds no password, code, reset-link token or email
// body. A reset that fails inside the browser (a reset page that stalls past
// the navigation timeout, a password field Playwright cannot fill) leaves the
// token and the typed password out of every place its failure is told. And a
// phishing email (right display name, foreign link host) in the mailbox is
// refused: its host receives zero requests.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTaskSecrets } from '../../lib/tasks/task-secrets.js';
import { answerTaskOtp } from '../../lib/tasks/answer-task-otp.js';
import { decryptString } from '../../lib/crypto.js';
import { resetFailures } from '../../lib/errors.js';
import { createWebhookStore } from '../../lib/webhooks/webhook-store.js';
import { extractReset } from '../../activities/mail/extract-reset.js';
import { startResetHarness, type Person, type ResetHarness } from '../support/reset-harness.js';
import { collectSse, createResetApi, request, signedInPerson, type ResetApi } from '../api/tasks-support.js';
import { payloadsIn } from '../support/history-payloads.js';
import { availableDbKinds } from '../support/test-db.js';

for (const dbKind of availableDbKinds()) {
  describe(`secrets stay out of Temporal [${dbKind}]`, () => {
    let h: ResetHarness;
    let api: ResetApi;
    let hooks: WebhookReceiver;
    beforeAll(async () => {
      // Page loads bounded at 4 s so a stalled reset page fails fast.
      h = await startResetHarness({ dbKind, navigationTimeoutMs: 4_000 });
      api = createResetApi({ config: h.config, db: h.db, catalog: h.catalog });
      hooks = await startWebhookReceiver();
    });
    afterEach(() => {
      h.sandbox.setQuirks('papercrane', {});
    });
    afterAll(async () => {
      await hooks?.close();
      await api?.close();
      await h?.close();
    });

    /** Starts a papercrane reset for a new person with a webhook, and waits for it to end. */
    async function failedReset(label: string) {
      const person = await h.createPerson(label);
      const { entryId } = await h.createSiteAccount(person, 'papercrane');
      await createWebhookStore({ db: h.db, keyring: h.keyring, allowPrivateTargets: true }).create(person.userId, { url: hooks.url, events: ['reset.failed'] });
      const { taskId, workflowId } = await h.startReset(person, 'papercrane', { vaultEntryId: entryId });
      const result = await h.result(workflowId);
      const mail = h.mails.find((m) => m.to === person.email)!;
      const link = extractReset(await simpleParser(mail.raw)).links[0]!.url;
      const token = new URL(link).pathname.split('/').pop()!;
      return { person, entryId, taskId, workflowId, result, link, token };
    }

    /** Every place a reset's failure is told: Temporal history (raw and decoded), task rows, SSE, chat, export, webhook body. */
    async function everywhereTheFailureIsTold(person: Person, taskId: string, workflowId: string): Promise<Record<string, string>> {
      const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
      const task = await h.db.task.findUniqueOrThrow({ where: { id: taskId }, include: { steps: true } });
      const viewer = await signedInPerson(h.db, person.userId);
      const stream = await collectSse(await request(api, 'GET', `/api/tasks/${taskId}/stream`, { person: viewer }), {
        timeoutMs: 30_000,
        until: (m) => m.event === 'status' && m.data.join('\n').includes('"failed"'),
      });
      const chat = await collectSse(await request(api, 'GET', `/api/chat/reset/${taskId}`, { person: viewer }), {
        timeoutMs: 30_000,
        until: (m) => m.data[0] === '<!-- section:result -->',
      });
      const exported = await request(api, 'GET', '/api/account/export', { person: viewer });
      expect(exported.status).toBe(200);
      const webhook = await hooks.waitFor((body) => body.includes(taskId) && body.includes('reset.failed'));
      return {
        'raw history': JSON.stringify(history),
        'decoded history': await decodeAllPayloads(history, h.client.options.loadedDataConverter),
        'task rows': JSON.stringify(task),
        'task stream': stream.map((m) => m.raw).join('\n\n'),
        chat: chat.map((m) => m.raw).join('\n\n'),
        export: await exported.text(),
        'webhook body': webhook,
      };
    }

    it('a reset link that stalls past the navigation timeout: the token is nowhere, the failure is in Rekey\'s words', async () => {
      h.sandbox.setQuirks('papercrane', { stallPathPrefix: '/password/reset/' });
      const { person, taskId, workflowId, result, link, token } = await failedReset('stall');
      expect(result.status).toBe('failed');
      expect(result.failure).toEqual({ type: 'SiteChanged', message: resetFailures.SiteChanged.reason });
      expect(h.sandbox.requestLog('papercrane').some((r) => r.path.startsWith(`/password/reset/${token}`))).toBe(true); // the link was opened

      const places = await everywhereTheFailureIsTold(person, taskId, workflowId);
      for (const [where, text] of Object.entries(places)) {
        for (const [what, secret] of Object.entries({ token, link })) expect(text.includes(secret), `${what} found in ${where}`).toBe(false);
      }
      expect(places['decoded history']).toContain(resetFailures.SiteChanged.reason); // failure text decoded through the codec
      expect(places['raw history']).not.toContain(resetFailures.SiteChanged.reason); // …and only there: encoded in history
      expect(places['webhook body']).toContain(resetFailures.SiteChanged.reason);
    }, 240_000);

    it('a password field that stays read-only until focused: the typed password is nowhere, the failure is in Rekey\'s words', async () => {
      h.sandbox.setQuirks('papercrane', { readonlyNewPasswordUntilFocus: true });
      const { person, entryId, taskId, workflowId, result, link, token } = await failedReset('readonly');
      expect(result.status).toBe('failed');
      // The fill failed before any click: nothing reached the site, so no sign-in check, no
      // "neither works" — the site did not behave as expected.
      const type = 'SiteChanged';
      expect(result.failure).toEqual({ type, message: resetFailures[type].reason });
      // Every password this reset generated and typed (kept in the vault, whatever its state now):
      // that is what must not leak.
      const versions = await h.db.passwordVersion.findMany({ where: { entryId, taskId } });
      const typed = versions.map((v) => decryptString(h.keyring.vault(person.userId), v.secretEnc, `vault:password:${entryId}`));
      expect(typed.length).toBeGreaterThan(0);
      for (const password of typed) expect(password.length).toBeGreaterThan(7);

      const places = await everywhereTheFailureIsTold(person, taskId, workflowId);
      for (const [where, text] of Object.entries(places)) {
        for (const [what, secret] of Object.entries({ ...Object.fromEntries(typed.map((p, i) => [`password ${i + 1}`, p])), token, link })) {
          expect(text.includes(secret), `${what} found in ${where}`).toBe(false);
        }
      }
      expect(places['task rows']).toContain(resetFailures[type].reason);
    }, 240_000);

    it('the decoded history of a reset with a link and a typed code contains none of them', async () => {
      const site = 'telewave'; // reset link by email, then a texted code the person types
      const person = await h.createPerson('history');
      const { entryId, oldPassword } = await h.createSiteAccount(person, site);
      const { taskId, workflowId } = await h.startReset(person, site, { vaultEntryId: entryId });
      await h.waitForTask(taskId, (t) => t.status === 'waiting_for_otp', 90_000);
      const code = h.sandbox.lastSmsCode(site, person.email)!;
      await answerTaskOtp({ db: h.db, temporal: h.client, secrets: createTaskSecrets({ db: h.db, keyring: h.keyring }) }, { taskId, userId: person.userId, code });
      expect((await h.result(workflowId)).status).toBe('completed');
      const newPassword = (await h.currentPassword(person, entryId))!;

      const mail = h.mails.find((m) => m.to === person.email)!;
      const parsed = await simpleParser(mail.raw);
      const link = extractReset(parsed).links[0]!.url;
      const token = new URL(link).searchParams.values().next().value ?? link.split('/').pop()!;
      const bodyLine = (parsed.text ?? '').split('\n').map((l) => l.trim()).find((l) => l.length > 25)!;

      const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
      // The client's data converter decodes payloads as the Web UI's codec would.
      const converter = h.client.options.loadedDataConverter;
      const raw = JSON.stringify(history);
      const decodedPayloads = await decodeAllPayloads(history, converter);
      for (const haystack of [raw, decodedPayloads]) {
        for (const [what, secret] of Object.entries({ oldPassword, newPassword, code, token, link, bodyLine })) {
          expect(haystack.includes(secret), `${what} found in history`).toBe(false);
        }
      }
      expect(decodedPayloads).toContain(taskId); // the decoding worked: ids are there
    }, 180_000);

    it('refuses a phishing email and never contacts its host', async () => {
      const site = 'papercrane';
      const person = await h.createPerson('phish');
      const { entryId } = await h.createSiteAccount(person, site);
      h.holdMail();
      const { taskId, workflowId } = await h.startReset(person, site, { vaultEntryId: entryId });
      await h.waitForTask(taskId, (t) => t.status === 'waiting_for_email');
      await h.releaseMail();
      // Newer than the real one, same display name, a look-alike host.
      const evilHost = `evil-${site}.localhost:${h.sandbox.port}`;
      await h.dovecot.deliver(person.email, phishingEmail(person.email, `http://${evilHost}/reset?token=abc123`));
      const result = await h.result(workflowId);
      expect(result.status).toBe('completed');
      expect(h.sandbox.requestLog(`evil-${site}.localhost`)).toHaveLength(0);
    }, 120_000);
  });
}

function phishingEmail(to: string, link: string): string {
  return [
    'From: "Papercrane" <security@papercrane-support.localhost>',
    `To: ${to}`,
    'Subject: Reset your Papercrane password',
    `Date: ${new Date(Date.now() + 1_000).toUTCString()}`,
    `Message-ID: <${Date.now()}@papercrane-support.localhost>`,
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    '',
    `<p>We received a request to reset your password.</p><p><a href="${link}">Reset your password</a></p>`,
    '',
  ].join('\r\n');
}

interface WebhookReceiver {
  url: string;
  bodies: string[];
  waitFor(match: (body: string) => boolean, timeoutMs?: number): Promise<string>;
  close(): Promise<void>;
}

/** A loopback endpoint that keeps every body POSTed to it. */
async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    bodies,
    async waitFor(match, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const body = bodies.find(match);
        if (body) return body;
        if (Date.now() > deadline) throw new Error(`no matching webhook body among ${bodies.length}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function decodeAllPayloads(history: unknown, converter: { payloadCodecs: { decode(p: unknown[]): Promise<unknown[]> }[]; payloadConverter: { fromPayload(p: unknown): unknown } }): Promise<string> {
  const out: string[] = [];
  for (const payload of payloadsIn(history)) {
    let payloads: unknown[] = [payload];
    for (const codec of [...converter.payloadCodecs].reverse()) payloads = await codec.decode(payloads);
    for (const p of payloads) {
      try {
        out.push(JSON.stringify(converter.payloadConverter.fromPayload(p)));
      } catch {
        out.push(Buffer.from((p as { data?: Uint8Array }).data ?? []).toString('utf8'));
      }
    }
  }
  return out.join('\n');
}
