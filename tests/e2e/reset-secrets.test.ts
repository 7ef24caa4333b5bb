// Secrets never travel in clear: the whole event history of a completed reset,
// decoded with the codec, holds no password, code, reset-link token or email
// body. And a phishing email (right display name, foreign link host) in the
// mailbox is refused: its host receives zero requests.
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTaskSecrets } from '../../lib/tasks/task-secrets.js';
import { answerTaskOtp } from '../../lib/tasks/answer-task-otp.js';
import { extractReset } from '../../activities/mail/extract-reset.js';
import { startResetHarness, type ResetHarness } from '../support/reset-harness.js';
import { payloadsIn } from '../support/history-payloads.js';
import { availableDbKinds } from '../support/test-db.js';

for (const dbKind of availableDbKinds()) {
  describe(`secrets stay out of Temporal [${dbKind}]`, () => {
    let h: ResetHarness;
    beforeAll(async () => {
      h = await startResetHarness({ dbKind });
    });
    afterAll(async () => {
      await h?.close();
    });

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
