import type { RejectedEmail } from './judge-reset-email.js';

/**
 * Base of the mailbox errors. `type` is stable: the activity layer turns it into an
 * `ApplicationFailure` type and the API maps it to an error code, so never rename one.
 * Messages never contain credentials, links or email content.
 */
export abstract class MailboxError extends Error {
  abstract readonly type: string;
  /** Whether retrying the same call can help (Temporal `nonRetryable` is its negation). */
  abstract readonly retryable: boolean;
}

/** No acceptable reset email arrived in time. `rejected` lists what was seen and refused. */
export class EmailTimeoutError extends MailboxError {
  readonly type = 'EmailTimeout';
  readonly retryable = false;
  constructor(
    readonly timeoutMs: number,
    readonly rejected: RejectedEmail[] = [],
  ) {
    super(`No reset email arrived within ${Math.round(timeoutMs / 1000)} s`);
    this.name = 'EmailTimeoutError';
  }
}

/** The server refused the credentials: a person has to fix the mailbox settings. */
export class MailboxAuthError extends MailboxError {
  readonly type = 'MailboxAuth';
  readonly retryable = false;
  constructor(options?: { cause?: unknown }) {
    super('The mail server rejected the mailbox user name or password', options);
    this.name = 'MailboxAuthError';
  }
}

/**
 * The mail server's host is (or now resolves to) an address Rekey may not
 * reach: loopback, private, metadata… (lib/net/target-guard.ts). Checked at
 * every connect, not only when the settings were saved.
 */
export class MailboxNotAllowedError extends MailboxError {
  readonly type = 'MailboxNotAllowed';
  readonly retryable = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MailboxNotAllowedError';
  }
}

/** The server could not be reached, dropped us for too long, or lacks the folder. */
export class MailboxUnreachableError extends MailboxError {
  readonly type = 'MailboxUnreachable';
  readonly retryable: boolean;
  constructor(message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, { cause: options?.cause });
    this.name = 'MailboxUnreachableError';
    this.retryable = options?.retryable ?? true;
  }
}
