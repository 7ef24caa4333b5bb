// Every activity fails in Rekey's words. A library's error text can hold a
// secret: Playwright's message and call log carry the URL it was opening (a
// reset link with its token) and the value it was typing (a password), a
// driver's message the query it ran. Temporal keeps an activity's failure in
// history, and the workflow passes failures on to people. So whatever an
// activity throws leaves it as an ApplicationFailure with a stable type, one
// of our sentences and the retryability of what happened; the original is
// logged by class and a redacted first line, and never attached as `cause`
// (the failure converter would send its message and stack along).
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { describeResetFailure, isResetFailureType, type ResetFailureType } from '../lib/errors.js';
import type { Logger } from '../lib/logger.js';

export interface SecretSafeOptions {
  logger: Logger;
  /** What an error nobody classified becomes: a type of this activity group, retryable or not. */
  fallback: { type: string; message: string; retryable: boolean };
  /** ApplicationFailure types these activities throw themselves, with messages they wrote (reset failure types always count). */
  ownTypes?: readonly string[];
}

type ActivityFn = (...args: never[]) => Promise<unknown>;

/** The same activities, each turning any error into a failure of ours. */
export function secretSafe<T extends Record<string, ActivityFn>>(activities: T, options: SecretSafeOptions): T {
  const wrapped: Record<string, ActivityFn> = {};
  for (const [name, fn] of Object.entries(activities)) {
    wrapped[name] = async (...args) => {
      try {
        return await fn(...args);
      } catch (err) {
        throw toOwnFailure(err, name, options);
      }
    };
  }
  return wrapped as T;
}

/** Rekey's failure for `err`: ours passes (without a cause), anything else is classified and reworded. */
export function toOwnFailure(err: unknown, activity: string, options: SecretSafeOptions): Error {
  if (cancelled()) {
    // Temporal reports a cancelled activity as cancelled only for these; keep that, not the library's text.
    return err instanceof CancelledFailure ? err : new CancelledFailure('The activity was cancelled.');
  }
  if (err instanceof ApplicationFailure && err.type && (isResetFailureType(err.type) || options.ownTypes?.includes(err.type))) {
    if (err.cause === undefined) return err;
    return ApplicationFailure.create({ type: err.type, message: err.message, nonRetryable: err.nonRetryable ?? undefined, details: err.details ?? undefined });
  }
  const failure = classify(err) ?? options.fallback;
  options.logger.warn({ activity, error: errorClass(err), summary: redactedSummary(err), failureType: failure.type }, 'activity failed; reported in our words');
  return ApplicationFailure.create({ type: failure.type, message: failure.message, nonRetryable: !failure.retryable });
}

/** Errors whose kind we know, whatever their text. */
function classify(err: unknown): { type: string; message: string; retryable: boolean } | undefined {
  if (!(err instanceof Error)) return undefined;
  // Our own error classes (the mailbox errors) carry a reset failure type and whether a retry can help.
  const typed = err as Error & { type?: unknown; retryable?: unknown };
  if (typeof typed.type === 'string' && isResetFailureType(typed.type) && typeof typed.retryable === 'boolean') {
    return { type: typed.type, message: describeResetFailure(typed.type), retryable: typed.retryable };
  }
  // Playwright's TimeoutError: a page that did not load, a field that never became usable.
  if (err.name === 'TimeoutError') return resetFailure('SiteChanged', true);
  return undefined;
}

function resetFailure(type: ResetFailureType, retryable: boolean) {
  return { type, message: describeResetFailure(type), retryable };
}

function cancelled(): boolean {
  try {
    return Context.current().cancellationSignal.aborted;
  } catch {
    return false; // called outside an activity (a unit test)
  }
}

function errorClass(err: unknown): string {
  if (err instanceof Error) return err.constructor?.name && err.constructor.name !== err.name ? `${err.constructor.name}(${err.name})` : err.name;
  return typeof err;
}

/**
 * An error's first line without what could be secret: URLs cut to their
 * origin, quoted text and email addresses replaced, at most 200 characters.
 */
export function redactedSummary(err: unknown): string {
  const line = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
  return line
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => originOf(url))
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '"…"')
    .replace(/[^\s@<>"'(),;:]+@[^\s@<>"'(),;:]+/g, '[email]')
    .slice(0, 200);
}

function originOf(url: string): string {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? '[url]' : origin;
  } catch {
    return '[url]';
  }
}
