// resetPasswordWorkflow itself, on the run's real Temporal dev server, with its
// activities replaced by small fakes (they are the workflow's inputs): each
// test scripts what the activities answer and checks how the orchestration
// ends. Real activities are covered by the e2e tests.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client, Connection, WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { BrowserActivities, BrowserStepResult } from '../../activities/browser/browser-activities.js';
import type { MailActivities } from '../../activities/mail/mail-activities.js';
import type { TaskActivities } from '../../activities/tasks/task-activities.js';
import {
  browserClaimQueue,
  browserWorkerAliveQueue,
  resetPasswordWorkflowName,
  continueSignal,
  submitOtpSignal,
  type ResetPasswordInput,
  type ResetProgress,
  type ResetResult,
} from '../../workflows/reset-password.messages.js';

type Activities = TaskActivities & MailActivities & BrowserActivities;
type Script = { [K in keyof Activities]?: (...args: Parameters<Activities[K]>) => Promise<Awaited<ReturnType<Activities[K]>>> };

const emailForm: BrowserStepResult = { next: 'email_form' };

/** Activities that reset a password on a well-behaved site; a test overrides some of them. */
function fakeActivities(queue: string, script: Script, calls: string[]) {
  const happy: Script = {
    beginReset: async () => ({ serviceName: 'Paper Crane', vaultEntryId: 'entry-1' }),
    recordProgress: async () => undefined,
    finishReset: async () => undefined,
    snapshotMailbox: async () => ({ uidValidity: 1, uidNext: 1, takenAt: new Date().toISOString() }) as never,
    waitForResetEmail: async () => ({ kind: 'link', secretId: 'link-1', rejectedCount: 0 }),
    claimBrowserWorker: async () => ({ queue }),
    openResetPage: async () => emailForm,
    submitAccountEmail: async () => ({ next: 'email_sent' }),
    openResetLink: async () => ({ next: 'new_password_form' }),
    enterEmailCode: async () => ({ next: 'new_password_form' }),
    enterOtp: async () => ({ next: 'new_password_form' }),
    setNewPassword: async () => ({ outcome: 'accepted', versionId: 'v-1' }),
    verifyLogin: async () => ({ outcome: 'verified' }),
    closeBrowserSession: async () => undefined,
  };
  const merged = { ...happy, ...script } as Record<string, (...a: unknown[]) => Promise<unknown>>;
  return Object.fromEntries(
    Object.entries(merged).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        calls.push(name);
        return fn(...args);
      },
    ]),
  );
}

let client: Client;
let clientConnection: Connection;
let workerConnection: NativeConnection;
let bundle: { code: string };
/** Long enough for any scripted reset on a loaded machine; a stuck one is stopped here. */
const ENDS_WITHIN_MS = 40_000;

beforeAll(async () => {
  clientConnection = await Connection.connect({ address: inject('temporalAddress') });
  client = new Client({ connection: clientConnection, namespace: inject('temporalNamespace') });
  workerConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  bundle = { code: readFileSync(inject('workflowBundlePath'), 'utf8') };
});
afterAll(async () => {
  await clientConnection?.close();
  await workerConnection?.close();
});

interface RunHooks {
  /** Sees every progress mirror write, as the API's database would (signals can be sent from here). */
  onProgress?: (progress: ResetProgress, handle: WorkflowHandle) => void;
  /**
   * Stops the worker at the first progress write that matches, runs `whilePaused` with no
   * worker polling (so every signal it sends reaches the workflow in one activation), then
   * lets a new worker carry the reset on.
   */
  pauseWhen?: (progress: ResetProgress) => boolean;
  whilePaused?: (handle: WorkflowHandle) => Promise<void>;
}

