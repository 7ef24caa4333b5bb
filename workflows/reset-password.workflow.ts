// resetPasswordWorkflow: orchestration only. Every side effect is an activity;
// every secret stays inside activities or in encrypted rows referenced by id.
//
//   navigate → enter_email → wait_for_email → follow_link → set_password → verify_login
//
// Browser steps run on the task queue of the one worker that holds the
// person's browser context; if that worker disappears, another claims the
// reset and restores the saved (encrypted) storage state.
//
// Changing this workflow safely. A reset runs for up to resetRunTimeoutMs
// (hours), so a deploy meets resets in flight, and a new worker replays their
// histories with the new code: any change in the commands it issues (an
// activity, timer or signal added, removed, reordered or given other options
// that show in history) fails those resets with a non-determinism error.
//   - Put such a change behind `patched(patches.x)`: the new code where it
//     returns true, the old code untouched where it returns false (histories
//     recorded before the patch). Add the id to `patches`, never reuse one.
//   - Once no run that started before the patch can be open any more (its
//     run timeout has passed since the deploy), replace `patched(x)` by
//     `deprecatePatch(x)` and delete the old branch; a deploy later, delete
//     the call too.
//   - Pure changes that issue the same commands (wording of a step's detail,
//     logging, a query's shape) need no patch.
//   - Record histories of the new code (`npm run histories:record`) and commit
//     them next to the old ones: tests/workflows/replay.test.ts replays every
//     one with this file, so CI fails a change that would break a reset in
//     flight. Never re-record or delete an old history to make it pass.
// Changes to the messages (reset-password.messages.ts) follow the same rule:
// add optional fields, never rename or remove what a running reset sends.
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  isCancellation,
  log,
  patched,
  proxyActivities,
  setHandler,
  TimeoutFailure,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { msToNumber, TimeoutType, type Duration, type RetryPolicy } from '@temporalio/common';
import type { BrowserActivities, BrowserStepResult } from '../activities/browser/browser-activities.js';
import type { MailActivities } from '../activities/mail/mail-activities.js';
import type { TaskActivities } from '../activities/tasks/task-activities.js';
import { describeResetFailure, isResetFailureType, nonRetryableFailureTypes, type ResetFailureType } from '../lib/errors.js';
import {
  browserClaimQueue,
  browserWorkerAliveQueue,
  cancelSignal,
  continueSignal,
  progressQuery,
  searchAttributeNames as sa,
  stepNames,
  submitOtpSignal,
  type ResetPasswordInput,
  type ResetProgress,
  type ResetResult,
  type StepName,
  type TaskStatus,
  type WaitingFor,
} from './reset-password.messages.js';

/** Activity profiles: each dependency fails differently, so each has its own policy. */
const db = proxyActivities<TaskActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '200 milliseconds', maximumInterval: '10 seconds', maximumAttempts: 20 },
});

/**
 * Changes made behind `patched` (see "Changing this workflow safely" above). Resets
 * started before a patch keep its old behaviour to their end.
 */
const patches = {
  /**
   * A CAPTCHA on the email form stops the mailbox wait; each later submit of the form
   * takes its own snapshot and wait, so the email wait counts from the submit the site
   * took, not from the first one.
   */
  mailWaitPerSubmit: 'mail-wait-per-submit',
  /** One code answers one prompt: a second code sent during the same wait is dropped. */
  oneCodePerPrompt: 'one-code-per-prompt',
} as const;

const MAX_OTP_ATTEMPTS = 5;
const MAX_RESTARTS = 2;
const MAX_WORKER_CLAIMS = 4;
/** Schedule-to-start periods one browser step may wait for a slot on a worker that answers it is alive. */
const MAX_BUSY_WAITS = 40;

