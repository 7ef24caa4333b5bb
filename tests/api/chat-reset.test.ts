// Real resets through the chat and the task API, on the sandbox sites with a
// real worker, Chromium and Dovecot:
//  - "Reset my Paper Crane password" from the message to the `result` section,
//    checking the section order and the framing of every message;
//  - telewave, whose reset waits for a texted code: answered by typing the code
//    as a chat message, then by the phone link, then by POST /api/tasks/{id}/otp;
//  - ticketly, which escalates a CAPTCHA with a screenshot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashToken } from '../../lib/crypto.js';
import { startResetHarness, type ResetHarness } from '../support/reset-harness.js';
import { availableDbKinds } from '../support/test-db.js';
import { collectSse, createResetApi, readSse, request, signedInPerson, statusEvents, type ResetApi, type SseMessage } from './tasks-support.js';

const SECTION_MARKER = /^<!-- section:(header|progress|gmail|captcha|password|result) -->$/;

function sectionOf(m: SseMessage): string {
  const match = SECTION_MARKER.exec(m.data[0] ?? '');
  if (!match) throw new Error(`not a section: ${m.raw}`);
  return match[1]!;
}

/** Every chat message is data lines only: the marker, then at least one markdown line. */
function expectChatFraming(messages: SseMessage[]) {
  for (const m of messages) {
    expect(m.comment, m.raw).toBe(false);
    expect(m.event).toBeUndefined();
    expect(m.raw.split('\n').every((line) => line.startsWith('data: ')), m.raw).toBe(true);
    expect(m.data[0]).toMatch(SECTION_MARKER);
    expect(m.data.length).toBeGreaterThan(1);
  }
}

const collapse = (names: string[]) => names.filter((n, i) => i === 0 || names[i - 1] !== n);

async function waitForSmsCode(h: ResetHarness, email: string): Promise<string> {
  let code: string | undefined;
  await expect.poll(() => (code = h.sandbox.lastSmsCode('telewave', email)), { timeout: 60_000, interval: 200 }).toMatch(/^\d{6}$/);
  return code!;
}

