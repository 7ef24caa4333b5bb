// The one error module. API errors carry a stable string code; the code decides
// the HTTP status. Reset failures carry a stable `type` (the ApplicationFailure
// type thrown by activities and the workflow) mapped here to what people read.
// Pure module: workflows import it too, so no Node built-ins here.

export const errorStatus = {
  bad_request: 400,
  validation_failed: 400,
  target_not_allowed: 400,
  wrong_password: 400,
  invalid_code: 400,
  unauthorized: 401,
  invalid_credentials: 401,
  challenge_invalid: 401,
  forbidden: 403,
  csrf_rejected: 403,
  sudo_required: 403,
  mfa_required: 403,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  not_waiting: 409,
  mailbox_required: 409,
  already_used: 409,
  gone: 410,
  payload_too_large: 413,
  rate_limited: 429,
  internal: 500,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: { field?: string; retryAfterSeconds?: number; [k: string]: unknown },
  ) {
    super(message);
    this.status = errorStatus[code];
  }
}

export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found`);

/** Why a reset failed: ApplicationFailure types, shared by activities, workflow and API. */
export const resetFailures = {
  CaptchaRequired: { retryable: false, reason: 'The site asked for a CAPTCHA that needs a person to solve.' },
  CaptchaTimeout: { retryable: false, reason: 'Nobody solved the CAPTCHA in time.' },
  ResetLinkNotFound: { retryable: true, reason: 'The reset email arrived but held no usable reset link or code.' },
  EmailTimeout: { retryable: false, reason: 'No reset email arrived in time. Check the mailbox settings and the account email.' },
  PasswordRejected: { retryable: false, reason: 'The site rejected every generated password.' },
  SiteChanged: { retryable: true, reason: 'The site did not behave as expected (a page or form could not be found).' },
  ResetEntryNotFound: { retryable: false, reason: 'Could not find how to reset the password on this site.' },
  AccountNotFound: { retryable: false, reason: 'The site says no account uses this email.' },
  OtpTimeout: { retryable: false, reason: 'No one-time code was given in time.' },
  OtpRejected: { retryable: false, reason: 'The site rejected the one-time codes it was given.' },
  UnsupportedChallenge: { retryable: false, reason: 'The site asked for a kind of verification Rekey cannot answer.' },
  MailboxAuth: { retryable: false, reason: 'The mailbox refused the IMAP credentials.' },
  MailboxUnreachable: { retryable: true, reason: 'The mailbox could not be reached.' },
  MailboxNotAllowed: { retryable: false, reason: 'The mail server resolves to a private or local address, which is not allowed.' },
  TargetNotAllowed: { retryable: false, reason: 'The site resolves to a private or local address, which is not allowed.' },
  LinkHostMismatch: { retryable: false, reason: 'The reset email pointed to a host that does not belong to the service.' },
  NewPasswordUnverified: {
    retryable: false,
    reason: 'The site did not confirm the change and neither password works. Try the pending password in the vault first, then the previous one.',
  },
  Cancelled: { retryable: false, reason: 'The reset was cancelled.' },
  WorkerLost: { retryable: true, reason: 'The browser worker stopped during the reset.' },
  Internal: { retryable: true, reason: 'The reset failed unexpectedly.' },
  // Ends the reconciler finds (lib/tasks/reconcile-tasks.ts): the workflow could not say them itself.
  NotStarted: { retryable: false, reason: 'The reset could not be started.' },
  Stopped: { retryable: false, reason: 'The reset was stopped before it finished.' },
  ResetTimeout: { retryable: false, reason: 'The reset took longer than any reset may, and was stopped.' },
  BrowserUnavailable: {
    retryable: false,
    reason: 'No browser is available to run resets. Whoever runs Rekey needs to install Chromium on the worker machine (on Debian: apt-get install chromium) and restart it; then try again.',
  },
} as const;

export type ResetFailureType = keyof typeof resetFailures;

export function isResetFailureType(type: string | undefined): type is ResetFailureType {
  return !!type && Object.hasOwn(resetFailures, type);
}

export function describeResetFailure(type: string | undefined, fallback = 'The reset failed.'): string {
  return isResetFailureType(type) ? resetFailures[type].reason : fallback;
}

/** Activity failure types that a retry cannot fix. */
export const nonRetryableFailureTypes = Object.entries(resetFailures)
  .filter(([, v]) => !v.retryable)
  .map(([k]) => k);
