// Starting a reset: the per-account lock belongs to one person's account, and
// two resets of one account never run at once, even when Temporal's answer to
// the start is lost (the workflow started, the API did not hear it). Real
// database, real Temporal dev server; no worker polls the queue, so the
// workflows started here just wait and are terminated at the end.
import { randomBytes } from 'node:crypto';
import { Client, Connection, WorkflowNotFoundError, type WorkflowClientInterceptor } from '@temporalio/client';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import { createCatalog } from '../../../catalog/index.js';
import { AppError } from '../../../lib/errors.js';
import { startResetTask, type StartResetDeps } from '../../../lib/tasks/start-reset-task.js';
import { testConfig } from '../../support/test-config.js';
import { forEachDatabase } from '../../support/test-db.js';

/** What Temporal's answer to the next start does: arrive, get lost after the start, or fail before it. */
let nextStart: 'answer' | 'lost_after_start' | 'fail_before_start' = 'answer';
const faults: WorkflowClientInterceptor = {
  start: async (input, next) => {
    const mode = nextStart;
    nextStart = 'answer';
    if (mode === 'fail_before_start') throw new Error('14 UNAVAILABLE: connect ECONNREFUSED 10.1.2.3:7233 token=abc');
    const runId = await next(input);
    if (mode === 'lost_after_start') throw new Error('4 DEADLINE_EXCEEDED: Deadline exceeded after 10.001s');
    return runId;
  },
};

let connection: Connection;
let client: Client;
const started: string[] = [];
beforeAll(async () => {
  connection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection, namespace: inject('temporalNamespace'), interceptors: { workflow: [faults] } });
});
afterAll(async () => {
  for (const id of started) await client.workflow.getHandle(id).terminate('test over').catch((e) => expect(e).toBeInstanceOf(WorkflowNotFoundError));
  await connection?.close();
});

forEachDatabase('startResetTask', (getDb) => {
  const config = testConfig({ TEMPORAL_TASK_QUEUE: `nobody-polls-${randomBytes(4).toString('hex')}` });
  const deps = (): StartResetDeps => ({ db: getDb().db, temporal: client, config, catalog: createCatalog() });
  /** A person with mailbox settings (a reset needs them; nothing connects to it here). */
  const person = async () => {
    const email = `${randomBytes(5).toString('hex')}@example.com`;
    const user = await getDb().db.user.create({ data: { email } });
    await getDb().db.mailbox.create({ data: { userId: user.id, host: 'imap.example.com', port: 993, secure: true, username: email, passwordEnc: Buffer.from('unused') } });
    return user.id;
  };
  const start = async (userId: string, email: string) => {
    const r = await startResetTask(deps(), { userId, email, serviceId: 'netflix' });
    started.push(r.workflowId);
    return r;
  };

  it('two people resetting the same address do not block each other', async () => {
    const email = `shared-${randomBytes(4).toString('hex')}@example.com`;
    const a = await start(await person(), email);
    const b = await start(await person(), email);
    expect(a.taskId).not.toBe(b.taskId);
  });

  it("one person's second reset of an account is refused while the first runs", async () => {
    const userId = await person();
    const email = `own-${randomBytes(4).toString('hex')}@example.com`;
    await start(userId, email);
    await expect(start(userId, email)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a start whose answer was lost keeps the lock: the workflow runs, and no second reset of the account starts', async () => {
    const userId = await person();
    const email = `lost-${randomBytes(4).toString('hex')}@example.com`;
    nextStart = 'lost_after_start';
    const first = await start(userId, email);
    expect((await client.workflow.getHandle(first.workflowId).describe()).status.name).toBe('RUNNING');
    const row = await getDb().db.task.findUniqueOrThrow({ where: { id: first.taskId } });
    expect(row.status).not.toBe('failed');
    await expect(start(userId, email)).rejects.toMatchObject({ code: 'conflict' });
  });

  it('a start that failed is reported in our words and frees the account', async () => {
    const userId = await person();
    const email = `down-${randomBytes(4).toString('hex')}@example.com`;
    nextStart = 'fail_before_start';
    const err = await start(userId, email).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'unavailable' });
    expect((err as Error).message).not.toMatch(/UNAVAILABLE|ECONNREFUSED|10\.1\.2\.3|token/);
    const row = await getDb().db.task.findFirstOrThrow({ where: { userId } });
    expect(row).toMatchObject({ status: 'failed', failureType: 'NotStarted' });
    await start(userId, email); // the account is free again
  });
});
