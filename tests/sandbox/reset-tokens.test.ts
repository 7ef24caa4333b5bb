import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codeInEmail, expectText, linkInEmail, newContext, setUpSandbox } from './helpers.js';

// What real sites do with reset secrets: links expire after 30 minutes, work
// once, die when a newer one is sent; codes lock after 5 wrong tries.
// The sandbox clock moves forward instead of the test waiting.

let env: Awaited<ReturnType<typeof setUpSandbox>>;

beforeAll(async () => {
  env = await setUpSandbox({ sites: ['papercrane', 'nimbus', 'ledgerly', 'keystone', 'parcelpost', 'telewave'] });
}, 30_000);
afterAll(async () => env?.close());

describe('sandbox sites: reset links and codes', { timeout: 30_000 }, () => {
  test('an expired link is refused (papercrane checks the token on submit)', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'exp@example.com';
    sandbox.createUser('papercrane', { email, password: 'Expired-old-1' });
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${sandbox.origin('papercrane')}/password/forgot`);
    await page.getByLabel('Email Address').fill(email);
    await page.getByRole('button', { name: 'Send Password Reset Link' }).click();
    const link = await linkInEmail(context, await mail.waitFor(email), 'Reset Password');

    sandbox.advanceClock(31 * 60_000);
    await page.goto(link);
    await page.getByLabel('Password', { exact: true }).fill('Expired-new-2');
    await page.getByLabel('Confirm Password').fill('Expired-new-2');
    await page.getByRole('button', { name: 'Reset Password' }).click();
    await expectText(page.getByRole('alert'), 'This password reset token is invalid or has expired.');
    expect(sandbox.getUser('papercrane', email)?.passwordChanges).toBe(0);
    expect(sandbox.checkPassword('papercrane', email, 'Expired-old-1')).toBe(true);
    await context.close();
  });

  test('a used link is refused (nimbus answers 409 to the SPA)', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'used@example.com';
    sandbox.createUser('nimbus', { email, password: 'once-only-1' });
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${sandbox.origin('nimbus')}/forgot-password`);
    await page.getByPlaceholder('Email address').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expectText(page.getByRole('status'), 'Check your inbox.');
    const link = await linkInEmail(context, await mail.waitFor(email), 'Choose a new password');

    await page.goto(link);
    await page.getByPlaceholder('New password').fill('once-only-2');
    await page.getByRole('button', { name: 'Update password' }).click();
    await expectText(page.getByRole('status'), 'Your password has been changed.');

    const again = page.waitForResponse((r) => r.url().includes('/api/v1/password/reset/'));
    await page.goto(link);
    expect((await again).status()).toBe(409);
    await expectText(page.getByRole('alert'), 'This reset link has already been used.');
    expect(sandbox.getUser('nimbus', email)?.passwordChanges).toBe(1);
    await context.close();
  });

  test('a newer email voids the earlier link (ledgerly "Resend email")', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'newer@example.com';
    sandbox.createUser('ledgerly', { email, password: 'Older#Link2024' });
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${sandbox.origin('ledgerly')}/signin/recover`);
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    const first = await linkInEmail(context, await mail.waitFor(email, 1), 'Reset password');
    await page.getByRole('button', { name: 'Resend email' }).click();
    await expectText(page.getByRole('status'), "We've sent a new link. Earlier links no longer work.");
    const second = await linkInEmail(context, await mail.waitFor(email, 2), 'Reset password');
    expect(second).not.toBe(first);

    const stale = await page.goto(first);
    expect(stale?.status()).toBe(410);
    await expectText(page.getByRole('alert'), 'only the most recent link works');
    await page.goto(second);
    await page.getByLabel('New password', { exact: true }).fill('Newer#Link2025');
    await page.getByLabel('Confirm new password').fill('Newer#Link2025');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectText(page.getByRole('status'), 'Your password has been changed.');
    expect(sandbox.getUser('ledgerly', email)?.passwordChanges).toBe(1);
    await context.close();
  });

  test('a link that is used up when opened fails the second time (keystone)', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'open@example.com';
    sandbox.createUser('keystone', { email, password: 'open-once-1' });
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${sandbox.origin('keystone')}/password_reset`);
    await page.getByPlaceholder('Enter your email address').fill(email);
    await page.getByRole('button', { name: 'Send password reset email' }).click();
    const link = await linkInEmail(context, await mail.waitFor(email), 'Reset your password');

    await page.goto(link);
    await expectText(page, `Change password for ${email}`);
    const prefetch = await context.newPage(); // e.g. a link scanner, or a second click
    await prefetch.goto(link);
    await expectText(prefetch.getByRole('alert'), 'It looks like you clicked on an invalid password reset link.');
    await prefetch.close();

    await page.getByLabel('Password', { exact: true }).fill('opened-twice-2');
    await page.getByLabel('Confirm password').fill('opened-twice-2');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectText(page.getByRole('status'), 'Your password has been changed.');
    expect(sandbox.getUser('keystone', email)?.passwordChanges).toBe(1);
    await context.close();
  });

  test('five wrong codes void the emailed code (parcelpost)', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'guess@example.com';
    sandbox.createUser('parcelpost', { email, password: 'Guessing-old-1' });
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${sandbox.origin('parcelpost')}/login/reset`);
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Send code' }).click();
    const code = codeInEmail(await mail.waitFor(email));
    const wrong = code === '123456' ? '654321' : '123456';

    for (let attempt = 1; attempt <= 5; attempt++) {
      await page.getByLabel('Digit 1').click();
      await page.keyboard.type(wrong);
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.getByRole('alert').waitFor();
    }
    await expectText(page.getByRole('alert'), 'This code has expired or was entered wrongly too many times.');
    await page.getByLabel('Digit 1').click();
    await page.keyboard.type(code);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expectText(page.getByRole('alert'), 'This code has expired or was entered wrongly too many times.');
    expect(sandbox.getUser('parcelpost', email)?.passwordChanges).toBe(0);
    await context.close();
  });

  test('an expired texted code is refused; "Send a new code" texts a fresh one (telewave)', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'late@example.com';
    sandbox.createUser('telewave', { email, password: 'Slow2Reply', phone: '+447700900456' });
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${sandbox.origin('telewave')}/my/forgotten-password`);
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Send reset email' }).click();
    await page.goto(await linkInEmail(context, await mail.waitFor(email), 'Reset password'));
    const stale = sandbox.lastSmsCode('telewave', email) ?? '';

    sandbox.advanceClock(11 * 60_000); // texted codes live 10 minutes; the link lives 30
    await page.getByLabel('Text message code').fill(stale);
    await page.getByRole('button', { name: 'Verify' }).click();
    await expectText(page.getByRole('alert'), 'That code has expired. Send a new code.');
    await page.getByRole('button', { name: 'Send a new code' }).click();
    const fresh = sandbox.lastSmsCode('telewave', email) ?? '';
    expect(fresh).toMatch(/^\d{6}$/);
    await page.getByLabel('Text message code').fill(fresh);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByLabel('New password', { exact: true }).fill('Quick2Reply');
    await page.getByLabel('Re-enter new password').fill('Quick2Reply');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectText(page.getByRole('status'), 'Your password has been changed.');
    expect(sandbox.getUser('telewave', email)?.passwordChanges).toBe(1);
    await context.close();
  });
});
