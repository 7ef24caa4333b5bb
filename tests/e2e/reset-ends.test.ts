// Every reset ends, and the account's next reset can start, whatever ended it:
// staff terminating the workflow, the API dying between creating the task and
// starting its workflow, a final write that never landed, a mailbox that never
// answers. Real workflow, real activities, real sandbox site and mailbox.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/free-port.js';
import { createMailboxStore } from '../../lib/mailbox/mailbox-store.js';
import { accountKeyOf } from '../../lib/tasks/start-reset-task.js';
import { reconcileTasks } from '../../lib/tasks/reconcile-tasks.js';
import { workflowIdFor } from '../../workflows/reset-password.messages.js';
import { startResetHarness, type ResetHarness } from '../support/reset-harness.js';
import { availableDbKinds } from '../support/test-db.js';

const SITE = 'papercrane';

for (const dbKind of availableDbKinds()) {
  describe(`a reset that ended without saying so is healed [${dbKind}]`, { timeout: 180_000 }, () => {
    let h: ResetHarness;
    beforeAll(async () => {
      h = await startResetHarness({ dbKind });
    });
    afterAll(async () => {
      await h?.close();
    });

    async function lockHolder(userId: string, email: string) {
      return (await h.db.resetLock.findUnique({ where: { accountKey: accountKeyOf(userId, SITE, email) } }))?.taskId;
    }

    it('terminated by staff: the task fails as Stopped and the next reset of the account starts', async () => {
      const person = await h.createPerson('terminated');
      const { entryId } = await h.createSiteAccount(person, SITE);
      h.holdMail();
      const first = await h.startReset(person, SITE, { vaultEntryId: entryId });
      await h.waitForTask(first.taskId, (t) => t.status === 'waiting_for_email');
      await h.client.workflow.getHandle(first.workflowId).terminate('staff: stuck');
      await h.releaseMail();

      const second = await h.startReset(person, SITE, { vaultEntryId: entryId });
      const healed = await h.db.task.findUniqueOrThrow({ where: { id: first.taskId } });
      expect(healed).toMatchObject({ status: 'failed', failureType: 'Stopped' });
      expect(healed.completedAt).not.toBeNull();
      expect(await lockHolder(person.userId, person.email)).toBe(second.taskId);
      expect((await h.result(second.workflowId)).status).toBe('completed');
      expect(await lockHolder(person.userId, person.email)).toBeUndefined();
      // The terminated reset's mail wait ran on until it found the (released) email and kept
      // its link: the sweep removes what a stopped reset stored after it ended.
      await reconcileTasks({ db: h.db, temporal: h.client });
      expect(await h.db.taskSecret.count({ where: { taskId: first.taskId } })).toBe(0);
    });

    it('the API died between creating the task and starting its workflow: the task fails as NotStarted', async () => {
      const person = await h.createPerson('never-started');
      const { entryId } = await h.createSiteAccount(person, SITE);
      const orphanId = randomUUID();
      const accountKey = accountKeyOf(person.userId, SITE, person.email);
      await h.db.task.create({
        data: {
          id: orphanId,
          userId: person.userId,
          serviceId: SITE,
          serviceName: 'Paper Crane',
          serviceUrl: h.sandbox.site(SITE).homeUrl,
          email: person.email,
          vaultEntryId: entryId,
          accountKey,
          workflowId: workflowIdFor(SITE, orphanId),
          createdAt: new Date(Date.now() - 10 * 60_000),
        },
      });
      await h.db.resetLock.create({ data: { accountKey, taskId: orphanId } });

      const next = await h.startReset(person, SITE, { vaultEntryId: entryId });
      expect(await h.db.task.findUniqueOrThrow({ where: { id: orphanId } })).toMatchObject({ status: 'failed', failureType: 'NotStarted' });
      expect((await h.result(next.workflowId)).status).toBe('completed');
    });

    it('a task being created right now is not taken for an orphan', async () => {
      const person = await h.createPerson('just-created');
      const { entryId } = await h.createSiteAccount(person, SITE);
      const id = randomUUID();
      const accountKey = accountKeyOf(person.userId, SITE, person.email);
      await h.db.task.create({
        data: { id, userId: person.userId, serviceId: SITE, serviceName: 'Paper Crane', serviceUrl: h.sandbox.site(SITE).homeUrl, email: person.email, vaultEntryId: entryId, accountKey, workflowId: workflowIdFor(SITE, id) },
      });
      await h.db.resetLock.create({ data: { accountKey, taskId: id } });
      await expect(h.startReset(person, SITE, { vaultEntryId: entryId })).rejects.toMatchObject({ code: 'conflict' });
      expect(await h.db.task.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'pending' });
    });

    it('a final write that never landed: the reconciler writes the workflow result and frees the account', async () => {
      const person = await h.createPerson('lost-final-write');
      const { entryId } = await h.createSiteAccount(person, SITE);
      const done = await h.startReset(person, SITE, { vaultEntryId: entryId });
      expect((await h.result(done.workflowId)).status).toBe('completed');
      // As if finishReset had failed for good: the row still says running, the lock is held.
      await h.db.task.update({ where: { id: done.taskId }, data: { status: 'running', completedAt: null } });
      await h.db.resetLock.create({ data: { accountKey: accountKeyOf(person.userId, SITE, person.email), taskId: done.taskId } });

      const swept = await reconcileTasks({ db: h.db, temporal: h.client });
      expect(swept.healed).toBeGreaterThanOrEqual(1);
      expect(await h.db.task.findUniqueOrThrow({ where: { id: done.taskId } })).toMatchObject({ status: 'completed', failureType: null });
      expect(await lockHolder(person.userId, person.email)).toBeUndefined();
    });

    it('a mailbox on a closed port: the reset ends as MailboxUnreachable and frees the account', async () => {
      const person = await h.createPerson('closed-port');
      const { entryId } = await h.createSiteAccount(person, SITE);
      const closedPort = await freePort(); // bound and released: nothing listens there
      await createMailboxStore({ db: h.db, keyring: h.keyring }).put(person.userId, { host: '127.0.0.1', port: closedPort, secure: false, user: person.email, password: 'unused' });
      const started = await h.startReset(person, SITE, { vaultEntryId: entryId, tuning: { mailboxGiveUp: '5 seconds' } });
      const result = await h.result(started.workflowId);
      expect(result).toMatchObject({ status: 'failed', failure: { type: 'MailboxUnreachable' } });
      expect(await h.db.task.findUniqueOrThrow({ where: { id: started.taskId } })).toMatchObject({ status: 'failed', failureType: 'MailboxUnreachable' });
      expect(await lockHolder(person.userId, person.email)).toBeUndefined();
      expect(h.sandbox.getUser(SITE, person.email)?.passwordChanges).toBe(0);
    });
  });
}
