import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectPasswordChangedOnce, expectText, linkInEmail, newContext, setUpSandbox } from './helpers.js';

// Sites whose forms are built by scripts: nimbus (SPA), framehaus (iframe),
// orbit (shadow DOM), ticketly (CAPTCHA widget).

let env: Awaited<ReturnType<typeof setUpSandbox>>;

beforeAll(async () => {
  env = await setUpSandbox({ sites: ['nimbus', 'framehaus', 'orbit', 'ticketly'] });
}, 30_000);
afterAll(async () => env?.close());

describe('sandbox sites: script-built forms', { timeout: 30_000 }, () => {
  test('nimbus: SPA without forms — div buttons, JSON calls, pushState routes', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'fay@example.com';
    sandbox.createUser('nimbus', { email, password: 'stratus-01' });
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(sandbox.origin('nimbus'));
    await page.getByRole('link', { name: 'Sign in', exact: true }).click();
    await page.getByPlaceholder('Email address').fill(email);
    await page.getByPlaceholder('Password').fill('wrong-password-1');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expectText(page.getByRole('alert'), 'Incorrect email or password.');
    expect(await page.locator('form').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Continue' }).evaluate((el) => el.tagName)).toBe('DIV');

    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByPlaceholder('Email address').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expectText(page.getByRole('status'), 'Check your inbox.');
    // Client-side routing: the browser never asked the server for /signin or /forgot-password.
    expect(sandbox.requestLog('nimbus').filter((r) => r.path === '/forgot-password' || r.path === '/signin')).toEqual([]);

    const message = await mail.waitFor(email);
    expect(message.raw).toContain('Content-Transfer-Encoding: base64');
    await page.goto(await linkInEmail(context, message, 'Choose a new password'));
    await page.getByPlaceholder('New password').fill('no-digits-here');
    await page.getByRole('button', { name: 'Update password' }).click();
    await expectText(page.getByRole('alert'), 'Password must contain at least one digit.');
    expect(new URL(page.url()).search).toBe(''); // the app strips the token from the address bar
    await page.getByPlaceholder('New password').fill('Cirrus-cloud-9');
    await page.getByRole('button', { name: 'Update password' }).press('Enter');
    await expectText(page.getByRole('status'), 'Your password has been changed.');

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByPlaceholder('Email address').fill(email);
    await page.getByPlaceholder('Password').fill('Cirrus-cloud-9');
    await page.getByPlaceholder('Password').press('Enter');
    await expectText(page, `Signed in as ${email}`);
    expectPasswordChangedOnce(sandbox, 'nimbus', email, 'stratus-01', 'Cirrus-cloud-9');
    await context.close();
  });

  test('framehaus: forgot and new-password forms inside a same-origin iframe', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'gus@example.com';
    sandbox.createUser('framehaus', { email, password: 'Gallery-wall-1' });
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(sandbox.origin('framehaus'));
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    expect(await page.locator('input').count()).toBe(0);
    const forgot = page.frameLocator('iframe[title="Password recovery"]');
    await forgot.getByLabel('Email').fill(email);
    await forgot.getByRole('button', { name: 'Email me a reset link' }).click();
    await expectText(forgot.locator('body'), 'Check your inbox');

    const message = await mail.waitFor(email);
    await page.goto(await linkInEmail(context, message, 'Choose a new password'));
    const reset = page.frameLocator('iframe[title="Choose a new password"]');
    await reset.getByLabel('New password', { exact: true }).fill('Passe-Partout-3');
    await reset.getByLabel('Confirm new password').fill('Passe-Partout-3');
    await reset.getByRole('button', { name: 'Save new password' }).click();
    await expectText(reset.getByRole('status'), 'Your password has been changed.');
    await expectText(page.locator('#toast'), 'Password updated');

    await reset.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Passe-Partout-3');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page, `Signed in as ${email}`);
    expectPasswordChangedOnce(sandbox, 'framehaus', email, 'Gallery-wall-1', 'Passe-Partout-3');
    await context.close();
  });

  test('orbit: inputs and buttons inside open shadow roots', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'hana@example.com';
    sandbox.createUser('orbit', { email, password: 'window-seat-1' });
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(sandbox.origin('orbit'));
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByLabel('Email address').waitFor();
    expect(await page.evaluate(() => document.querySelectorAll('input, button').length)).toBe(0);
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expectText(page, 'a reset link is on its way');

    const message = await mail.waitFor(email);
    await page.goto(await linkInEmail(context, message, 'Reset my password'));
    await page.getByLabel('New password').fill('Aisle-or-window-22');
    await page.getByLabel('Confirm password').fill('Aisle-or-window-22');
    await page.getByRole('button', { name: 'Update password' }).click();
    await expectText(page, 'Your password has been changed.');

    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password').fill('Aisle-or-window-22');
    await page.getByLabel('Password').press('Enter');
    await expectText(page, `Signed in as ${email}`);
    expectPasswordChangedOnce(sandbox, 'orbit', email, 'window-seat-1', 'Aisle-or-window-22');
    await context.close();
  });

  test('ticketly: the forgot form is refused without a solved CAPTCHA, and with a forged token', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'ivy@example.com';
    sandbox.createUser('ticketly', { email, password: 'front-row-1' });
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(`${sandbox.origin('ticketly')}/signin/forgot`);
    await page.frameLocator('iframe[title="reCAPTCHA"]').getByRole('checkbox', { name: "I'm not a robot" }).waitFor();
    expect(await page.locator('.g-recaptcha').getAttribute('data-sitekey')).toMatch(/^6L/);
    await page.getByLabel('Email').fill(email);
    const refused = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/signin/forgot'));
    await page.getByRole('button', { name: 'Send reset link' }).click();
    expect((await refused).status()).toBe(400);
    await expectText(page.getByRole('alert'), "Please confirm you're not a robot.");

    await page.getByLabel('Email').fill(email);
    await page.locator('#g-recaptcha-response').evaluate((el, token) => ((el as HTMLTextAreaElement).value = token), '03AFcWeA-forged-token');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expectText(page.getByRole('alert'), "Please confirm you're not a robot.");
    expect(mail.count(email)).toBe(0);
    await context.close();
  });

  test('ticketly: a person solves the image challenge, then the reset goes through', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'jo@example.com';
    sandbox.createUser('ticketly', { email, password: 'mosh-pit-2' });
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(sandbox.origin('ticketly'));
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    await page.getByLabel('Email').fill(email);
    const anchor = page.frameLocator('iframe[title="reCAPTCHA"]').getByRole('checkbox', { name: "I'm not a robot" });
    await anchor.click();
    const challenge = page.frameLocator('iframe[title="recaptcha challenge expires in two minutes"]');
    await expectText(challenge.locator('body'), 'Select all images with');
    // The answer is only in the pictures; the test reads what a person would see.
    const solution = sandbox.captchaSolution('ticketly');
    expect(solution?.length).toBeGreaterThanOrEqual(2);
    for (const index of solution ?? []) await challenge.locator(`td[data-index="${index}"]`).click();
    await challenge.getByRole('button', { name: 'Verify' }).click();
    await expect.poll(() => anchor.getAttribute('aria-checked')).toBe('true');
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expectText(page.getByRole('status'), "we've sent a reset link");

    const message = await mail.waitFor(email);
    await page.goto(await linkInEmail(context, message, 'Reset password'));
    await page.getByLabel('New password', { exact: true }).fill('Encore-please-5');
    await page.getByLabel('Confirm new password').fill('Encore-please-5');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await expectText(page.getByRole('status'), 'Your password has been changed.');
    await page.getByRole('link', { name: 'Sign in' }).last().click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Encore-please-5');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page, `Signed in as ${email}`);
    expectPasswordChangedOnce(sandbox, 'ticketly', email, 'mosh-pit-2', 'Encore-please-5');
    await context.close();
  });
});
