// secretSafe: whatever an activity throws leaves it as a failure of ours —
// stable type, our sentence, retryability kept, no cause — and the log line
// about it holds no URL path, quoted value or email address.
import { ApplicationFailure } from '@temporalio/activity';
import { describe, expect, it } from 'vitest';
import { redactedSummary, secretSafe } from '../../activities/secret-safe.js';
import { MailboxUnreachableError } from '../../activities/mail/errors.js';
import { resetFailures } from '../../lib/errors.js';
import { createLogger } from '../../lib/logger.js';

const TOKEN = 'tok_4f9c2b7e1d0a';
const PASSWORD = 'Typed-Secret-Pa55!';

function playwrightTimeout(): Error {
  const err = new Error(
    `page.goto: Timeout 4000ms exceeded.\nCall log:\n  - navigating to "https://site.example/reset/${TOKEN}?email=ann%40example.com", waiting until "domcontentloaded"\n  - fill("${PASSWORD}")`,
  );
  err.name = 'TimeoutError';
  return err;
}

function setup() {
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (line: string) => void lines.push(line) } });
  const fallback = { type: 'Internal', message: resetFailures.Internal.reason, retryable: true };
  return { lines, options: { logger, fallback, ownTypes: ['TaskMissing'] } };
}

async function failureOf(thrown: unknown, options = setup().options): Promise<ApplicationFailure> {
  const activities = secretSafe({ step: async () => Promise.reject(thrown) }, options);
  const err = await activities.step().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}

describe('secretSafe', () => {
  it('turns a Playwright timeout into a retryable SiteChanged in our words, and logs no token or password', async () => {
    const { lines, options } = setup();
    const failure = await failureOf(playwrightTimeout(), options);
    expect(failure).toMatchObject({ type: 'SiteChanged', message: resetFailures.SiteChanged.reason, nonRetryable: false });
    expect(failure.cause).toBeUndefined();
    const all = JSON.stringify(failure) + String(failure.stack) + lines.join('');
    for (const secret of [TOKEN, PASSWORD, 'ann%40example.com', '/reset/']) expect(all).not.toContain(secret);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('page.goto: Timeout 4000ms exceeded.');
  });

  it('keeps a mailbox error’s type and retryability but not its text', async () => {
    const failure = await failureOf(new MailboxUnreachableError(`Cannot reach the mail server (${PASSWORD})`, { retryable: false }));
    expect(failure).toMatchObject({ type: 'MailboxUnreachable', message: resetFailures.MailboxUnreachable.reason, nonRetryable: true });
  });

  it('words an unknown error with the group’s fallback', async () => {
    const failure = await failureOf(new Error(`Invalid \`prisma.task.update()\` invocation: password "${PASSWORD}"`));
    expect(failure).toMatchObject({ type: 'Internal', message: resetFailures.Internal.reason, nonRetryable: false });
    expect(JSON.stringify(failure) + String(failure.stack)).not.toContain(PASSWORD);
  });

  it('passes our own failures on, without a cause', async () => {
    const ours = ApplicationFailure.create({ type: 'TaskMissing', message: 'task t1 does not exist', nonRetryable: true, cause: playwrightTimeout() });
    const failure = await failureOf(ours);
    expect(failure).toMatchObject({ type: 'TaskMissing', message: 'task t1 does not exist', nonRetryable: true });
    expect(failure.cause).toBeUndefined();
    const plain = ApplicationFailure.create({ type: 'PasswordRejected', message: resetFailures.PasswordRejected.reason, nonRetryable: true });
    expect(await failureOf(plain)).toBe(plain);
  });

  it('rewords an ApplicationFailure of a type that is not ours', async () => {
    const failure = await failureOf(ApplicationFailure.create({ type: 'TimeoutError', message: PASSWORD }));
    expect(failure).toMatchObject({ type: 'Internal', message: resetFailures.Internal.reason });
  });

  it('passes results through untouched', async () => {
    const activities = secretSafe({ add: async (a: number, b: number) => a + b }, setup().options);
    expect(await activities.add(2, 3)).toBe(5);
  });
});

describe('redactedSummary', () => {
  it('keeps the first line, cuts URLs to their origin, hides quoted text and email addresses', () => {
    expect(redactedSummary(playwrightTimeout())).toBe('page.goto: Timeout 4000ms exceeded.');
    expect(redactedSummary(new Error(`net::ERR_ABORTED at https://site.example/reset/${TOKEN} while typing "${PASSWORD}" for ann@example.com`))).toBe(
      'net::ERR_ABORTED at https://site.example while typing "…" for [email]',
    );
  });
});