/** Runs one reset with scripted activities; resolves with its result (or its failure). */
async function runReset(script: Script, input: Partial<ResetPasswordInput> = {}, hooks: RunHooks = {}) {
  const taskQueue = `reset-wf-${randomBytes(4).toString('hex')}`;
  const calls: string[] = [];
  let handle!: WorkflowHandle;
  let pause: (() => void) | undefined;
  const paused = new Promise<{ paused: true }>((resolve) => (pause = () => resolve({ paused: true })));
  const scripted = script.recordProgress ?? (async () => undefined);
  const activities = fakeActivities(
    taskQueue,
    {
      ...script,
      recordProgress: async (args) => {
        hooks.onProgress?.(args.progress, handle);
        if (hooks.pauseWhen?.(args.progress)) pause?.();
        return scripted(args);
      },
    },
    calls,
  );
  const newWorker = () =>
    Worker.create({
      connection: workerConnection,
      namespace: inject('temporalNamespace'),
      taskQueue,
      workflowBundle: bundle,
      activities,
    });
  let worker = await newWorker();
  // Browser workers take claims on their own queue; this one has every activity on both.
  const claims = await Worker.create({
    connection: workerConnection,
    namespace: inject('temporalNamespace'),
    taskQueue: browserClaimQueue(taskQueue),
    activities: { claimBrowserWorker: activities.claimBrowserWorker! },
  });
  const claimsRun = claims.run();
  const taskId = randomBytes(6).toString('hex');
  const args: ResetPasswordInput = {
    taskId,
    userId: 'user-1',
    serviceId: 'papercrane',
    emailWaitMs: 30_000,
    otpWaitMs: 30_000,
    captchaWaitMs: 30_000,
    tuning: { heartbeat: '5 seconds', scheduleToStart: '5 seconds', mailboxGiveUp: '4 seconds' },
    ...input,
  };
  handle = await client.workflow.start(resetPasswordWorkflowName, { taskQueue, workflowId: `reset-wf-${taskId}`, args: [args] });
  // A reset that never ends fails the test (and is terminated, so the worker can stop).
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<{ stuck: true }>((resolve) => {
    timer = setTimeout(() => void handle.terminate('test: the reset did not end').finally(() => resolve({ stuck: true })), ENDS_WITHIN_MS);
  });
  const ended = Promise.race([
    handle.result().then(
      (r: ResetResult) => ({ result: r }),
      (e: unknown) => ({ error: e }),
    ),
    stuck,
  ]);
  let outcome = await worker.runUntil(hooks.pauseWhen ? Promise.race([ended, paused]) : ended);
  if ('paused' in outcome) {
    pause = undefined;
    await hooks.whilePaused?.(handle);
    worker = await newWorker();
    outcome = await worker.runUntil(ended);
  }
  clearTimeout(timer);
  claims.shutdown();
  await claimsRun;
  // Workflow task failures (an unhandled rejection in the workflow, say) keep a workflow open
  // and retrying; the history tells whether any happened.
  const history = await handle.fetchHistory();
  const workflowTaskFailures = (history.events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).length;
  return { stuck: false, ...outcome, calls, workflowTaskFailures, handle };
}

describe('resetPasswordWorkflow, every wait ends', { timeout: 90_000 }, () => {
  it('completes on a well-behaved site', async () => {
    const run = await runReset({});
    expect(run).toMatchObject({ result: { status: 'completed', passwordVersionId: 'v-1' } });
    expect(run.workflowTaskFailures).toBe(0);
  });

  it('a progress write that fails for good does not fail or stall the reset', async () => {
    let writes = 0;
    const run = await runReset({
      recordProgress: async () => {
        writes++;
        throw ApplicationFailure.nonRetryable('the task row is gone', 'TaskMissing');
      },
    });
    expect(writes).toBeGreaterThan(3);
    expect(run.workflowTaskFailures).toBe(0);
    expect(run).toMatchObject({ result: { status: 'completed' } });
  });

  it('a final write that fails for good still closes the workflow', async () => {
    const run = await runReset({
      finishReset: async () => {
        throw ApplicationFailure.nonRetryable('the task row is gone', 'TaskMissing');
      },
    });
    expect(run.workflowTaskFailures).toBe(0);
    // The workflow's own answer stands; the task row is healed by the reconciler.
    expect(run).toMatchObject({ result: { status: 'completed' } });
  });

  it('a mailbox that never answers ends the reset as MailboxUnreachable', async () => {
    let attempts = 0;
    const run = await runReset({
      snapshotMailbox: async () => {
        attempts++;
        throw ApplicationFailure.retryable('The mailbox could not be reached.', 'MailboxUnreachable');
      },
    });
    expect(attempts).toBeGreaterThan(1);
    expect(run).toMatchObject({ result: { status: 'failed', failure: { type: 'MailboxUnreachable' } } });
  });

  it('a mailbox that drops during the wait, for good, ends the reset as MailboxUnreachable', async () => {
    const run = await runReset(
      {
        waitForResetEmail: async () => {
          throw ApplicationFailure.retryable('The mailbox could not be reached.', 'MailboxUnreachable');
        },
      },
      { emailWaitMs: 5_000 },
    );
    expect(run).toMatchObject({ result: { status: 'failed', failure: { type: 'MailboxUnreachable' } } });
    expect(run.calls).toContain('closeBrowserSession');
  });
});

