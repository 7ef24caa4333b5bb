// What the person can do after a failed reset, by failure type (lib/errors.ts
// resetFailures). Rekey's own words only: nothing here comes from the site.
import { isResetFailureType, resetFailures, type ResetFailureType } from '../errors.js';
import { code } from './markdown.js';

const advice: Partial<Record<ResetFailureType, string>> = {
  CaptchaRequired: 'Change the password on {service} yourself, or retry later — sites often stop asking after a while.',
  CaptchaTimeout: 'Change the password on {service} yourself, or retry later.',
  EmailTimeout: 'Check that your mailbox settings work (Mailbox page → Test connection) and that {service} knows this email address, then retry.',
  AccountNotFound: 'Check which email address your {service} account uses, fix it in the vault entry, then retry.',
  MailboxAuth: 'Update the mailbox password on the Mailbox page, then retry.',
  MailboxUnreachable: 'Check the mailbox host and port on the Mailbox page, then retry.',
  MailboxNotAllowed: 'Use your mail provider’s public IMAP host on the Mailbox page, then retry.',
  OtpTimeout: 'Retry when you have your phone at hand: the code has to be typed within the wait.',
  OtpRejected: 'Retry, and type the newest code the site sent.',
  PasswordRejected: 'Check the site’s password rules; retry, or change it on {service} yourself.',
  NewPasswordUnverified: 'Sign in on {service} with the pending password from the vault first, then the previous one. Both are kept.',
  TargetNotAllowed: 'Rekey only resets passwords on public websites.',
  LinkHostMismatch: 'The email did not look like it came from {service}. Check your inbox before you retry.',
  ResetEntryNotFound: 'Give the exact address of the site’s forgot-password page and try again.',
  UnsupportedChallenge: 'Change the password on {service} yourself.',
};

export function nextStepsAfter(type: string, ctx: { serviceName: string; taskId: string }): string {
  // People read this (the web chat shows a Retry button beside it): the job, never an API path.
  const retry = `Retry this reset (job ${code(ctx.taskId)}), or ask me to reset it again.`;
  const text = isResetFailureType(type) ? advice[type] : undefined;
  if (text) return `What to do next: ${text.replaceAll('{service}', ctx.serviceName)} ${retry}`;
  const retryable = isResetFailureType(type) ? resetFailures[type].retryable : true;
  return retryable ? `What to do next: this is often temporary. ${retry}` : `What to do next: ${retry}`;
}