export async function resetPasswordWorkflow(input: ResetPasswordInput): Promise<ResetResult> {
  const tuning = { heartbeat: '20 seconds', scheduleToStart: '15 seconds', browserWait: '2 minutes', mailboxGiveUp: '3 minutes', ...input.tuning } as {
    heartbeat: Duration;
    scheduleToStart: Duration;
    browserWait: Duration;
    mailboxGiveUp: Duration;
  };
  const claim = proxyActivities<Pick<BrowserActivities, 'claimBrowserWorker'>>({
    // Only workers with a browser poll this queue. Nobody taking the claim within
    // browserWait (long enough for a crashed worker to come back) means no browser.
    taskQueue: browserClaimQueue(workflowInfo().taskQueue),
    scheduleToStartTimeout: tuning.browserWait,
    startToCloseTimeout: '30 seconds',
    retry: { maximumAttempts: 10 },
  });
  // A mailbox that stays unreachable ends the reset: retries stop once `mailboxGiveUp`
  // has passed beyond what the step itself may take (the email wait, for the wait).
  const mailRetry: RetryPolicy = { initialInterval: '1 second', maximumInterval: '15 seconds', nonRetryableErrorTypes: nonRetryableFailureTypes };
  const mailboxGiveUpMs = msToNumber(tuning.mailboxGiveUp);
  const mailSnapshot = proxyActivities<Pick<MailActivities, 'snapshotMailbox'>>({
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: mailboxGiveUpMs,
    retry: mailRetry,
  });
  const mailWait = proxyActivities<Pick<MailActivities, 'waitForResetEmail'>>({
    startToCloseTimeout: input.emailWaitMs + 120_000,
    scheduleToCloseTimeout: input.emailWaitMs + mailboxGiveUpMs,
    heartbeatTimeout: tuning.heartbeat,
    retry: mailRetry,
  });
  const browserOn = (queue: string) =>
    proxyActivities<BrowserActivities>({
      taskQueue: queue,
      // A browser step must start on the worker holding the context, soon, or we move.
      scheduleToStartTimeout: tuning.scheduleToStart,
      startToCloseTimeout: '4 minutes',
      heartbeatTimeout: tuning.heartbeat,
      retry: { initialInterval: '1 second', maximumAttempts: 3, nonRetryableErrorTypes: nonRetryableFailureTypes },
    });

  // ---- versions: decided once, at the start of the run (see `patches`) ----
  const mailWaitPerSubmit = patched(patches.mailWaitPerSubmit);
  const oneCodePerPrompt = patched(patches.oneCodePerPrompt);

  // ---- state and handlers (set before the first await) ----
  const startedAt = new Date();
  const progress: ResetProgress = {
    taskId: input.taskId,
    status: 'pending',
    steps: stepNames.map((name) => ({ name, status: 'pending' })),
    seq: 0,
  };
  const otpRefs: string[] = [];
  let cancelRequested: string | undefined;
  let continueRequested = false;
  let otpAttemptsLeft = MAX_OTP_ATTEMPTS;
  const scope = new CancellationScope();

  setHandler(progressQuery, () => progress);
  setHandler(submitOtpSignal, ({ otpRef }) => {
    if (progress.waitingFor?.kind !== 'otp' || otpAttemptsLeft <= 0) return;
    // A code answers the prompt it was typed at. A second one sent while that prompt
    // waits (a double submit, two tabs) is dropped: kept, it would be typed unseen at
    // the next prompt and use up one of the person's attempts.
    if (oneCodePerPrompt && otpRefs.length > 0) return;
    otpAttemptsLeft--;
    otpRefs.push(otpRef);
  });
  setHandler(cancelSignal, (args) => {
    cancelRequested = args?.reason ?? 'cancelled by the person';
    scope.cancel();
  });
  setHandler(continueSignal, () => {
    continueRequested = true;
  });

  // ---- progress bookkeeping ----
  // The database mirror is written by an activity at every change. The reset does not
  // wait for it: writes carry `seq` and a stale one is dropped, so order is kept; all
  // of them are settled before the final state is written.
  const stepStartedAt = new Map<StepName, number>();
  const publishing: Promise<void>[] = [];
  const publish = () => {
    progress.seq++;
    upsertSearchAttributes({
      [sa.status]: [progress.status],
      [sa.step]: progress.step ? [progress.step] : [],
    });
    // A mirror write that fails for good (database down past its retries, row gone) is
    // logged and superseded by the next one; it never fails or stalls the reset.
    const write = CancellationScope.nonCancellable(() => db.recordProgress({ progress: snapshot(progress) })).catch((err: unknown) =>
      log.warn('progress mirror write failed', { taskId: input.taskId, seq: progress.seq, type: failureOf(err).type }),
    );
    publishing.push(write);
  };
  const setStatus = (status: TaskStatus, waitingFor?: WaitingFor) => {
    progress.status = status;
    progress.waitingFor = waitingFor;
    publish();
  };
  const startStep = (name: StepName, detail?: string) => {
    const step = progress.steps.find((s) => s.name === name)!;
    stepStartedAt.set(name, Date.now());
    Object.assign(step, { status: 'running', startedAt: new Date().toISOString(), detail, durationMs: undefined });
    progress.step = name;
    progress.status = 'running';
    progress.waitingFor = undefined;
    publish();
  };
  const endStep = (name: StepName, status: 'completed' | 'failed' | 'skipped', detail?: string) => {
    const step = progress.steps.find((s) => s.name === name)!;
    const began = stepStartedAt.get(name);
    step.status = status;
    step.durationMs = began === undefined ? 0 : Date.now() - began;
    if (detail) step.detail = detail;
    publish();
  };
  const noteScreenshot = (r: { screenshotId?: string }) => {
    if (r.screenshotId) progress.screenshotId = r.screenshotId;
  };

  // ---- the browser worker that holds this reset's context ----
  let browserQueue = '';
  let claims = 0;
  const claimWorker = async () => {
    if (++claims > MAX_WORKER_CLAIMS) throw ApplicationFailure.create({ type: 'WorkerLost', message: describeResetFailure('WorkerLost'), nonRetryable: true });
    try {
      browserQueue = (await claim.claimBrowserWorker({ taskId: input.taskId })).queue;
    } catch (err) {
      if (!timedOut(err, TimeoutType.SCHEDULE_TO_START)) throw err;
      throw ApplicationFailure.create({ type: 'BrowserUnavailable', message: describeResetFailure('BrowserUnavailable'), nonRetryable: true });
    }
  };
  const aliveOn = (queue: string) =>
    proxyActivities<Pick<BrowserActivities, 'browserWorkerAlive'>>({
      taskQueue: browserWorkerAliveQueue(queue),
      scheduleToStartTimeout: tuning.scheduleToStart,
      startToCloseTimeout: '10 seconds',
      retry: { maximumAttempts: 1 },
    });
  /** Whether the worker behind `queue` still answers (on its own queue, which busy browser slots do not block). */
  const workerAnswers = async (queue: string): Promise<boolean> => {
    try {
      await aliveOn(queue).browserWorkerAlive();
      return true;
    } catch {
      return false;
    }
  };
  /**
   * Runs a browser activity; if its worker is gone, moves to another one and tries again.
   * A step that could not start in time on a worker that still answers found every
   * browser slot busy: it waits for one there, where the context lives, instead.
   */
  async function browser<T extends { screenshotId?: string }>(call: (b: ReturnType<typeof browserOn>) => Promise<T>): Promise<T> {
    let busyWaits = 0;
    for (;;) {
      if (!browserQueue) await claimWorker();
      try {
        const result = await call(browserOn(browserQueue));
        noteScreenshot(result);
        return result;
      } catch (err) {
        if (!workerLost(err)) throw err;
        if (
          timedOut(err, TimeoutType.SCHEDULE_TO_START) &&
          busyWaits < MAX_BUSY_WAITS &&
          patched('busy-browser-worker-is-not-lost') &&
          (await workerAnswers(browserQueue))
        ) {
          busyWaits++;
          log.info('browser worker busy; waiting for a slot', { taskId: input.taskId });
          continue;
        }
        log.warn('browser worker lost; moving the reset to another worker', { taskId: input.taskId });
        browserQueue = '';
      }
    }
  }

  // ---- waits for the person ----
  async function waitForOtp(source: 'totp' | 'sms' | 'email' | 'unknown'): Promise<string> {
    if (oneCodePerPrompt) otpRefs.length = 0; // nothing typed before this prompt answers it
    const until = new Date(Date.now() + input.otpWaitMs);
    setStatus('waiting_for_otp', {
      kind: 'otp', since: new Date().toISOString(), until: until.toISOString(), source, attemptsLeft: otpAttemptsLeft,
    });
    const got = await condition(() => otpRefs.length > 0, input.otpWaitMs);
    if (!got) throw ApplicationFailure.create({ type: 'OtpTimeout', message: describeResetFailure('OtpTimeout'), nonRetryable: true });
    progress.status = 'running';
    progress.waitingFor = undefined;
    publish();
    return otpRefs.shift()!;
  }

  async function waitForCaptcha(vendor: string): Promise<void> {
    const until = new Date(Date.now() + input.captchaWaitMs);
    continueRequested = false;
    setStatus('captcha_required', { kind: 'captcha', since: new Date().toISOString(), until: until.toISOString(), vendor });
    const got = await condition(() => continueRequested, input.captchaWaitMs);
    if (!got) {
      throw ApplicationFailure.create({ type: 'CaptchaRequired', message: describeResetFailure('CaptchaRequired'), nonRetryable: true });
    }
  }

  /** Answers code prompts (TOTP from the vault, else the person's code) until the page moves on. */
  async function answerCodePrompts(result: BrowserStepResult, step: StepName): Promise<BrowserStepResult> {
    let current = result;
    let attempts = 0;
    while (current.next === 'otp_prompt') {
      if (++attempts > MAX_OTP_ATTEMPTS) throw ApplicationFailure.create({ type: 'OtpRejected', message: describeResetFailure('OtpRejected'), nonRetryable: true });
      const source = current.otpSource ?? 'unknown';
      if (current.totpAvailable && attempts <= 2) {
        startStep(step, 'Entering the authenticator code from the vault…');
        current = await browser((b) => b.enterOtp({ taskId: input.taskId, useTotp: true }));
      } else {
        const otpRef = await waitForOtp(source);
        startStep(step, 'Entering the code you gave…');
        current = await browser((b) => b.enterOtp({ taskId: input.taskId, otpRef }));
      }
    }
    return current;
  }

  function failIfError(result: BrowserStepResult): void {
    if (result.next === 'error') {
      const type = result.failureType ?? 'SiteChanged';
      throw ApplicationFailure.create({ type, message: describeResetFailure(type), nonRetryable: true });
    }
  }

  // ---- the reset ----
  let result: ResetResult;
  try {
    result = await scope.run(async () => {
      const begun = await db.beginReset({ taskId: input.taskId, workflowRunId: workflowInfo().runId });
      progress.vaultEntryId = begun.vaultEntryId;
      upsertSearchAttributes({ [sa.startedAt]: [startedAt] });

      for (let attempt = 0; ; attempt++) {
        // navigate
        startStep('navigate', `Opening the ${begun.serviceName} password reset page…`);
        let mailboxSnapshot = await mailSnapshot.snapshotMailbox({ taskId: input.taskId });
        let nav = await browser((b) => b.openResetPage({ taskId: input.taskId }));
        failIfError(nav);
        endStep('navigate', 'completed');

        // The mailbox watch starts before the email is submitted: it is connected and
        // idling when the reset email lands, however fast the site sends it.
        let mailScope!: CancellationScope;
        const watchMailbox = () => {
          mailScope = new CancellationScope();
          const arrival = mailScope.run(() =>
            mailWait.waitForResetEmail({ taskId: input.taskId, snapshot: mailboxSnapshot, expect: 'either', timeoutMs: input.emailWaitMs }),
          );
          arrival.catch(() => undefined); // observed below, or cancelled with its scope
          return arrival;
        };
        let emailArrival = watchMailbox();
        let found: Awaited<typeof emailArrival>;
        try {
          // enter_email
          startStep('enter_email', 'Entering the account email…');
          let entered = await browser((b) => b.submitAccountEmail({ taskId: input.taskId }));
          while (entered.next === 'captcha') {
            // The form was not taken, so no email is on its way: the wait stops, and its
            // clock does not run while the person deals with the CAPTCHA.
            if (mailWaitPerSubmit) mailScope.cancel();
            await waitForCaptcha(entered.captchaVendor ?? 'unknown');
            startStep('enter_email', 'Trying again after the CAPTCHA prompt…');
            nav = await browser((b) => b.openResetPage({ taskId: input.taskId }));
            failIfError(nav);
            if (mailWaitPerSubmit) {
              // A snapshot taken before this submit, and a wait connected before it: the
              // email wait counts from the submit the site takes.
              mailboxSnapshot = await mailSnapshot.snapshotMailbox({ taskId: input.taskId });
              emailArrival = watchMailbox();
            }
            entered = await browser((b) => b.submitAccountEmail({ taskId: input.taskId }));
          }
          failIfError(entered);
          endStep('enter_email', 'completed');

          // wait_for_email: a link, or a code to type into the page that asked for it
          startStep('wait_for_email', 'Waiting for the reset email…');
          setStatus('waiting_for_email', { kind: 'email', since: new Date().toISOString() });
          found = await emailArrival;
        } finally {
          mailScope.cancel(); // no-op once the wait is over; stops it when enter_email failed
        }
        progress.status = 'running';
        endStep('wait_for_email', 'completed', `${found.kind === 'code' ? 'Reset code received' : 'Reset email received'}${found.authentication ? { dkim_aligned: ', signed by the service', provider_verified: ', verified by your mail provider', unauthenticated: ', sender not authenticated' }[found.authentication] : ''}`);

        // follow_link
        startStep('follow_link', found.kind === 'code' ? 'Entering the emailed code…' : 'Opening the reset link…');
        let opened = await browser((b) =>
          found.kind === 'code'
            ? b.enterEmailCode({ taskId: input.taskId, secretId: found.secretId })
            : b.openResetLink({ taskId: input.taskId, secretId: found.secretId }),
        );
        opened = await answerCodePrompts(opened, 'follow_link');
        if (opened.next === 'captcha') {
          await waitForCaptcha(opened.captchaVendor ?? 'unknown');
          throw ApplicationFailure.create({ type: 'CaptchaRequired', message: describeResetFailure('CaptchaRequired'), nonRetryable: true });
        }
        if (opened.next === 'link_expired' && attempt < MAX_RESTARTS) {
          endStep('follow_link', 'failed', 'The link had expired; requesting a new one');
          continue;
        }
        failIfError(opened);
        endStep('follow_link', 'completed');

        // set_password: stored as pending before submit; never a second password unless the first was rejected
        startStep('set_password', 'Setting a new generated password…');
        const set = await CancellationScope.nonCancellable(() =>
          browser((b) => b.setNewPassword({ taskId: input.taskId })),
        );
        if (set.outcome === 'restart' && attempt < MAX_RESTARTS) {
          // The link was consumed but the old password still works: the change never happened.
          endStep('set_password', 'failed', 'The site did not take the change; starting over');
          continue;
        }
        if (set.outcome === 'rejected' || set.outcome === 'restart') {
          throw ApplicationFailure.create({ type: set.failureType ?? 'PasswordRejected', message: describeResetFailure(set.failureType ?? 'PasswordRejected'), nonRetryable: true });
        }
        endStep('set_password', 'completed', set.outcome === 'accepted' ? 'The site accepted the new password' : 'Submitted; confirming with a sign-in');

        // verify_login: proves the change and promotes `pending` if the site said nothing clear
        startStep('verify_login', 'Signing in with the new password…');
        const verified = await CancellationScope.nonCancellable(() => browser((b) => b.verifyLogin({ taskId: input.taskId })));
        if (verified.outcome === 'old_password_works' && set.outcome !== 'accepted' && attempt < MAX_RESTARTS) {
          endStep('verify_login', 'failed', 'The old password still works: the change never happened; starting over');
          continue;
        }
        const confirmed = set.outcome === 'accepted' || verified.outcome === 'verified';
        if (verified.outcome === 'verified') endStep('verify_login', 'completed', 'Signed in with the new password');
        else if (confirmed) endStep('verify_login', 'skipped', verified.detail ?? 'Sign-in could not be checked');
        else if (verified.outcome === 'unsupported') {
          endStep('verify_login', 'skipped', `${verified.detail ?? 'Sign-in could not be checked'}: the new password waits in the vault for you to confirm it`);
        } else {
          throw ApplicationFailure.create({ type: 'NewPasswordUnverified', message: describeResetFailure('NewPasswordUnverified'), nonRetryable: true });
        }
        progress.confirmed = confirmed;
        return { status: 'completed' as const, vaultEntryId: begun.vaultEntryId, passwordVersionId: set.versionId, confirmed };
      }
    });
  } catch (err) {
    if (cancelRequested && isCancellation(err)) {
      result = { status: 'cancelled', vaultEntryId: progress.vaultEntryId, failure: { type: 'Cancelled', message: cancelRequested } };
    } else {
      const failure = failureOf(err);
      log.warn('reset failed', { taskId: input.taskId, type: failure.type });
      result = { status: 'failed', vaultEntryId: progress.vaultEntryId, failure };
      const running = progress.steps.find((s) => s.status === 'running');
      if (running) {
        running.status = 'failed';
        running.durationMs = Date.now() - (stepStartedAt.get(running.name) ?? Date.now());
      }
    }
  }

  // ---- wrap up, whatever happened ----
  await CancellationScope.nonCancellable(async () => {
    if (browserQueue) {
      await browserOn(browserQueue)
        .closeBrowserSession({ taskId: input.taskId })
        .catch(() => log.info('browser session already gone', { taskId: input.taskId }));
    }
    progress.status = result.status;
    progress.waitingFor = undefined;
    progress.failure = result.failure;
    progress.seq++;
    upsertSearchAttributes({ [sa.status]: [result.status], [sa.step]: progress.step ? [progress.step] : [] });
    await Promise.allSettled(publishing); // a lost mirror write is superseded by the final one
    try {
      await db.finishReset({ progress: snapshot(progress), result });
    } catch (err) {
      // The reset's outcome is this workflow's result either way; the task row and the
      // account lock are healed from it by the reconciler (lib/tasks/reconcile-tasks.ts).
      log.warn('final task write failed', { taskId: input.taskId, type: failureOf(err).type });
    }
  });
  await condition(allHandlersFinished);
  return result;
}

