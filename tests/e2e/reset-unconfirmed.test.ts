// A site that takes the new password but answers ambiguously (a bare redirect
// to its sign-in page) and whose sign-in shows only a CAPTCHA: nobody can tell
// which password works. The reset must not say "complete": it ends completed
// but unconfirmed, keeps the new password pending, and reveal gives the person
// that pending password, which is the one the site now accepts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startResetHarness, type ResetHarness } from '../support/reset-harness.js';
import { availableDbKinds } from '../support/test-db.js';

const SITE = 'papercrane';

for (const dbKind of availableDbKinds()) {
  describe(`an ambiguous answer and no sign-in check [${dbKind}]`, { timeout: 180_000 }, () => {
    let h: ResetHarness;
    beforeAll(async () => {
      h = await startResetHarness({ dbKind });
      h.sandbox.setQuirks(SITE, { silentAfterPasswordSet: true, captchaOnSignIn: true });
    });
    afterAll(async () => {
      await h?.close();
    });

    it('ends completed but unconfirmed, and the person is given the password that works', async () => {
      const person = await h.createPerson('unconfirmed');
      const { entryId, oldPassword } = await h.createSiteAccount(person, SITE);
      const started = await h.startReset(person, SITE, { vaultEntryId: entryId });
      const result = await h.result(started.workflowId);
      expect(result).toMatchObject({ status: 'completed', confirmed: false });
      expect(await h.db.task.findUniqueOrThrow({ where: { id: started.taskId } })).toMatchObject({ status: 'completed', confirmed: false });
      expect(h.sandbox.getUser(SITE, person.email)?.passwordChanges).toBe(1);

      const toUse = await h.vault.passwordToUse(person.userId, entryId);
      expect(toUse?.state).toBe('pending');
      expect(toUse?.password).not.toBe(oldPassword);
      expect(h.sandbox.checkPassword(SITE, person.email, toUse!.password)).toBe(true);
      // Both are kept until the person says which works.
      expect(await h.vault.password(person.userId, entryId, 'current')).toBe(oldPassword);

      await h.vault.confirmPending(person.userId, entryId);
      expect(await h.vault.passwordToUse(person.userId, entryId)).toEqual({ state: 'current', password: toUse!.password });
      expect(await h.db.task.findUniqueOrThrow({ where: { id: started.taskId } })).toMatchObject({ confirmed: true });
    });
  });
}
