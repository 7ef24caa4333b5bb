import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codeInEmail, expectPasswordChangedOnce, expectText, linkInEmail, newContext, setUpSandbox } from './helpers.js';

// Sites that ask for a one-time code: parcelpost (code emailed instead of a
// link), keystone (authenticator TOTP), telewave (code texted to a phone).

let env: Awaited<ReturnType<typeof setUpSandbox>>;

beforeAll(async () => {
  env = await setUpSandbox({ sites: ['parcelpost', 'keystone', 'telewave'] });
}, 30_000);
afterAll(async () => env?.close());

function totpNow(secret: string): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
}

function otherCode(code: string): string {
  return code === '000000' ? '111111' : '000000';
}

describe('sandbox sites: one-time codes', { timeout: 30_000 }, () => {
  test('parcelpost: a 6-digit code arrives by email, typed into six boxes, then a new password', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'kim@example.com';
    sandbox.createUser('parcelpost', { email, password: 'Parcel-old-001' });
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(sandbox.origin('parcelpost'));
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Trouble signing in?' }).click();
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Send code' }).click();
    await expectText(page, 'Enter the 6-digit code we sent to');
    await expectText(page, 'k•••@example.com');

    const message = await mail.waitFor(email);
    const code = codeInEmail(message);
    expect(message.parsed.subject).toBe(`${code} is your ParcelPost verification code`);
    expect(message.parsed.html).not.toMatch(/href="[^"]*\/login\/reset/); // no link to follow: the code is the secret

    await page.getByLabel('Digit 1').click();
    await page.keyboard.type(otherCode(code));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expectText(page.getByRole('alert'), "That code isn't right. You have 4 attempts left.");

    await page.getByLabel('Digit 1').click();
    await page.keyboard.type(code);
    expect(await page.getByLabel('Digit 6').inputValue()).toBe(code[5]);
    await page.getByRole('button', { name: 'Verify' }).click();

    await page.getByLabel('New password').fill('too-short');
    await page.getByRole('button', { name: 'Save password' }).click();
    await expectText(page.getByRole('alert'), 'Password must be at least 10 characters long.');
    await page.getByLabel('New password').fill('Parcel-tracking-77');
    await page.getByRole('button', { name: 'Save password' }).click();
    await expectText(page.getByRole('status'), 'Your password has been changed.');

    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Parcel-tracking-77');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectText(page, `Signed in as ${email}`);
    expectPasswordChangedOnce(sandbox, 'parcelpost', email, 'Parcel-old-001', 'Parcel-tracking-77');
    await context.close();
  });

  test('keystone: the reset link leads to an authenticator (TOTP) check before the new password', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'lee@example.com';
    const totpSecret = new Secret({ size: 20 }).base32;
    sandbox.createUser('keystone', { email, password: 'git-push-force-1', totpSecret, displayName: 'lee' });
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(sandbox.origin('keystone'));
    await page.getByRole('navigation').getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByLabel("Enter your user account's verified email address").fill(email);
    await page.getByRole('button', { name: 'Send password reset email' }).click();
    await expectText(page, 'Check your email for a link to reset your password.');

    const message = await mail.waitFor(email);
    expect(message.parsed.subject).toBe('[Keystone] Please reset your password');
    await page.goto(await linkInEmail(context, message, 'Reset your password'));
    await expectText(page, 'Two-factor authentication');
    await page.getByLabel('Authentication code').fill(otherCode(totpNow(totpSecret)));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expectText(page.getByRole('alert'), 'Two-factor authentication failed.');
    await page.getByLabel('Authentication code').fill(totpNow(totpSecret));
    await page.getByRole('button', { name: 'Verify' }).click();

    await expectText(page, 'Change password for lee');
    await page.getByLabel('Password', { exact: true }).fill('Merge-conflict-42');
    await page.getByLabel('Confirm password').fill('Merge-conflict-42');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectText(page.getByRole('status'), 'Your password has been changed.');

    await page.getByLabel('Username or email address').fill(email);
    await page.getByLabel('Password').fill('Merge-conflict-42'); // the label also holds the "Forgot password?" link
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Authentication code').fill(totpNow(totpSecret));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expectText(page, `Signed in as ${email}`);
    expectPasswordChangedOnce(sandbox, 'keystone', email, 'git-push-force-1', 'Merge-conflict-42');
    await context.close();
  });

  test('telewave: after the link, a code is texted to the phone (never emailed) and typed in', async () => {
    const { sandbox, mail, browser, texts } = env;
    const email = 'max@example.com';
    sandbox.createUser('telewave', { email, password: 'Roaming0ld', phone: '+447700900123' });
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(sandbox.origin('telewave'));
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Forgotten your password?' }).click();
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Send reset email' }).click();
    await expectText(page.getByRole('status'), "we've sent it a link to reset your password");
    expect(sandbox.lastSmsCode('telewave', email)).toBeUndefined();

    const message = await mail.waitFor(email);
    await page.goto(await linkInEmail(context, message, 'Reset password'));
    await expectText(page, "We've sent a 6-digit code by text to");
    await expectText(page, '•••• ••• 01 23');
    const code = sandbox.lastSmsCode('telewave', email);
    expect(code).toMatch(/^\d{6}$/);
    expect(texts.at(-1)).toEqual({ phone: '+447700900123', text: expect.stringContaining(code ?? '-') });
    expect(mail.messages.filter((m) => m.to === email).some((m) => m.raw.includes(code ?? '-'))).toBe(false);

    await page.getByLabel('Text message code').fill(otherCode(code ?? ''));
    await page.getByRole('button', { name: 'Verify' }).click();
    await expectText(page.getByRole('alert'), "That code isn't right.");
    await page.getByLabel('Text message code').fill(code ?? '');
    await page.getByRole('button', { name: 'Verify' }).click();

    await page.getByLabel('New password', { exact: true }).fill('alllowercase1');
    await page.getByLabel('Re-enter new password').fill('alllowercase1');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectText(page.getByRole('alert'), 'Password must contain at least one uppercase letter.');
    await page.getByLabel('New password', { exact: true }).fill('Roaming2Free');
    await page.getByLabel('Re-enter new password').fill('Roaming2Free');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectText(page.getByRole('status'), 'Your password has been changed.');

    await page.getByRole('link', { name: 'Log in to My Telewave' }).click();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill('Roaming2Free');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectText(page, `Signed in as ${email}`);
    expectPasswordChangedOnce(sandbox, 'telewave', email, 'Roaming0ld', 'Roaming2Free');
    await context.close();
  });
});
