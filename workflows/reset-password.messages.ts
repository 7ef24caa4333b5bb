// The reset workflow's contract: its input, signals, queries and the progress
// it reports. The API imports this file (never the workflow), so signal and
// query names exist only here. Only ids and non-secret facts travel: the OTP a
// person types is stored encrypted by the API and the signal carries its id.
import { defineQuery, defineSignal } from '@temporalio/workflow';

export const resetPasswordWorkflowName = 'resetPasswordWorkflow';

export const stepNames = ['navigate', 'enter_email', 'wait_for_email', 'follow_link', 'set_password', 'verify_login'] as const;
export type StepName = (typeof stepNames)[number];

export type StepStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped';

export type TaskStatus =
  | 'pending'
  | 'running'
  | 'waiting_for_email'
  | 'waiting_for_otp'
  | 'captcha_required'
  | 'completed'
  | 'failed'
  | 'cancelled';

export const terminalStatuses: readonly TaskStatus[] = ['completed', 'failed', 'cancelled'];

export interface ResetPasswordInput {
  taskId: string;
  userId: string;
  serviceId: string;
  /** Waits, in ms (configurable; defaults 10 min e-mail, 10 min OTP). */
  emailWaitMs: number;
  otpWaitMs: number;
  captchaWaitMs: number;
  /**
   * How fast a lost browser worker is noticed, how long a reset waits for any
   * worker with a browser before failing with BrowserUnavailable, and how long an
   * unreachable mailbox is retried (Temporal durations such as '20 seconds').
   * Tests shorten them; production keeps the defaults.
   */
  tuning?: { heartbeat?: string; scheduleToStart?: string; browserWait?: string; mailboxGiveUp?: string };
}

export interface StepProgress {
  name: StepName;
  status: StepStatus;
  /** Milliseconds; set once the step ends (running steps: time so far). */
  durationMs?: number;
  startedAt?: string;
  /** A short, non-secret description for the chat's "Agent" section. */
  detail?: string;
}

export type WaitingFor =
  | { kind: 'email'; since: string }
  | { kind: 'otp'; since: string; until: string; source: 'totp' | 'sms' | 'email' | 'unknown'; attemptsLeft: number }
  | { kind: 'captcha'; since: string; until: string; vendor: string };

export interface ResetProgress {
  taskId: string;
  status: TaskStatus;
  step?: StepName;
  steps: StepProgress[];
  /** Id of the latest screenshot in the screenshot store (never the image). */
  screenshotId?: string;
  waitingFor?: WaitingFor;
  failure?: { type: string; message: string };
  /** Vault entry that holds the new password once completed. */
  vaultEntryId?: string;
  /** Completed: whether the site or a sign-in confirmed the change (false: the new password waits, pending, for the person). */
  confirmed?: boolean;
  /** Bumped on every change: SSE event ids and cheap change detection. */
  seq: number;
}

export interface ResetResult {
  status: 'completed' | 'failed' | 'cancelled';
  vaultEntryId?: string;
  passwordVersionId?: string;
  /**
   * Completed only: true when the site said so or a sign-in with the new password
   * worked; false when neither could tell (the site answered ambiguously and its
   * sign-in could not be tried). Then the new password stays `pending` in the vault,
   * is what reveal shows, and the person confirms it or goes back to the previous one.
   */
  confirmed?: boolean;
  failure?: { type: string; message: string };
}

/**
 * The longest a whole reset may run: every wait at its longest, for each of the
 * workflow's restarts, and an hour for the browser steps between them.
 */
export function resetRunTimeoutMs(input: Pick<ResetPasswordInput, 'emailWaitMs' | 'otpWaitMs' | 'captchaWaitMs'>): number {
  const waits = input.emailWaitMs + 5 * input.otpWaitMs + 2 * input.captchaWaitMs;
  return 3 * waits + 60 * 60_000;
}

/** A code typed by the person: `otpRef` is the id of its encrypted TaskSecret row. */
export interface SubmitOtpArgs {
  otpRef: string;
}

export const submitOtpSignal = defineSignal<[SubmitOtpArgs]>('submitOtp');
export const cancelSignal = defineSignal<[{ reason?: string }?]>('cancel');
/** The person dealt with a CAPTCHA prompt (e.g. wants another attempt). */
export const continueSignal = defineSignal('continue');
export const progressQuery = defineQuery<ResetProgress>('progress');

export const searchAttributeNames = {
  service: 'RekeyService',
  status: 'RekeyStatus',
  step: 'RekeyStep',
  userId: 'RekeyUserId',
  taskId: 'RekeyTaskId',
  startedAt: 'RekeyStartedAt',
} as const;

export function workflowIdFor(serviceId: string, taskId: string): string {
  return `reset-${serviceId}-${taskId}`;
}

export const sharedTaskQueueDefault = 'rekey-resets';

/**
 * The queue of the activity that hands a reset to a browser worker. Only
 * workers that have a browser poll it, so "someone polls it" means "a reset can
 * get a browser": the workflow's claim waits on it (then BrowserUnavailable),
 * and the API reads its pollers to refuse resets no worker could run.
 */
export const browserClaimQueue = (taskQueue: string) => `${taskQueue}/browser-claims`;


/**
 * A browser worker process's own "are you still there?" queue, polled by a worker
 * of its own so that full browser slots never keep it from answering: a step that
 * waited past its schedule-to-start on a busy worker is not taken for a lost one.
 */
export const browserWorkerAliveQueue = (browserQueue: string) => `${browserQueue}/alive`;
