// POST /api/chat/reset without a running reset: what messages are understood
// as, the questions back, the framing, escaping, and the route's refusals. The
// narration of a whole real reset is in chat-reset.test.ts.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeMarkdown, renderSection } from '../../lib/chat/markdown.js';
import { createResetNarrator } from '../../lib/chat/narrate-reset.js';
import { codeInMessage, planChatReset } from '../../lib/chat/plan-chat-reset.js';
import type { ResetProgress, StepName, StepProgress } from '../../workflows/reset-password.messages.js';
import { stepNames } from '../../workflows/reset-password.messages.js';
import { sandboxInfoFile, type SandboxInfo } from '../../sandbox/sandbox-info.js';
import { testConfig } from '../support/test-config.js';
import { forEachDatabase } from '../support/test-db.js';
import { collectSse, createResetApi, errorOf, FOREIGN_ORIGIN, readSse, request, signedInPerson, type ResetApi } from './tasks-support.js';

describe('chat markdown', () => {
  it('a section is its marker line, then its lines', () => {
    expect(renderSection({ name: 'progress', lines: ['### Agent', 'Entering email address...'] })).toBe('<!-- section:progress -->\n### Agent\nEntering email address...');
    expect(renderSection({ name: 'result', lines: ['two\nlines'] })).toBe('<!-- section:result -->\ntwo lines');
  });

  it('escapes HTML and markdown in anything not written by Rekey', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert\\(1\\)&gt;');
    expect(escapeMarkdown('[click](https://evil.example) **now**')).toBe('\\[click\\]\\(https:\\/\\/evil.example\\) \\*\\*now\\*\\*');
    expect(escapeMarkdown('# big\n- list')).toBe('\\# big - list');
    expect(escapeMarkdown('127.0.0.1 - fine')).toBe('127.0.0.1 - fine');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('Disney+ & Hulu')).toBe('Disney\\+ &amp; Hulu');
  });

  it('takes a message that is just a code as the code', () => {
    expect(codeInMessage('123456')).toBe('123456');
    expect(codeInMessage(' 123 456 ')).toBe('123456');
    expect(codeInMessage('123-456')).toBe('123456');
    expect(codeInMessage('1234')).toBe('1234');
    expect(codeInMessage('123')).toBeNull();
    expect(codeInMessage('123456789')).toBeNull();
    expect(codeInMessage('reset 123456')).toBeNull();
  });
});

