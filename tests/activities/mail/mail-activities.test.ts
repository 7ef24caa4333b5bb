// The mail activities apply the target guard with the worker's policy at
// every connect: a mailbox saved while private targets were allowed (or whose
// name now resolves elsewhere) fails the reset with a stable, non-retryable
// type instead of being dialled.
import { randomBytes } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { createMailActivities } from '../../../activities/mail/mail-activities.js';
import { createCatalog } from '../../../catalog/index.js';
import { createKeyring } from '../../../lib/crypto.js';
import { createLogger } from '../../../lib/logger.js';
import { resetFailures } from '../../../lib/errors.js';
import { createMailboxStore } from '../../../lib/mailbox/mailbox-store.js';
import { createServiceDirectory } from '../../../lib/service-directory.js';
import { createTaskSecrets } from '../../../lib/tasks/task-secrets.js';
import { insertTaskRow } from '../../support/task-rows.js';
import { forEachDatabase } from '../../support/test-db.js';

forEachDatabase('mail activities', (get) => {
  it('fail with MailboxNotAllowed (non-retryable) for a loopback mailbox when private targets are not allowed', async () => {
    const { db } = get();
    const keyring = createKeyring(randomBytes(32));
    const mailboxes = createMailboxStore({ db, keyring });
    const user = await db.user.create({ data: { email: `${randomBytes(4).toString('hex')}@example.com` } });
    await mailboxes.put(user.id, { host: '127.0.0.1', port: 1143, secure: false, user: 'me', password: 'mailbox-pw' });
    const { id: taskId } = await insertTaskRow(db, user.id);
    const activities = createMailActivities({
      db,
      mailboxes,
      secrets: createTaskSecrets({ db, keyring }),
      services: createServiceDirectory(createCatalog()),
      logger: createLogger({ level: 'silent' }),
      allowPrivateTargets: false,
    });
    const failure = await activities.snapshotMailbox({ taskId }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'MailboxNotAllowed', nonRetryable: true });
    expect((failure as Error).message).toBe(resetFailures.MailboxNotAllowed.reason); // the table's sentence, not the guard's text
    expect((failure as Error).message).not.toContain('mailbox-pw');
  });
});
