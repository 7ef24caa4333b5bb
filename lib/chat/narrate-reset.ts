// Turns the reset's progress, as it changes, into the chat's markdown sections:
//
//   progress  "### Agent", then a line as each step starts and ends (with its duration)
//   gmail     "Waiting for reset email..." and when it arrived
//   captcha   the escalation, with a screenshot reference
//   password  "New password saved to vault." with the entry id — never the password
//   result    success, or the failure and what to do next
//
// Progress arrives by polling, so a step may start and end between two looks:
// both lines are still written, in step order.
import { stepNames, type ResetProgress, type StepName, type StepProgress } from '../../workflows/reset-password.messages.js';
import { code, escapeMarkdown, formatDuration, type ChatSection, type SectionName } from './markdown.js';
import { nextStepsAfter } from './next-steps.js';

export interface NarratorOptions {
  serviceName: string;
  taskId: string;
  /** Where the UI can load a screenshot from (a Rekey URL path). */
  screenshotPath: (screenshotId: string) => string;
}

export interface NarratedUpdate {
  progress: ResetProgress;
  otpUrl?: string;
}

type Seen = Pick<StepProgress, 'status' | 'startedAt'>;

export function createResetNarrator(opts: NarratorOptions) {
  const name = escapeMarkdown(opts.serviceName);
  const seen = new Map<StepName, Seen>();
  let agentOpened = false;
  let otpPromptFor: string | undefined;
  let captchaPromptFor: string | undefined;
  let finished = false;

  const startLine = (step: StepProgress): string => {
    switch (step.name) {
      case 'navigate':
        return `Navigating to ${name} password reset page...`;
      case 'enter_email':
        return /captcha/i.test(step.detail ?? '') ? 'Entering email address again after the CAPTCHA prompt...' : 'Entering email address...';
      case 'wait_for_email':
        return 'Waiting for reset email...';
      default:
        // Once a step has ended its detail says how it ended, not what it was doing.
        return step.status === 'running' && step.detail ? ellipsis(escapeMarkdown(step.detail)) : defaultStart[step.name];
    }
  };

  const endLine = (step: StepProgress): string => {
    const took = step.durationMs !== undefined ? ` (${formatDuration(step.durationMs)})` : '';
    const detail = step.detail ? escapeMarkdown(step.detail) : '';
    if (step.status === 'failed') return `✗ ${stepLabel[step.name]} did not work${took}${detail ? ` — ${detail}` : ''}`;
    if (step.status === 'skipped') return `– ${stepLabel[step.name]} skipped${detail ? ` — ${detail}` : ''}`;
    const done =
      step.name === 'wait_for_email' || step.name === 'set_password' || step.name === 'verify_login'
        ? detail || doneLabel[step.name]
        : doneLabel[step.name];
    return `✓ ${done}${took}`;
  };

  return {
    /** Sections for this change, in order; empty when nothing worth saying changed. */
    next(update: NarratedUpdate): ChatSection[] {
      if (finished) return [];
      const { progress } = update;
      const out: ChatSection[] = [];
      const say = (section: SectionName, line: string) => {
        const last = out.at(-1);
        if (last && last.name === section) last.lines.push(line);
        else {
          if (section === 'progress' && !agentOpened) {
            agentOpened = true;
            out.push({ name: section, lines: ['### Agent', line] });
            return;
          }
          out.push({ name: section, lines: [line] });
        }
      };

      for (const stepName of stepNames) {
        const step = progress.steps.find((s) => s.name === stepName);
        if (!step) continue;
        const before = seen.get(stepName);
        const section: SectionName = stepName === 'wait_for_email' ? 'gmail' : 'progress';
        const sameRun = before?.startedAt === step.startedAt;
        if (step.status === 'running' && !(before?.status === 'running' && sameRun)) {
          say(section, startLine(step));
        } else if (step.status === 'completed' || step.status === 'failed' || step.status === 'skipped') {
          if (!(before?.status === step.status && sameRun)) {
            // Started and ended between two looks: say both.
            if (step.startedAt && !(before?.status === 'running' && sameRun)) say(section, startLine(step));
            say(section, endLine(step));
          }
        }
        seen.set(stepName, { status: step.status, startedAt: step.startedAt });
      }

      const waiting = progress.waitingFor;
      if (progress.status === 'waiting_for_otp' && waiting?.kind === 'otp' && otpPromptFor !== waiting.until) {
        otpPromptFor = waiting.until;
        const from = waiting.source === 'sms' ? ' by text message' : waiting.source === 'email' ? ' by email' : waiting.source === 'totp' ? ' from your authenticator app' : '';
        say('progress', `${name} sent a one-time code${from}. Type just the code here in the chat to continue.`);
        if (update.otpUrl) say('progress', `On your phone? Open [this link](${update.otpUrl}) to type it there.`);
      }
      if (progress.status === 'captcha_required' && waiting?.kind === 'captcha' && captchaPromptFor !== waiting.since) {
        captchaPromptFor = waiting.since;
        const lines = [
          `**${name} asks for a CAPTCHA.** Rekey does not solve CAPTCHAs, and never guesses.`,
          ...(progress.screenshotId ? [`![Screenshot of the ${name} page](${opts.screenshotPath(progress.screenshotId)})`] : []),
          `Try again later with a retry of this job (${code(opts.taskId)}), or change the password on ${name} yourself.`,
        ];
        out.push({ name: 'captcha', lines });
      }

      if (progress.status === 'completed' && progress.confirmed === false) {
        // Not "complete": nobody knows yet which password works, so the person is told which to try.
        finished = true;
        out.push({ name: 'password', lines: [`New password saved to vault as pending.${progress.vaultEntryId ? ` Entry: ${code(progress.vaultEntryId)}` : ''}`] });
        out.push({
          name: 'result',
          lines: [
            `${name} took the new password but did not confirm the change, and Rekey could not sign in to check it. ` +
              `In the Vault, reveal the entry’s password (the new one, marked pending), sign in to ${name} with it, then choose “It works” or “Use the previous one”. ` +
              'Both passwords are kept until then.',
          ],
        });
      } else if (progress.status === 'completed') {
        finished = true;
        out.push({ name: 'password', lines: [`New password saved to vault.${progress.vaultEntryId ? ` Entry: ${code(progress.vaultEntryId)}` : ''}`] });
        out.push({ name: 'result', lines: ['Password reset complete! New password saved to vault.'] });
      } else if (progress.status === 'failed') {
        finished = true;
        const type = progress.failure?.type ?? 'Internal';
        out.push({
          name: 'result',
          lines: [
            `Password reset failed: ${escapeMarkdown(progress.failure?.message ?? 'the reset stopped unexpectedly.', 400)}`,
            nextStepsAfter(type, { serviceName: name, taskId: opts.taskId }),
          ],
        });
      } else if (progress.status === 'cancelled') {
        finished = true;
        out.push({ name: 'result', lines: ['Reset cancelled. Nothing more will be done on the site.'] });
      }
      return out;
    },
  };
}

const stepLabel: Record<StepName, string> = {
  navigate: 'Opening the reset page',
  enter_email: 'Entering the email address',
  wait_for_email: 'Waiting for the reset email',
  follow_link: 'Following the reset link',
  set_password: 'Setting the new password',
  verify_login: 'Signing in with the new password',
};

const doneLabel: Record<StepName, string> = {
  navigate: 'Reset page opened',
  enter_email: 'Email address entered',
  wait_for_email: 'Reset email received',
  follow_link: 'Reset link followed',
  set_password: 'New password set',
  verify_login: 'Signed in with the new password',
};

const defaultStart: Record<StepName, string> = {
  navigate: 'Navigating to the password reset page...',
  enter_email: 'Entering email address...',
  wait_for_email: 'Waiting for reset email...',
  follow_link: 'Opening the reset link...',
  set_password: 'Setting a new password...',
  verify_login: 'Signing in with the new password...',
};

/** The workflow writes "…"; the chat writes "..." like the seed. */
function ellipsis(text: string): string {
  return `${text.replace(/(?:…|\.{3})$/, '')}...`;
}
