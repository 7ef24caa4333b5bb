// The task stream's events (reset-api.txt "Stream task progress"):
//
//   event: status      data: {"status":"running","step":"navigate"}
//   event: screenshot  data: {"url":"data:image/png;base64,…"}
//
// Each event's `id:` is the task's seq, so a reconnect with Last-Event-ID
// gets only what changed since. A completed reset names the vault entry that
// holds the new password — never the password.
import { describeResetFailure } from '../../lib/errors.js';
import type { ResetProgress } from '../../workflows/reset-password.messages.js';
import type { SseSink } from './sse.js';
import type { TaskUpdate } from './task-progress-hub.js';

export type TaskStatusEvent =
  | { status: 'pending' }
  | { status: 'running'; step?: string }
  | { status: 'waiting_for_email' }
  | { status: 'waiting_for_otp'; otpUrl?: string }
  | { status: 'captcha_required'; vendor: string; until?: string; message: string }
  | { status: 'completed'; vaultEntryId: string | null; confirmed: boolean }
  | { status: 'failed'; reason: string; type: string }
  | { status: 'cancelled'; reason: string };

export function statusEventData(progress: ResetProgress, extra: { otpUrl?: string } = {}): TaskStatusEvent {
  const waiting = progress.waitingFor;
  switch (progress.status) {
    case 'pending':
      return { status: 'pending' };
    case 'running':
      return progress.step ? { status: 'running', step: progress.step } : { status: 'running' };
    case 'waiting_for_email':
      return { status: 'waiting_for_email' };
    case 'waiting_for_otp':
      return extra.otpUrl ? { status: 'waiting_for_otp', otpUrl: extra.otpUrl } : { status: 'waiting_for_otp' };
    case 'captcha_required':
      return {
        status: 'captcha_required',
        vendor: waiting?.kind === 'captcha' ? waiting.vendor : 'unknown',
        ...(waiting?.kind === 'captcha' ? { until: waiting.until } : {}),
        message: 'The site asks for a CAPTCHA, which Rekey does not solve. See the screenshot; the reset stops when the wait ends.',
      };
    case 'completed':
      return { status: 'completed', vaultEntryId: progress.vaultEntryId ?? null, confirmed: progress.confirmed ?? true };
    case 'failed': {
      const type = progress.failure?.type ?? 'Internal';
      return { status: 'failed', reason: progress.failure?.message || describeResetFailure(type), type };
    }
    case 'cancelled':
      return { status: 'cancelled', reason: progress.failure?.message || 'The reset was cancelled.' };
  }
}

/**
 * One subscriber's view of the updates: sends what changed since what it
 * already has. `resumeFrom` is the Last-Event-ID (−1 for a fresh stream): the
 * first update sends the status and screenshot only if they changed after it.
 * Returns true once the terminal status has been written (or was already seen).
 */
export function createTaskEventWriter(sink: SseSink, resumeFrom: number) {
  let lastSeq = resumeFrom;
  let sentStatus: string | undefined;
  let sentScreenshot: string | undefined;
  let first = true;
  return async function write(update: TaskUpdate): Promise<boolean> {
    const seq = update.progress.seq;
    if (seq <= lastSeq) return update.terminal;
    const id = String(seq);
    const shot = update.screenshot;
    if (shot && shot.id !== sentScreenshot && (!first || shot.since > resumeFrom)) {
      await sink.event({ event: 'screenshot', id, data: JSON.stringify({ url: shot.dataUrl }) });
    }
    if (shot) sentScreenshot = shot.id;
    if (update.statusKey !== sentStatus && (!first || update.statusSince > resumeFrom)) {
      await sink.event({ event: 'status', id, data: JSON.stringify(update.status) });
    }
    sentStatus = update.statusKey;
    lastSeq = seq;
    first = false;
    return update.terminal;
  };
}