describe('resetPasswordWorkflow, completed means confirmed', { timeout: 90_000 }, () => {
  it('the site confirmed the change: completed and confirmed', async () => {
    const run = await runReset({ verifyLogin: async () => ({ outcome: 'unsupported', detail: 'The sign-in page asks for a CAPTCHA' }) });
    expect(run).toMatchObject({ result: { status: 'completed', confirmed: true } });
  });

  it('no clear answer, then a sign-in with the new password works: completed and confirmed', async () => {
    const run = await runReset({ setNewPassword: async () => ({ outcome: 'unverified', versionId: 'v-1' }) });
    expect(run).toMatchObject({ result: { status: 'completed', confirmed: true } });
  });

  it('no clear answer and no sign-in possible: completed but unconfirmed, the pending password kept', async () => {
    const run = await runReset({
      setNewPassword: async () => ({ outcome: 'unverified', versionId: 'v-1' }),
      verifyLogin: async () => ({ outcome: 'unsupported', detail: 'The sign-in page asks for a CAPTCHA' }),
    });
    expect(run).toMatchObject({ result: { status: 'completed', confirmed: false, passwordVersionId: 'v-1' } });
  });
});


describe('resetPasswordWorkflow, codes and CAPTCHAs', { timeout: 120_000 }, () => {
  it('a code answers the prompt it was typed at: a second code sent during the same wait is not used at the next prompt', async () => {
    const entered: string[] = [];
    const waits: number[] = [];
    const run = await runReset(
      {
        openResetLink: async () => ({ next: 'otp_prompt', otpSource: 'sms' }),
        // The first code is wrong: the site asks again.
        enterOtp: async ({ otpRef }) => {
          entered.push(otpRef ?? 'totp');
          return entered.length === 1 ? { next: 'otp_prompt', otpSource: 'sms' } : { next: 'new_password_form' };
        },
      },
      {},
      {
        // Two codes in one go (a double submit): both signals reach the workflow in one activation.
        pauseWhen: (p) => p.status === 'waiting_for_otp',
        whilePaused: async (handle) => {
          await handle.signal(submitOtpSignal, { otpRef: 'otp-A' });
          await handle.signal(submitOtpSignal, { otpRef: 'otp-B' });
        },
        onProgress: (p, handle) => {
          if (p.status !== 'waiting_for_otp' || p.waitingFor?.kind !== 'otp') return;
          waits.push(p.waitingFor.attemptsLeft);
          if (waits.length === 2) void handle.signal(submitOtpSignal, { otpRef: 'otp-C' });
        },
      },
    );
    expect(run).toMatchObject({ result: { status: 'completed' } });
    // The second prompt waited for a code of its own; the extra one did not use up an attempt.
    expect(entered).toEqual(['otp-A', 'otp-C']);
    expect(waits).toEqual([5, 4]);
  });

  it('a CAPTCHA on the email form solved after the email wait would have run out: the reset still waits for the email', async () => {
    let submits = 0;
    let emailSent!: () => void;
    const sent = new Promise<void>((resolve) => (emailSent = resolve));
    let firstWaitEnded!: () => void;
    const firstEnded = new Promise<void>((resolve) => (firstWaitEnded = resolve));
    let mailWaits = 0;
    const run = await runReset(
      {
        submitAccountEmail: async () => {
          if (++submits === 1) return { next: 'captcha', captchaVendor: 'recaptcha' };
          emailSent();
          return { next: 'email_sent' };
        },
        // As the real wait: the email, or EmailTimeout once timeoutMs has passed since its
        // mailbox snapshot was taken; cancellable.
        waitForResetEmail: async ({ timeoutMs, snapshot }) => {
          const n = ++mailWaits;
          const ctx = Context.current();
          const beat = setInterval(() => ctx.heartbeat(), 200);
          let timer: NodeJS.Timeout | undefined;
          try {
            await Promise.race([
              sent,
              ctx.cancelled,
              new Promise((_, reject) => {
                const left = timeoutMs - (Date.now() - new Date(snapshot.takenAt).getTime());
                timer = setTimeout(() => reject(ApplicationFailure.nonRetryable('No reset email arrived in time.', 'EmailTimeout')), left);
              }),
            ]);
            return { kind: 'link', secretId: 'link-1', rejectedCount: 0 };
          } finally {
            clearInterval(beat);
            clearTimeout(timer);
            if (n === 1) firstWaitEnded();
          }
        },
      },
      { emailWaitMs: 3_000, captchaWaitMs: 90_000 },
      {
        // The person comes back from the CAPTCHA only once the first email wait is over.
        onProgress: (p, handle) => {
          if (p.status === 'captcha_required') void firstEnded.then(() => handle.signal(continueSignal));
        },
      },
    );
    expect(run).toMatchObject({ result: { status: 'completed' } });
    expect(submits).toBe(2);
    // Every submit of the form had a mailbox snapshot of its own taken before it, and its own wait.
    const mailCalls = run.calls.filter((c) => c === 'snapshotMailbox' || c === 'submitAccountEmail');
    expect(mailCalls).toEqual(['snapshotMailbox', 'submitAccountEmail', 'snapshotMailbox', 'submitAccountEmail']);
    expect(mailWaits).toBe(2);
  });
});