describe('the chat narrator', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  const progress = (status: ResetProgress['status'], steps: Partial<Record<StepName, Partial<StepProgress>>>, extra: Partial<ResetProgress> = {}): ResetProgress => ({
    taskId: 't1',
    status,
    seq: 0,
    steps: stepNames.map((name) => ({ name, status: 'pending', ...steps[name] })),
    ...extra,
  });

  it('writes a start and an end line per step, the email wait in gmail, then password and result', () => {
    const n = createResetNarrator({ serviceName: 'Netflix', taskId: 't1', screenshotPath: (id) => `/shots/${id}` });
    const done = (s: number, ms: number) => ({ status: 'completed' as const, startedAt: at(s), durationMs: ms });
    const out = [
      n.next({ progress: progress('running', { navigate: { status: 'running', startedAt: at(0) } }) }),
      // Two changes between looks: navigate ended, enter_email started and ended, the email wait began.
      n.next({
        progress: progress('waiting_for_email', {
          navigate: done(0, 1200),
          enter_email: done(1, 800),
          wait_for_email: { status: 'running', startedAt: at(2) },
        }),
      }),
      n.next({ progress: progress('waiting_for_email', { navigate: done(0, 1200), enter_email: done(1, 800), wait_for_email: { status: 'running', startedAt: at(2) } }) }),
      n.next({
        progress: progress(
          'completed',
          {
            navigate: done(0, 1200),
            enter_email: done(1, 800),
            wait_for_email: { ...done(2, 45_000), detail: 'Reset email received' },
            follow_link: { ...done(47, 2000), detail: 'Opening the reset link…' },
            set_password: { ...done(49, 1500), detail: 'The site accepted the new password' },
            verify_login: { status: 'skipped', startedAt: at(51), durationMs: 10, detail: 'This site has no sign-in check' },
          },
          { vaultEntryId: 'entry-1' },
        ),
      }),
      n.next({ progress: progress('completed', {}) }),
    ];
    expect(out.map((sections) => sections.map(renderSection))).toEqual([
      ['<!-- section:progress -->\n### Agent\nNavigating to Netflix password reset page...'],
      [
        '<!-- section:progress -->\n✓ Reset page opened (1.2 s)\nEntering email address...\n✓ Email address entered (0.8 s)',
        '<!-- section:gmail -->\nWaiting for reset email...',
      ],
      [],
      [
        '<!-- section:gmail -->\n✓ Reset email received (45 s)',
        '<!-- section:progress -->\nOpening the reset link...\n✓ Reset link followed (2.0 s)\nSetting a new password...\n✓ The site accepted the new password (1.5 s)\nSigning in with the new password...\n– Signing in with the new password skipped — This site has no sign-in check',
        '<!-- section:password -->\nNew password saved to vault. Entry: `entry-1`',
        '<!-- section:result -->\nPassword reset complete! New password saved to vault.',
      ],
      [],
    ]);
  });

  it('asks for a code with the phone link, escalates a CAPTCHA with its screenshot, says what to do after a failure', () => {
    const n = createResetNarrator({ serviceName: 'Tele*wave*', taskId: 't9', screenshotPath: (id) => `/api/tasks/t9/screenshots/${id}` });
    const otp = n.next({
      progress: progress('waiting_for_otp', { follow_link: { status: 'running', startedAt: at(5), detail: 'Opening the reset link…' } }, {
        waitingFor: { kind: 'otp', since: at(6), until: at(600), source: 'sms', attemptsLeft: 5 },
      }),
      otpUrl: 'http://localhost:3000/otp/abc',
    });
    expect(otp.map(renderSection)).toEqual([
      '<!-- section:progress -->\n### Agent\nOpening the reset link...\nTele\\*wave\\* sent a one-time code by text message. Type just the code here in the chat to continue.\nOn your phone? Open [this link](http://localhost:3000/otp/abc) to type it there.',
    ]);
    const captcha = n.next({
      progress: progress('captcha_required', {}, { screenshotId: 's1', waitingFor: { kind: 'captcha', since: at(7), until: at(20), vendor: 'recaptcha' } }),
    });
    expect(captcha.map((s) => s.name)).toEqual(['captcha']);
    expect(captcha[0]!.lines).toContain('![Screenshot of the Tele\\*wave\\* page](/api/tasks/t9/screenshots/s1)');
    const failed = n.next({ progress: progress('failed', {}, { failure: { type: 'CaptchaRequired', message: 'The site asked for a CAPTCHA that needs a person to solve.' } }) });
    expect(failed.map(renderSection)).toEqual([
      '<!-- section:result -->\nPassword reset failed: The site asked for a CAPTCHA that needs a person to solve.\nWhat to do next: Change the password on Tele\\*wave\\* yourself, or retry later — sites often stop asking after a while. Retry this reset (job `t9`), or ask me to reset it again.',
    ]);
    // People read this: no API paths, whatever the failure.
    for (const type of ['CaptchaRequired', 'MailboxAuth', 'SiteChanged', 'Internal', 'NoSuchType']) {
      const m = createResetNarrator({ serviceName: 'Netflix', taskId: 't10', screenshotPath: (id) => `/x/${id}` });
      const said = m.next({ progress: progress('failed', {}, { failure: { type, message: 'It failed.' } }) }).map(renderSection).join('\n');
      expect(said, type).toContain('(job `t10`)');
      expect(said, type).not.toMatch(/\/api\/|POST |GET /);
    }
  });

  it('a completed reset the site never confirmed is not called complete: it says which password to try and how to settle it', () => {
    const n = createResetNarrator({ serviceName: 'Netflix', taskId: 't11', screenshotPath: (id) => `/x/${id}` });
    const said = n.next({ progress: progress('completed', {}, { vaultEntryId: 'entry-9', confirmed: false }) }).map(renderSection);
    expect(said.join('\n')).not.toContain('Password reset complete!');
    expect(said).toEqual([
      '<!-- section:password -->\nNew password saved to vault as pending. Entry: `entry-9`',
      '<!-- section:result -->\nNetflix took the new password but did not confirm the change, and Rekey could not sign in to check it. ' +
        'In the Vault, reveal the entry’s password (the new one, marked pending), sign in to Netflix with it, then choose “It works” or “Use the previous one”. Both passwords are kept until then.',
    ]);
  });
});