function snapshot(p: ResetProgress): ResetProgress {
  return { ...p, steps: p.steps.map((s) => ({ ...s })) };
}

/** A browser worker that stopped answering: its queue no longer starts or heartbeats our activities. */
function timedOut(err: unknown, type: TimeoutType): boolean {
  return err instanceof ActivityFailure && err.cause instanceof TimeoutFailure && err.cause.timeoutType === type;
}

function workerLost(err: unknown): boolean {
  if (!(err instanceof ActivityFailure)) return false;
  const cause = err.cause;
  if (cause instanceof TimeoutFailure) {
    return cause.timeoutType === TimeoutType.SCHEDULE_TO_START || cause.timeoutType === TimeoutType.HEARTBEAT;
  }
  return cause instanceof ApplicationFailure && cause.type === 'SessionLost';
}

const mailActivityTypes = new Set(['snapshotMailbox', 'waitForResetEmail']);

/** The reset's failure in the failure table's words; an error's own message is never copied. */
function failureOf(err: unknown): { type: ResetFailureType; message: string } {
  let e: unknown = err;
  let activityType: string | undefined;
  while (e instanceof ActivityFailure && e.cause) {
    activityType = e.activityType;
    e = e.cause;
  }
  // Out of time after retries: the last attempt's failure, when there is one, says why.
  if (e instanceof TimeoutFailure && e.cause instanceof ApplicationFailure) e = e.cause;
  const type = e instanceof ApplicationFailure ? (e.type ?? undefined) : undefined;
  if (isResetFailureType(type)) return { type, message: describeResetFailure(type) };
  if (e instanceof TimeoutFailure && activityType && mailActivityTypes.has(activityType)) {
    return { type: 'MailboxUnreachable', message: describeResetFailure('MailboxUnreachable') };
  }
  if (e instanceof TimeoutFailure) return { type: 'SiteChanged', message: describeResetFailure('SiteChanged') };
  return { type: 'Internal', message: describeResetFailure('Internal') };
}
