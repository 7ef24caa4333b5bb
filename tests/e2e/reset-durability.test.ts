// Crashes and restarts: kill -9 the worker (Chromium with it) in the middle of
// a step, start another worker; restart the Temporal server while the reset
// waits for the email. Every reset must complete with exactly one password
// change at the site, and the vault's current password must be the site's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startResetHarness, type ResetHarness } from '../support/reset-harness.js';
import { availableDbKinds } from '../support/test-db.js';

const SITE = 'papercrane'; // single-use reset links: a second open must not be needed
const tuning = { heartbeat: '3 seconds', scheduleToStart: '3 seconds' };

for (const dbKind of availableDbKinds()) {
  describe(`a worker killed with SIGKILL mid-reset [${dbKind}]`, () => {
    let h: ResetHarness;
    beforeAll(async () => {
      h = await startResetHarness({ dbKind, worker: 'none' });
    });
    afterAll(async () => {
      await h?.close();
    });

    async function crashDuring(step: 'navigate' | 'wait_for_email' | 'set_password') {
      const person = await h.createPerson(`crash-${step}`);
      const { entryId, oldPassword } = await h.createSiteAccount(person, SITE);
      const first = h.startChildWorker();
      if (step === 'wait_for_email') h.holdMail();
      const { taskId, workflowId } = await h.startReset(person, SITE, { vaultEntryId: entryId, tuning });

      if (step === 'navigate') await h.waitForTask(taskId, (t) => t.step === 'navigate');
      if (step === 'wait_for_email') await h.waitForTask(taskId, (t) => t.status === 'waiting_for_email');
      if (step === 'set_password') {
        // The moment the new password exists as `pending`: stored, and being submitted.
        const deadline = Date.now() + 90_000;
        while (!(await h.db.passwordVersion.findFirst({ where: { entryId, state: 'pending' } }))) {
          if (Date.now() > deadline) throw new Error('no pending password appeared');
          await new Promise((r) => setTimeout(r, 10));
        }
      }
      h.killChild(first);
      if (step === 'wait_for_email') await h.releaseMail();
      h.startChildWorker();

      const result = await h.result(workflowId);
      expect(result, JSON.stringify(result.failure)).toMatchObject({ status: 'completed' });
      const current = await h.currentPassword(person, entryId);
      expect(h.sandbox.getUser(SITE, person.email)?.passwordChanges).toBe(1);
      expect(h.sandbox.checkPassword(SITE, person.email, current!)).toBe(true);
      expect(current).not.toBe(oldPassword);
      const versions = await h.db.passwordVersion.findMany({ where: { entryId } });
      expect(versions.filter((v) => v.state === 'current')).toHaveLength(1);
      expect(versions.filter((v) => v.state === 'pending')).toHaveLength(0);
    }

    it('during navigate', () => crashDuring('navigate'), 180_000);
    it('during wait_for_email', () => crashDuring('wait_for_email'), 180_000);
    it('during set_password', () => crashDuring('set_password'), 180_000);
  });
}

describe('the Temporal server restarted while a reset waits for the email', () => {
  let h: ResetHarness;
  beforeAll(async () => {
    h = await startResetHarness({ ownTemporal: true });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('still ends in success with one password change', async () => {
    const person = await h.createPerson('restart');
    const { entryId } = await h.createSiteAccount(person, SITE);
    h.holdMail();
    const { taskId, workflowId } = await h.startReset(person, SITE, { vaultEntryId: entryId, tuning });
    await h.waitForTask(taskId, (t) => t.status === 'waiting_for_email');
    await h.restartTemporal();
    await h.releaseMail();
    const result = await h.result(workflowId);
    expect(result.status).toBe('completed');
    const current = await h.currentPassword(person, entryId);
    expect(h.sandbox.getUser(SITE, person.email)?.passwordChanges).toBe(1);
    expect(h.sandbox.checkPassword(SITE, person.email, current!)).toBe(true);
  }, 180_000);
});