forEachDatabase('/api/chat/reset', (get) => {
  let api: ResetApi;
  let strict: ResetApi;
  const deps = () => ({ db: get().db, catalog: api.deps.catalog, config: api.deps.config });

  beforeAll(() => {
    const { db, url } = get();
    const queue = `chat-test-${randomBytes(4).toString('hex')}`;
    api = createResetApi({ config: testConfig({ DATABASE_URL: url, TEMPORAL_TASK_QUEUE: queue }), db, streams: { pollIntervalMs: 100, queryTimeoutMs: 300 } });
    strict = createResetApi({ config: testConfig({ DATABASE_URL: url, TEMPORAL_TASK_QUEUE: queue, REKEY_ALLOW_PRIVATE_TARGETS: 'false' }), db });
  });
  afterAll(async () => {
    await api?.close();
    await strict?.close();
  });

  describe('understanding messages', () => {
    it('names, misspellings, aliases, domains and ids', async () => {
      const alice = await signedInPerson(get().db);
      const cases: [string, string][] = [
        ['Reset my Netflix password', 'netflix'],
        ['reset netflx', 'netflix'],
        ['change my spotify pw', 'spotify'],
        ['github.com', 'github'],
        ['https://accounts.google.com/signin', 'google'],
      ];
      for (const [message, id] of cases) {
        const plan = await planChatReset(deps(), { userId: alice.userId, message });
        expect(plan.kind === 'start' && plan.service.id, message).toBe(id);
      }
      const byId = await planChatReset(deps(), { userId: alice.userId, message: 'do it', serviceId: 'dropbox' });
      expect(byId).toMatchObject({ kind: 'start', service: { id: 'dropbox' }, email: alice.email });
      await expect(planChatReset(deps(), { userId: alice.userId, message: 'x', serviceId: 'no-such-service' })).rejects.toMatchObject({ code: 'not_found' });
    });

    it('an unknown site by its address becomes a generic reset; without one, asks for the URL', async () => {
      const alice = await signedInPerson(get().db);
      const generic = await planChatReset(deps(), { userId: alice.userId, message: 'reset my password on https://shop.paper-example.org/login' });
      expect(generic).toMatchObject({ kind: 'start', service: { id: 'paper-example-org' }, serviceUrl: 'https://shop.paper-example.org/login' });
      const unknown = await planChatReset(deps(), { userId: alice.userId, message: 'reset <b>my</b> password please' });
      expect(unknown.kind).toBe('reply');
      expect(JSON.stringify(unknown)).not.toContain('<b>');
    });

    it('picks the vault entry: its email, else the person’s own; several → asks which, escaped', async () => {
      const { db } = get();
      const alice = await signedInPerson(db);
      const none = await planChatReset(deps(), { userId: alice.userId, message: 'reset dropbox' });
      expect(none).toEqual(expect.objectContaining({ kind: 'start', email: alice.email }));
      expect(none).not.toHaveProperty('vaultEntryId');

      const one = await db.vaultEntry.create({ data: { userId: alice.userId, url: 'https://www.dropbox.com', username: 'alice-db', email: 'alice.db@example.com' } });
      expect(await planChatReset(deps(), { userId: alice.userId, message: 'reset dropbox' })).toMatchObject({ kind: 'start', vaultEntryId: one.id, email: 'alice.db@example.com' });

      const two = await db.vaultEntry.create({ data: { userId: alice.userId, url: 'https://dropbox.com', username: 'work@example.com', serviceId: 'dropbox', label: '<img src=x onerror=alert(1)> **work**' } });
      const ask = await planChatReset(deps(), { userId: alice.userId, message: 'reset dropbox' });
      expect(ask.kind).toBe('reply');
      const text = ask.kind === 'reply' ? ask.sections.map(renderSection).join('\n') : '';
      expect(text).toContain(`\`${one.id}\``);
      expect(text).toContain(`\`${two.id}\``);
      expect(text).toContain('&lt;img src=x onerror=alert\\(1\\)&gt; \\*\\*work\\*\\* — work@example.com');
      expect(text).not.toContain('<img');

      // passwordId decides, and must be yours.
      expect(await planChatReset(deps(), { userId: alice.userId, message: 'reset', passwordId: two.id })).toMatchObject({ kind: 'start', service: { id: 'dropbox' }, email: 'work@example.com', vaultEntryId: two.id });
      const bob = await signedInPerson(db);
      await expect(planChatReset(deps(), { userId: bob.userId, message: 'reset', passwordId: two.id })).rejects.toMatchObject({ code: 'not_found' });
    });
  });

  describe('the route', () => {
    it('a question back is one `result` section, framed as the seed', async () => {
      const alice = await signedInPerson(get().db);
      const res = await request(api, 'POST', '/api/chat/reset', { person: alice, body: { message: 'reset gitlub' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const text = await res.text();
      expect(text).toMatch(/^data: <!-- section:result -->\ndata: Which one do you mean\?\n(data: - .+\n)+data: Reply with the name, or send `serviceId`\.\n\n$/);
      expect(text).toContain('(`github`)');
      expect(text).toContain('(`gitlab`)');
    });

    it('a code while nothing waits for one is kept, not started as a reset', async () => {
      const alice = await signedInPerson(get().db);
      const res = await request(api, 'POST', '/api/chat/reset', { person: alice, body: { message: '123456' } });
      expect(await res.text()).toBe('data: <!-- section:result -->\ndata: No reset is waiting for a code. To start one, tell me which site, e.g. “Reset my Netflix password”.\n\n');
      expect(await get().db.task.count({ where: { userId: alice.userId } })).toBe(0);
    });

    it('a code while the latest reset does not wait for one is kept', async () => {
      const alice = await signedInPerson(get().db);
      const id = randomUUID();
      await get().db.task.create({
        data: { id, userId: alice.userId, serviceId: 'netflix', serviceName: 'Netflix', serviceUrl: 'https://netflix.com', email: 'a@example.com', accountKey: `netflix:${id}`, workflowId: `reset-netflix-${id}`, status: 'running', step: 'navigate', seq: 1 },
      });
      const res = await request(api, 'POST', '/api/chat/reset', { person: alice, body: { message: '482913' } });
      expect(await res.text()).toBe('data: <!-- section:result -->\ndata: Your Netflix reset is not waiting for a code right now, so I kept the code to myself.\n\n');
      expect(await get().db.taskSecret.count({ where: { taskId: id } })).toBe(0);
    });

    it('a refused address is said in a result section, the host escaped', async () => {
      const alice = await signedInPerson(get().db);
      const res = await request(strict, 'POST', '/api/chat/reset', { person: alice, body: { message: 'reset http://127.0.0.1:8080/forgot' } });
      const messages = await collectSse(res);
      expect(messages).toHaveLength(1);
      expect(messages[0]!.data[0]).toBe('<!-- section:result -->');
      expect(messages[0]!.data[1]).toBe('I cannot reset a password on 127.0.0.1: 127.0.0.1 is a loopback address; only public addresses are allowed.');
    });

    it('without mailbox settings, a reset is refused before it starts, with the way to set one up (the sandbox when it runs)', async () => {
      const { db, url } = get();
      const dana = await signedInPerson(db, undefined, { mailbox: false });
      const buckets = await db.rateLimitBucket.count();
      const res = await request(api, 'POST', '/api/chat/reset', { person: dana, body: { message: 'Reset my Netflix password' } });
      expect(res.status).toBe(200);
      const messages = await collectSse(res);
      expect(messages.map((m) => m.data[0])).toEqual(['<!-- section:result -->']);
      const said = messages[0]!.data.slice(1).join('\n');
      expect(said).toMatch(/^Before I can reset your Netflix password, I need your mailbox/);
      expect(said).toContain('Mailbox page');
      expect(said).not.toContain('Try the sandbox');
      expect(said).not.toMatch(/\/api\//);
      expect(await db.task.count({ where: { userId: dana.userId } })).toBe(0);
      expect(await db.rateLimitBucket.count()).toBe(buckets); // nothing started, nothing counted

      // Where the sandbox runs, the answer offers it.
      const dataDir = mkdtempSync(path.join(tmpdir(), 'rekey-chat-sandbox-'));
      const withSandbox = createResetApi({ config: testConfig({ DATABASE_URL: url, REKEY_SANDBOX: 'on', REKEY_DATA_DIR: dataDir }), db });
      try {
        mkdirSync(path.join(dataDir, 'run'));
        const info: SandboxInfo = { webPort: 1, imap: { host: '127.0.0.1', port: 2 }, provisionUrl: 'http://127.0.0.1:3/provision', controlUrl: 'http://127.0.0.1:4', sites: [] };
        writeFileSync(sandboxInfoFile(withSandbox.deps.config), JSON.stringify(info));
        const offered = await collectSse(await request(withSandbox, 'POST', '/api/chat/reset', { person: dana, body: { message: 'Reset my Netflix password' } }));
        expect(offered.map((m) => m.data[0])).toEqual(['<!-- section:result -->']);
        expect(offered[0]!.data.slice(1).join('\n')).toContain('Try the sandbox');
        expect(await db.task.count({ where: { userId: dana.userId } })).toBe(0);
      } finally {
        await withSandbox.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it('starts a reset: the header first, then the stream follows the task', async () => {
      const alice = await signedInPerson(get().db);
      const res = await request(api, 'POST', '/api/chat/reset', { person: alice, body: { message: 'Reset my Netflix password' } });
      expect(res.status).toBe(200);
      const it = readSse(res);
      expect((await it.next()).value!.raw).toBe('data: <!-- section:header -->\ndata: ## Resetting Netflix password');
      await it.return(undefined);
      const task = await get().db.task.findFirstOrThrow({ where: { userId: alice.userId } });
      expect(task).toMatchObject({ serviceId: 'netflix', email: alice.email, status: 'pending' });
      expect(res.headers.get('x-rekey-task-id')).toBe(task.id);
    });

    it('GET /api/chat/reset/{id} follows one’s own reset again: 200 with its header; 401 anonymous; 404 for another person’s or an unknown id', async () => {
      const alice = await signedInPerson(get().db);
      const id = randomUUID();
      await get().db.task.create({
        data: { id, userId: alice.userId, serviceId: 'netflix', serviceName: 'Netflix', serviceUrl: 'https://netflix.com', email: 'a@example.com', accountKey: `netflix:${id}`, workflowId: `reset-netflix-${id}`, status: 'running', step: 'navigate', seq: 1 },
      });
      const res = await request(api, 'GET', `/api/chat/reset/${id}`, { person: alice });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(res.headers.get('x-rekey-task-id')).toBe(id);
      const it = readSse(res);
      expect((await it.next()).value!.raw).toBe('data: <!-- section:header -->\ndata: ## Resetting Netflix password');
      await it.return(undefined);

      expect((await request(api, 'GET', `/api/chat/reset/${id}`)).status).toBe(401);
      const bob = await signedInPerson(get().db);
      const foreign = await request(api, 'GET', `/api/chat/reset/${id}`, { person: bob });
      expect(foreign.status).toBe(404);
      expect((await errorOf(foreign)).code).toBe('not_found');
      expect((await request(api, 'GET', `/api/chat/reset/${randomUUID()}`, { person: alice })).status).toBe(404);
      // Following starts nothing.
      expect(await get().db.task.count({ where: { userId: alice.userId } })).toBe(1);
    });

    it('400 names the field; 401 anonymous; 403 cross-origin; 404 for another person’s vault entry', async () => {
      const alice = await signedInPerson(get().db);
      const empty = await request(api, 'POST', '/api/chat/reset', { person: alice, body: { message: '   ' } });
      expect(empty.status).toBe(400);
      expect(await errorOf(empty)).toMatchObject({ code: 'validation_failed', field: 'message' });
      expect((await request(api, 'POST', '/api/chat/reset', { body: { message: 'reset netflix' } })).status).toBe(401);
      const cross = await request(api, 'POST', '/api/chat/reset', { person: alice, origin: FOREIGN_ORIGIN, body: { message: 'reset netflix' } });
      expect(cross.status).toBe(403);
      const bob = await signedInPerson(get().db);
      const entry = await get().db.vaultEntry.create({ data: { userId: bob.userId, url: 'https://netflix.com', username: 'bob@example.com' } });
      const stolen = await request(api, 'POST', '/api/chat/reset', { person: alice, body: { message: 'reset', passwordId: entry.id } });
      expect(stolen.status).toBe(404);
      expect((await errorOf(stolen)).code).toBe('not_found');
      expect(await get().db.task.count({ where: { userId: alice.userId } })).toBe(0);
    });

    it('429 with Retry-After once 5 resets were started in 5 minutes; questions do not count', async () => {
      const alice = await signedInPerson(get().db);
      for (let i = 0; i < 3; i++) await (await request(api, 'POST', '/api/chat/reset', { person: alice, body: { message: 'reset gitlub' } })).text();
      const services = ['netflix', 'spotify', 'dropbox', 'github', 'slack'];
      for (const serviceId of services) {
        const ctl = new AbortController();
        const res = await request(api, 'POST', '/api/chat/reset', { person: alice, body: { message: 'go', serviceId }, signal: ctl.signal });
        expect(res.status, serviceId).toBe(200);
        await res.body!.cancel();
      }
      const sixth = await request(api, 'POST', '/api/chat/reset', { person: alice, body: { message: 'reset github', serviceId: 'gitlab' } });
      expect(sixth.status).toBe(429);
      expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await get().db.task.count({ where: { userId: alice.userId } })).toBe(5);
    });

    it('a second reset of the same account joins the running one', async () => {
      const alice = await signedInPerson(get().db);
      const first = await request(api, 'POST', '/api/chat/reset', { person: alice, body: { message: 'reset my slack password' } });
      await first.body!.cancel();
      const second = await request(api, 'POST', '/api/chat/reset', { person: alice, body: { message: 'reset slack' } });
      const it = readSse(second);
      expect((await it.next()).value!.raw).toBe('data: <!-- section:header -->\ndata: ## Resetting Slack password');
      await it.return(undefined);
      expect(await get().db.task.count({ where: { userId: alice.userId } })).toBe(1);
    });
  });
});
