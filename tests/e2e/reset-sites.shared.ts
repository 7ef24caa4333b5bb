// One real reset per sandbox site: real workflow on the Temporal dev server,
// real Chromium, real Dovecot. The site's server must say the password changed
// exactly once, and that it equals the vault's `current` password.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from 'otpauth';
import { createTaskSecrets } from '../../lib/tasks/task-secrets.js';
import { answerTaskOtp } from '../../lib/tasks/answer-task-otp.js';
import { siteDefinitions } from '../../sandbox/sites/sites/index.js';
import { startResetHarness, type ResetHarness } from '../support/reset-harness.js';
import type { DbKind } from '../support/test-db.js';

export function resetEverySite(dbKind: DbKind) {
  describe(`a reset on every sandbox site [${dbKind}]`, () => {
    let h: ResetHarness;
    beforeAll(async () => {
      h = await startResetHarness({ dbKind });
    });
    afterAll(async () => {
      await h?.close();
    });

    for (const site of siteDefinitions) {
      it(`${site.slug}: ${site.kind}`, async () => {
        const person = await h.createPerson(site.slug);
        const totpSecret = site.otp === 'totp' ? new Secret({ size: 20 }).base32 : undefined;
        const { entryId, oldPassword } = await h.createSiteAccount(person, site.slug, { totpSecret });
        const { taskId, workflowId } = await h.startReset(person, site.slug, { vaultEntryId: entryId });

        if (site.otp === 'manual') {
          // The person reads the texted code and types it: by reference into the workflow.
          await expect.poll(async () => (await h.db.task.findUnique({ where: { id: taskId } }))?.status, { timeout: 60_000, interval: 250 }).toBe('waiting_for_otp');
          const code = h.sandbox.lastSmsCode(site.slug, person.email);
          expect(code).toMatch(/^\d{6}$/);
          await answerTaskOtp({ db: h.db, temporal: h.client, secrets: createTaskSecrets({ db: h.db, keyring: h.keyring }) }, { taskId, userId: person.userId, code: code! });
        }

        const result = await h.result(workflowId);
        const task = await h.db.task.findUnique({ where: { id: taskId }, include: { steps: { orderBy: { position: 'asc' } } } });
        const user = h.sandbox.getUser(site.slug, person.email)!;

        if (site.captcha) {
          // Escalated, not solved: nothing changed, the old password still works.
          expect(result.status).toBe('failed');
          expect(result.failure?.type).toBe('CaptchaRequired');
          expect(task?.screenshotId).toBeTruthy();
          expect(user.passwordChanges).toBe(0);
          expect(h.sandbox.checkPassword(site.slug, person.email, oldPassword)).toBe(true);
          return;
        }

        expect(result, JSON.stringify(result.failure)).toMatchObject({ status: 'completed', vaultEntryId: entryId, confirmed: true });
        expect(task?.status).toBe('completed');
        expect(task?.steps.map((s) => [s.name, s.status])).toEqual([
          ['navigate', 'completed'],
          ['enter_email', 'completed'],
          ['wait_for_email', 'completed'],
          ['follow_link', 'completed'],
          ['set_password', 'completed'],
          ['verify_login', expect.stringMatching(/completed|skipped/)],
        ]);
        const current = await h.currentPassword(person, entryId);
        expect(current).toBeTruthy();
        expect(current).not.toBe(oldPassword);
        expect(user.passwordChanges).toBe(1);
        expect(h.sandbox.checkPassword(site.slug, person.email, current!)).toBe(true);
        expect(h.sandbox.checkPassword(site.slug, person.email, oldPassword)).toBe(false);
        expect(await h.vault.password(person.userId, entryId, 'previous')).toBe(oldPassword);
        expect(await h.db.taskSecret.count({ where: { taskId } })).toBe(0);
        expect(await h.db.resetLock.count({ where: { taskId } })).toBe(0);
      });
    }
  });
}