/** The queue a browser worker process answers "still here?" on, whatever its browser slots are doing. */
const aliveQueueOf = (browserQueue: string) => `${browserQueue}/alive`;

describe('resetPasswordWorkflow, a busy browser worker is not a lost one', { timeout: 180_000 }, () => {
  it('a fifth reset on a worker with four browser slots waits for a slot and completes', async () => {
    const SLOTS = 4;
    const taskQueue = `reset-busy-${randomBytes(4).toString('hex')}`;
    const browserQueue = `${taskQueue}/browser/one-worker`;
    let releaseSlots!: () => void;
    const slotsReleased = new Promise<void>((resolve) => (releaseSlots = resolve));
    let holding = 0;
    let pings = 0;
    const claimsOf = new Map<string, number>();
    const activities = fakeActivities(
      browserQueue,
      {
        claimBrowserWorker: async ({ taskId }) => {
          claimsOf.set(taskId, (claimsOf.get(taskId) ?? 0) + 1);
          return { queue: browserQueue };
        },
        // The first four resets each hold a browser slot until released: a slow page.
        openResetPage: async ({ taskId }) => {
          if (!taskId.startsWith('fifth-')) {
            holding++;
            await slotsReleased;
          }
          return emailForm;
        },
      },
      [],
    );
    const ns = inject('temporalNamespace');
    const shared = await Worker.create({ connection: workerConnection, namespace: ns, taskQueue, workflowBundle: bundle, activities });
    const claims = await Worker.create({
      connection: workerConnection,
      namespace: ns,
      taskQueue: browserClaimQueue(taskQueue),
      activities: { claimBrowserWorker: activities.claimBrowserWorker! },
    });
    // As worker/create-workers.ts: the browser steps, at most SLOTS at once…
    const browser = await Worker.create({
      connection: workerConnection,
      namespace: ns,
      taskQueue: browserQueue,
      activities,
      maxConcurrentActivityTaskExecutions: SLOTS,
    });
    // …and the process's answer to "are you still there?", which full slots do not block.
    const alive = await Worker.create({
      connection: workerConnection,
      namespace: ns,
      taskQueue: browserWorkerAliveQueue(browserQueue),
      activities: {
        browserWorkerAlive: async () => {
          pings++;
          if (pings >= 2) releaseSlots(); // the slow pages finish once the fifth reset has waited a while
          return { sessions: holding };
        },
      },
    });
    const input = (taskId: string): ResetPasswordInput => ({
      taskId,
      userId: 'user-1',
      serviceId: 'papercrane',
      emailWaitMs: 30_000,
      otpWaitMs: 30_000,
      captchaWaitMs: 30_000,
      tuning: { heartbeat: '30 seconds', scheduleToStart: '2 seconds', mailboxGiveUp: '4 seconds' },
    });
    const run = Promise.all([shared.run(), claims.run(), browser.run(), alive.run()]);
    try {
      const first = await Promise.all(
        Array.from({ length: SLOTS }, (_, i) =>
          client.workflow.start(resetPasswordWorkflowName, { taskQueue, workflowId: `reset-busy-${taskQueue}-${i}`, args: [input(`held-${i}-${taskQueue}`)] }),
        ),
      );
      const deadline = Date.now() + 60_000;
      while (holding < SLOTS && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(holding).toBe(SLOTS);
      const fifthId = `fifth-${taskQueue}`;
      const fifth = await client.workflow.start(resetPasswordWorkflowName, { taskQueue, workflowId: `reset-busy-${taskQueue}-5`, args: [input(fifthId)] });
      // Before the fix the fifth ends WorkerLost while the slots are still held: release them then too.
      const fifthResult = fifth.result().finally(releaseSlots);
      const results = await Promise.all([fifthResult, ...first.map((h) => h.result())]);
      expect(results[0]).toMatchObject({ status: 'completed' });
      for (const r of results) expect(r.status).toBe('completed');
      // Waiting for a slot is not a worker move: the fifth reset claimed a worker once.
      expect(claimsOf.get(fifthId)).toBe(1);
      expect(pings).toBeGreaterThan(0);
    } finally {
      releaseSlots();
      for (const w of [shared, claims, browser, alive]) if (w.getState() === 'RUNNING') w.shutdown();
      await run;
    }
  });
});
