// A reset link is opened at most once, and a password the site took is never
// thrown away, whatever crashes. A real worker process (kill -9, Chromium with
// it) on Paper Crane, whose reset page renders for any token and checks it only
// on submit: re-opening a used link there looks like a fresh form, and a second
// submit is answered "token invalid or expired".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestLogEntry } from '../../sandbox/sites/index.js';
import { startResetHarness, type ResetHarness } from '../support/reset-harness.js';
import { availableDbKinds } from '../support/test-db.js';

const SITE = 'papercrane';
const LINK_PATH = '/password/reset/'; // GET /password/reset/<token>?email=…: the emailed link
const SUBMIT_PATH = '/password/reset'; // POST: the new password
const tuning = { heartbeat: '3 seconds', scheduleToStart: '3 seconds' };

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Opens of each emailed link: GETs of its path (token included), keyed by that path. */
function linkOpens(log: RequestLogEntry[]): Map<string, number> {
  const opens = new Map<string, number>();
  for (const e of log) {
    if (e.method !== 'GET' || !e.path.startsWith(LINK_PATH)) continue;
    const path = e.path.split('?')[0]!;
    opens.set(path, (opens.get(path) ?? 0) + 1);
  }
  return opens;
}

for (const dbKind of availableDbKinds()) {
  describe(`reset links under crashes [${dbKind}]`, () => {
    let h: ResetHarness;
    beforeAll(async () => {
      h = await startResetHarness({ dbKind, worker: 'none', sites: [SITE] });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('a worker killed right after the site took the new password: a sign-in with it comes first, and it is kept', async () => {
      const person = await h.createPerson('after-submit');
      const { entryId, oldPassword } = await h.createSiteAccount(person, SITE);
      h.sandbox.clearRequestLog(SITE);
      h.sandbox.setQuirks(SITE, { holdAnswerAfterPasswordSet: true });
      const first = h.startChildWorker();
      let second: ReturnType<ResetHarness['startChildWorker']> | undefined;
      try {
        const { workflowId } = await h.startReset(person, SITE, { vaultEntryId: entryId, tuning });
        // The site changed the password; its answer is held, so nothing was promoted yet.
        await until('the site to take the new password', () => h.sandbox.getUser(SITE, person.email)?.passwordChanges === 1);
        h.killChild(first);
        const seenBeforeCrash = h.sandbox.requestLog(SITE).length;
        h.sandbox.setQuirks(SITE, {});
        second = h.startChildWorker();

        const result = await h.result(workflowId);
        expect(result, JSON.stringify(result.failure)).toMatchObject({ status: 'completed', confirmed: true });
        expect(h.sandbox.getUser(SITE, person.email)?.passwordChanges).toBe(1);
        const current = await h.currentPassword(person, entryId);
        expect(current).not.toBe(oldPassword);
        expect(h.sandbox.checkPassword(SITE, person.email, current!)).toBe(true);
        const versions = await h.db.passwordVersion.findMany({ where: { entryId } });
        expect(versions.filter((v) => v.state === 'rejected')).toHaveLength(0);
        expect(versions.filter((v) => v.state === 'current')).toHaveLength(1);

        const log = h.sandbox.requestLog(SITE);
        // The first move after the crash is the sign-in, never the link or another submit.
        const afterCrash = log.slice(seenBeforeCrash);
        expect(afterCrash[0]?.path.startsWith('/login'), afterCrash.map((e) => `${e.method} ${e.path.split('?')[0]}`).join(', ')).toBe(true);
        expect(log.filter((e) => e.method === 'POST' && e.path === SUBMIT_PATH)).toHaveLength(1);
        expect([...linkOpens(log).values()]).toEqual([1]);
      } finally {
        h.sandbox.setQuirks(SITE, {});
        // No worker outlives its test: the next one must run where it kills.
        h.killChild(first);
        if (second) h.killChild(second);
      }
    }, 240_000);

    it('a worker killed just as it opens the link: the reset moves on without opening that link again', async () => {
      const person = await h.createPerson('on-open');
      const { entryId } = await h.createSiteAccount(person, SITE);
      h.sandbox.clearRequestLog(SITE);
      const first = h.startChildWorker();
      let second: ReturnType<ResetHarness['startChildWorker']> | undefined;
      let result: Awaited<ReturnType<ResetHarness['result']>>;
      try {
        const { workflowId } = await h.startReset(person, SITE, { vaultEntryId: entryId, tuning });
        await until('the reset link to be opened', () => linkOpens(h.sandbox.requestLog(SITE)).size > 0);
        h.killChild(first);
        second = h.startChildWorker();
        result = await h.result(workflowId);
      } finally {
        h.killChild(first);
        if (second) h.killChild(second);
      }
      expect(result, JSON.stringify(result.failure)).toMatchObject({ status: 'completed' });
      expect(h.sandbox.getUser(SITE, person.email)?.passwordChanges).toBe(1);
      const current = await h.currentPassword(person, entryId);
      expect(h.sandbox.checkPassword(SITE, person.email, current!)).toBe(true);
      // Every emailed link was opened exactly once (a new email is asked for when a page is lost).
      const opens = linkOpens(h.sandbox.requestLog(SITE));
      expect(opens.size).toBeGreaterThan(0);
      for (const [, count] of opens) expect(count).toBe(1);
    }, 240_000);
  });
}

describe('a follow_link that fails after opening the link', () => {
  let h: ResetHarness;
  beforeAll(async () => {
    // A short bound on page loads, so a stalled link page fails the step soon.
    h = await startResetHarness({ sites: [SITE], navigationTimeoutMs: 5_000 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('is retried without opening the link again: a new email is asked for instead', async () => {
    const person = await h.createPerson('retried-link');
    const { entryId } = await h.createSiteAccount(person, SITE);
    h.sandbox.clearRequestLog(SITE);
    // The first link's page never answers; the site is fine again once it was asked for.
    h.sandbox.setQuirks(SITE, { stallPathPrefix: LINK_PATH });
    try {
      const { workflowId } = await h.startReset(person, SITE, { vaultEntryId: entryId, tuning });
      await until('the reset link to be opened', () => linkOpens(h.sandbox.requestLog(SITE)).size > 0);
      h.sandbox.setQuirks(SITE, {});
      const result = await h.result(workflowId);
      expect(result, JSON.stringify(result.failure)).toMatchObject({ status: 'completed' });
    } finally {
      h.sandbox.setQuirks(SITE, {});
    }
    expect(h.sandbox.getUser(SITE, person.email)?.passwordChanges).toBe(1);
    const current = await h.currentPassword(person, entryId);
    expect(h.sandbox.checkPassword(SITE, person.email, current!)).toBe(true);
    const opens = linkOpens(h.sandbox.requestLog(SITE));
    expect(opens.size).toBe(2); // the stalled one, then the one from the new email
    for (const [, count] of opens) expect(count).toBe(1);
  }, 240_000);
});
