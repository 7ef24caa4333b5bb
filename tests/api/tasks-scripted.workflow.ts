// A stand-in for resetPasswordWorkflow in the OTP and stream tests: it answers
// the real progressQuery and takes the real submitOtp signal, and its progress
// is whatever the test scripts — so a test can hold a reset at "waiting for a
// code" as long as it likes, without a browser.
import { condition, defineQuery, defineSignal, setHandler } from '@temporalio/workflow';
import { progressQuery, submitOtpSignal, terminalStatuses, type ResetProgress } from '../../workflows/reset-password.messages.js';

export const scriptProgressSignal = defineSignal<[Partial<ResetProgress>]>('testScriptProgress');
export const otpRefsQuery = defineQuery<string[]>('testOtpRefs');

export async function scriptedResetWorkflow(args: { taskId: string }): Promise<void> {
  const progress: ResetProgress = { taskId: args.taskId, status: 'running', step: 'navigate', steps: [], seq: 1 };
  const otpRefs: string[] = [];
  setHandler(progressQuery, () => progress);
  setHandler(otpRefsQuery, () => otpRefs);
  setHandler(submitOtpSignal, ({ otpRef }) => {
    otpRefs.push(otpRef);
  });
  setHandler(scriptProgressSignal, (patch) => {
    Object.assign(progress, patch);
    if (!patch.waitingFor) delete progress.waitingFor;
  });
  await condition(() => terminalStatuses.includes(progress.status));
}