for (const dbKind of availableDbKinds()) {
  describe(`resets through the chat and task APIs [${dbKind}]`, () => {
    let h: ResetHarness;
    let api: ResetApi;

    beforeAll(async () => {
      h = await startResetHarness({ dbKind, sites: ['papercrane', 'telewave', 'ticketly'] });
      api = createResetApi({ config: h.config, db: h.db, catalog: h.catalog, streams: { pollIntervalMs: 200 } });
    });
    afterAll(async () => {
      await api?.close();
      await h?.close();
    });

    it('"Reset my Paper Crane password": sections in order, framed as the seed', { timeout: 120_000 }, async () => {
      const person = await h.createPerson('chat');
      const { entryId, oldPassword } = await h.createSiteAccount(person, 'papercrane');
      const me = await signedInPerson(h.db, person.userId);

      const res = await request(api, 'POST', '/api/chat/reset', { person: me, body: { message: 'Reset my Paper Crane password' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const text = await res.text(); // the stream ends with the result
      expect(text.endsWith('\n\n')).toBe(true);
      const messages = text.slice(0, -2).split('\n\n').map((raw) => ({ raw, data: raw.split('\n').map((l) => l.replace(/^data: /, '')), comment: raw.startsWith(':') }) as SseMessage);
      const events = messages.filter((m) => !m.comment);
      expectChatFraming(events);

      expect(events[0]!.raw).toBe('data: <!-- section:header -->\ndata: ## Resetting Paper Crane Stationery password');
      expect(events[1]!.raw.startsWith('data: <!-- section:progress -->\ndata: ### Agent\ndata: Navigating to Paper Crane Stationery password reset page...')).toBe(true);
      expect(collapse(events.map(sectionOf))).toEqual(['header', 'progress', 'gmail', 'progress', 'password', 'result']);
      expect(events.filter((m) => m.data.includes('### Agent'))).toHaveLength(1);
      const lines = events.flatMap((m) => m.data.slice(1));
      expect(lines).toContain('Entering email address...');
      const gmail = events.filter((m) => sectionOf(m) === 'gmail').flatMap((m) => m.data.slice(1));
      expect(gmail[0]).toBe('Waiting for reset email...');
      expect(gmail[1]).toMatch(/^✓ Reset email received, sender not authenticated \(\d/); // sandbox mail is not signed
      expect(lines.filter((l) => l.startsWith('✓ ')).length).toBeGreaterThanOrEqual(5);
      expect(events.at(-2)!.raw).toBe(`data: <!-- section:password -->\ndata: New password saved to vault. Entry: \`${entryId}\``);
      expect(events.at(-1)!.raw).toBe('data: <!-- section:result -->\ndata: Password reset complete! New password saved to vault.');

      const current = await h.currentPassword(person, entryId);
      expect(current).toBeTruthy();
      expect(current).not.toBe(oldPassword);
      expect(text).not.toContain(current!);
      expect(text).not.toContain(oldPassword);
      expect(h.sandbox.checkPassword('papercrane', person.email, current!)).toBe(true);

      // A page reloaded after the end picks the reset up by its id: the same story, told at once.
      const taskId = res.headers.get('x-rekey-task-id');
      expect(taskId).toBe((await h.db.task.findFirstOrThrow({ where: { userId: person.userId } })).id);
      const again = await request(api, 'GET', `/api/chat/reset/${taskId}`, { person: me });
      expect(again.status).toBe(200);
      expect(again.headers.get('x-rekey-task-id')).toBe(taskId);
      const replay = (await collectSse(again)).filter((m) => !m.comment);
      expectChatFraming(replay);
      expect(collapse(replay.map(sectionOf))).toEqual(['header', 'progress', 'gmail', 'progress', 'password', 'result']);
      expect(replay[0]!.raw).toBe(events[0]!.raw);
      expect(replay.flatMap((m) => m.data.slice(1)).filter((l) => l.startsWith('✓ ')).map((l) => l.replace(/ \(.*\)$/, ''))).toEqual(
        lines.filter((l) => l.startsWith('✓ ')).map((l) => l.replace(/ \(.*\)$/, '')),
      );
      expect(replay.slice(-2).map((m) => m.raw)).toEqual(events.slice(-2).map((m) => m.raw));
    });

    it('telewave: the code typed as a chat message reaches the waiting reset', { timeout: 120_000 }, async () => {
      const person = await h.createPerson('chat-otp');
      const { entryId } = await h.createSiteAccount(person, 'telewave');
      const me = await signedInPerson(h.db, person.userId);

      const chat = await request(api, 'POST', '/api/chat/reset', { person: me, body: { message: 'reset my telewave pw' } });
      const stream = readSse(chat);
      const seen: SseMessage[] = [];
      let phoneLink: string | undefined;
      while (!phoneLink) {
        const { value, done } = await stream.next();
        if (done) throw new Error(`chat ended before asking for the code: ${seen.map((m) => m.raw).join(' | ')}`);
        if (value.comment) continue;
        seen.push(value);
        const ask = value.data.find((l) => l.includes('Type just the code here'));
        if (ask) {
          // "by text message" when the workflow said where the code went (the task row does not keep it).
          expect(ask).toMatch(/^Telewave Mobile sent a one-time code( by text message)?\. Type just the code here in the chat to continue\.$/);
          phoneLink = /\[this link\]\((http[^)]+)\)/.exec(value.data.join('\n'))?.[1];
        }
      }
      expect(phoneLink).toMatch(new RegExp(`^${h.config.appOrigin}/otp/[A-Za-z0-9_-]{43}$`));

      // A reloaded chat page follows the same waiting reset: the story so far, and the same prompt.
      const reattached = readSse(await request(api, 'GET', `/api/chat/reset/${chat.headers.get('x-rekey-task-id')}`, { person: me }));
      const retold: string[] = [];
      for await (const m of reattached) {
        if (m.comment) continue;
        retold.push(...m.data.slice(1));
        if (m.data.some((l) => l.includes('Type just the code here'))) break;
      }
      await reattached.return(undefined);
      expect(retold[0]).toBe('## Resetting Telewave Mobile password');
      expect(retold.some((l) => l.startsWith('✓ Email address entered'))).toBe(true);
      expect(retold.join('\n')).toContain(`[this link](${phoneLink})`);

      const token = phoneLink!.split('/otp/')[1]!;
      const page = await request(api, 'GET', `/otp/${token}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('Telewave Mobile asks for a code');

      const code = await waitForSmsCode(h, person.email);
      const answer = await request(api, 'POST', '/api/chat/reset', { person: me, body: { message: ` ${code.slice(0, 3)} ${code.slice(3)} ` } });
      expect(await answer.text()).toBe('data: <!-- section:progress -->\ndata: Code received. Entering it on Telewave Mobile...\n\n');
      // The wait has its code: its phone link is over.
      expect((await request(api, 'GET', `/otp/${token}`)).status).toBe(410);

      for await (const m of stream) if (!m.comment) seen.push(m);
      expectChatFraming(seen);
      expect(seen.at(-1)!.raw).toBe('data: <!-- section:result -->\ndata: Password reset complete! New password saved to vault.');
      expect(seen.at(-2)!.raw).toBe(`data: <!-- section:password -->\ndata: New password saved to vault. Entry: \`${entryId}\``);
      expect(seen.map((m) => m.raw).join('\n')).not.toContain(code);
    });

    it('telewave: the code typed on the phone page (POST /api/otp/{token}), single-use', { timeout: 120_000 }, async () => {
      const person = await h.createPerson('phone');
      const { entryId } = await h.createSiteAccount(person, 'telewave');
      const me = await signedInPerson(h.db, person.userId);
      const created = await request(api, 'POST', '/api/tasks/reset', { person: me, body: { serviceUrl: h.sandbox.site('telewave').resetUrl, email: person.email, passwordId: entryId } });
      const { taskId } = (await created.json()) as { taskId: string };

      const res = await request(api, 'GET', `/api/tasks/${taskId}/stream`, { person: me });
      const stream = readSse(res);
      let otpUrl: string | undefined;
      while (!otpUrl) {
        const { value, done } = await stream.next();
        if (done) throw new Error('stream ended before the code prompt');
        if (value.event === 'status') otpUrl = (JSON.parse(value.data[0]!) as { otpUrl?: string }).otpUrl;
      }
      const token = otpUrl.split('/otp/')[1]!;
      expect((await h.db.otpToken.findUniqueOrThrow({ where: { tokenHash: hashToken(token) } })).taskId).toBe(taskId);

      const code = await waitForSmsCode(h, person.email);
      const accepted = await request(api, 'POST', `/api/otp/${token}`, { origin: h.config.appOrigin, body: { code } });
      expect(accepted.status).toBe(200);
      expect(await accepted.json()).toEqual({ accepted: true });
      const again = await request(api, 'POST', `/api/otp/${token}`, { body: { code } });
      expect(again.status).toBe(410);

      const rest: SseMessage[] = [];
      for await (const m of stream) if (!m.comment) rest.push(m);
      expect(statusEvents(rest).at(-1)).toEqual({ id: expect.any(String), status: 'completed', vaultEntryId: entryId, confirmed: true });
    });

    it('telewave: the code given with POST /api/tasks/{id}/otp', { timeout: 120_000 }, async () => {
      const person = await h.createPerson('task-otp');
      const { entryId } = await h.createSiteAccount(person, 'telewave');
      const me = await signedInPerson(h.db, person.userId);
      const created = await request(api, 'POST', '/api/tasks/reset', { person: me, body: { serviceUrl: h.sandbox.site('telewave').resetUrl, email: person.email, passwordId: entryId } });
      const { taskId } = (await created.json()) as { taskId: string };
      await h.waitForTask(taskId, (t) => t.status === 'waiting_for_otp', 90_000);
      const code = await waitForSmsCode(h, person.email);
      const res = await request(api, 'POST', `/api/tasks/${taskId}/otp`, { person: me, body: { code } });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ accepted: true });
      await h.waitForTask(taskId, (t) => t.status === 'completed', 90_000);
      // Finished: the stream replays the end from the database; a code now is 409.
      const replay = await collectSse(await request(api, 'GET', `/api/tasks/${taskId}/stream`, { person: me }), { timeoutMs: 5_000 });
      expect(statusEvents(replay)).toEqual([{ id: expect.any(String), status: 'completed', vaultEntryId: entryId, confirmed: true }]);
      expect((await request(api, 'POST', `/api/tasks/${taskId}/otp`, { person: me, body: { code } })).status).toBe(409);
      const job = (await (await request(api, 'GET', `/api/jobs/${taskId}`, { person: me })).json()) as { status: string; steps: { name: string; status: string; duration: number | null }[] };
      expect(job.status).toBe('completed');
      expect(job.steps.slice(0, 5).map((s) => [s.name, s.status])).toEqual([
        ['navigate', 'completed'],
        ['enter_email', 'completed'],
        ['wait_for_email', 'completed'],
        ['follow_link', 'completed'],
        ['set_password', 'completed'],
      ]);
      expect(job.steps.every((s) => s.status === 'skipped' || typeof s.duration === 'number')).toBe(true);
    });

    it('ticketly: the CAPTCHA is escalated with a screenshot, then the result says what to do', { timeout: 120_000 }, async () => {
      const person = await h.createPerson('captcha');
      await h.createSiteAccount(person, 'ticketly');
      const me = await signedInPerson(h.db, person.userId);
      const res = await request(api, 'POST', '/api/chat/reset', { person: me, body: { message: 'reset ticketly' } });
      const messages = (await collectSse(res, { timeoutMs: 100_000 })).filter((m) => !m.comment);
      expectChatFraming(messages);
      const captcha = messages.find((m) => sectionOf(m) === 'captcha');
      expect(captcha, messages.map((m) => m.raw).join('\n\n')).toBeTruthy();
      expect(captcha!.data[1]).toBe('**Ticketly asks for a CAPTCHA.** Rekey does not solve CAPTCHAs, and never guesses.');
      const shot = /\]\((\/api\/tasks\/[^/]+\/screenshots\/[^)]+)\)/.exec(captcha!.data.join('\n'))?.[1];
      expect(shot).toBeTruthy();
      const image = await request(api, 'GET', shot!, { person: me });
      expect(image.status).toBe(200);
      expect(image.headers.get('content-type')).toMatch(/^image\//);
      const result = messages.at(-1)!;
      expect(sectionOf(result)).toBe('result');
      expect(result.data[1]).toBe('Password reset failed: The site asked for a CAPTCHA that needs a person to solve.');
      expect(result.data[2]).toMatch(/^What to do next: Change the password on Ticketly yourself/);
      // The step that met the CAPTCHA is marked as not done, then the result.
      expect(collapse(messages.map(sectionOf))).toEqual(['header', 'progress', 'captcha', 'progress', 'result']);
      expect(messages.at(-2)!.data.at(-1)).toMatch(/^✗ Entering the email address did not work/);
    });
  });
}
