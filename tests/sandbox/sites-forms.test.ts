import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectPasswordChangedOnce, expectText, linkInEmail, newContext, setUpSandbox } from './helpers.js';

// Server-rendered sites, reset by hand in a real browser: papercrane (plain
// form), brightcart (cookie overlay), ledgerly (multi-step + policy),
// maisonlune (French), tidepool (/.well-known/change-password only).

let env: Awaited<ReturnType<typeof setUpSandbox>>;

beforeAll(async () => {
  env = await setUpSandbox({ sites: ['papercrane', 'brightcart', 'ledgerly', 'maisonlune', 'tidepool'] });
}, 30_000);
afterAll(async () => env?.close());

describe('sandbox sites: server-rendered forms', { timeout: 30_000 }, () => {
  test('papercrane: forgot form → emailed link → new password + confirmation → sign in', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'ada@example.com';
    sandbox.createUser('papercrane', { email, password: 'Quill-and-ink-1' });
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(sandbox.origin('papercrane'));
    await page.getByRole('link', { name: 'Sign in' }).first().click();
    await page.getByLabel('Email Address').fill(email);
    await page.getByLabel('Password').fill('not-my-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.getByRole('alert'), 'These credentials do not match our records.');

    await page.getByRole('link', { name: 'Forgot Your Password?' }).click();
    await page.getByLabel('Email Address').fill(email);
    await page.getByRole('button', { name: 'Send Password Reset Link' }).click();
    await expectText(page.getByRole('alert'), 'we have emailed you a password reset link');

    const message = await mail.waitFor(email);
    expect(message.parsed.subject).toBe('Reset Password Notification');
    expect(message.parsed.from?.value[0]?.address).toBe('no-reply@papercrane.localhost');
    const link = await linkInEmail(context, message, 'Reset Password');
    expect(link.startsWith(`${sandbox.origin('papercrane')}/password/reset/`)).toBe(true);

    await page.goto(link);
    await page.getByLabel('Password', { exact: true }).fill('Folded-crane-42');
    await page.getByLabel('Confirm Password').fill('Folded-crane-42');
    await page.getByRole('button', { name: 'Reset Password' }).click();
    await expectText(page.getByRole('alert'), 'Your password has been changed');

    await page.getByLabel('Email Address').fill(email);
    await page.getByLabel('Password').fill('Folded-crane-42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page.locator('main'), `Signed in as ${email}`);
    expectPasswordChangedOnce(sandbox, 'papercrane', email, 'Quill-and-ink-1', 'Folded-crane-42');
    await context.close();
  });

  test('brightcart: the cookie banner blocks clicks until rejected; recover section → link → signed in', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'bo@example.com';
    sandbox.createUser('brightcart', { email, password: 'tote-bag-1' });
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(sandbox.origin('brightcart'));
    const reject = page.getByRole('button', { name: 'Reject All' });
    await reject.waitFor();
    // The dark filter sits over the page: a click on "Sign in" cannot land.
    await expect(page.getByRole('link', { name: 'Sign in' }).click({ trial: true, timeout: 800 })).rejects.toThrow();
    await reject.click();
    await page.getByRole('link', { name: 'Sign in' }).click();

    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    const recover = page.locator('#recover');
    await recover.getByLabel('Email').fill(email);
    await recover.getByRole('button', { name: 'Submit' }).click();
    await expectText(page, "We've sent you an email with a link to update your password.");

    const message = await mail.waitFor(email);
    expect(message.parsed.subject).toBe('Customer account password reset');
    await page.goto(await linkInEmail(context, message, 'Reset your password'));
    await page.getByLabel('Password', { exact: true }).fill('Sunrise-mug-7');
    await page.getByLabel('Confirm password').fill('Sunrise-mug-7');
    await page.getByRole('button', { name: 'Reset password' }).click();
    await expectText(page, 'Your password has been changed.');
    await expectText(page, `Signed in as ${email}`);

    await page.getByRole('link', { name: 'Log out' }).click();
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.locator('#login').getByLabel('Email').fill(email);
    await page.locator('#login').getByLabel('Password').fill('Sunrise-mug-7');
    await page.locator('#login').getByRole('button', { name: 'Sign in' }).click();
    await expectText(page, `Signed in as ${email}`);
    expectPasswordChangedOnce(sandbox, 'brightcart', email, 'tote-bag-1', 'Sunrise-mug-7');
    await context.close();
  });

  test('ledgerly: two-step sign-in, three-step recovery, policy violations shown by the server', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'cy@example.com';
    sandbox.createUser('ledgerly', { email, password: 'Old#Ledger2023' });
    const context = await newContext(browser);
    const page = await context.newPage();

    await page.goto(sandbox.origin('ledgerly'));
    await page.getByRole('link', { name: 'Sign in' }).first().click();
    await page.getByLabel('Email or customer ID').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('link', { name: 'Forgot password?' }).click();
    await expect(page.getByLabel('Email address').inputValue()).resolves.toBe(email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    await expectText(page, 'Check your email');
    await expectText(page, 'c•••@example.com');

    const message = await mail.waitFor(email);
    await page.goto(await linkInEmail(context, message, 'Reset password'));
    await expectText(page, 'Create a new password');
    await expectText(page.locator('#password-policy'), 'include at least one of these symbols: ! @ # $ %');
    expect(await page.getByLabel('New password', { exact: true }).getAttribute('passwordrules')).toBe('minlength: 12; required: upper; required: digit;');

    // 12+ characters, upper and digit: passes what the attribute says, fails the stated policy.
    await page.getByLabel('New password', { exact: true }).fill('Passsword123');
    await page.getByLabel('Confirm new password').fill('Passsword123');
    await page.getByRole('button', { name: 'Change password' }).click();
    const errors = page.getByRole('alert');
    await expectText(errors, "We couldn't change your password:");
    await expectText(errors, 'Password must contain at least one of these symbols: ! @ # $ %');
    await expectText(errors, 'Password must not repeat the same character more than 2 times in a row.');
    await page.getByLabel('New password', { exact: true }).fill('Harbour Light#42');
    await page.getByLabel('Confirm new password').fill('Harbour Light#42');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectText(errors, 'Password may only contain letters, digits and the symbols ! @ # $ %');
    expect(sandbox.getUser('ledgerly', email)?.passwordChanges).toBe(0);

    await page.getByLabel('New password', { exact: true }).fill('Harbour#Light42');
    await page.getByLabel('Confirm new password').fill('Harbour#Light42');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expectText(page, 'Your password has been changed.');

    await page.getByRole('link', { name: 'Sign in' }).last().click();
    await page.getByLabel('Email or customer ID').fill(email);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('Password').fill('Harbour#Light42');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page, `Signed in as ${email}`);
    expectPasswordChangedOnce(sandbox, 'ledgerly', email, 'Old#Ledger2023', 'Harbour#Light42');
    await context.close();
  });

  test('maisonlune: « Mot de passe oublié ? » → e-mail en français → « Réinitialiser » → connexion', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'dominique@example.fr';
    sandbox.createUser('maisonlune', { email, password: 'Ancien1motdepasse' });
    const context = await newContext(browser, { locale: 'fr-FR' });
    const page = await context.newPage();

    await page.goto(sandbox.origin('maisonlune'));
    await page.getByRole('link', { name: 'Se connecter' }).click();
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByRole('button', { name: 'Envoyer le lien de réinitialisation' }).click();
    await expectText(page.getByRole('status'), 'vous recevrez un e-mail contenant un lien de réinitialisation');

    const message = await mail.waitFor(email);
    expect(message.parsed.subject).toBe('Réinitialisation de votre mot de passe');
    expect(message.parsed.text).toContain('Vous avez demandé la réinitialisation du mot de passe');
    await page.goto(await linkInEmail(context, message, 'Réinitialiser mon mot de passe'));
    await page.getByLabel('Nouveau mot de passe').fill('sansmajuscule1');
    await page.getByLabel('Confirmer le mot de passe').fill('sansmajuscule1');
    await page.getByRole('button', { name: 'Réinitialiser' }).click();
    await expectText(page.getByRole('alert'), 'Le mot de passe doit contenir au moins une majuscule.');
    await page.getByLabel('Nouveau mot de passe').fill('Clair2Lune');
    await page.getByLabel('Confirmer le mot de passe').fill('Clair2Lune');
    await page.getByRole('button', { name: 'Réinitialiser' }).click();
    await expectText(page.getByRole('status'), 'Votre mot de passe a été modifié.');

    await page.getByLabel('Adresse e-mail').fill(email);
    await page.getByLabel('Mot de passe', { exact: true }).fill('Clair2Lune');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expectText(page, `Connecté en tant que ${email}`);
    expectPasswordChangedOnce(sandbox, 'maisonlune', email, 'Ancien1motdepasse', 'Clair2Lune');
    await context.close();
  });

  test('tidepool: no reset link anywhere; /.well-known/change-password leads to the recovery page', async () => {
    const { sandbox, mail, browser } = env;
    const email = 'eli@example.com';
    sandbox.createUser('tidepool', { email, password: 'shell-game-1' });
    const context = await newContext(browser);
    const page = await context.newPage();

    for (const path of ['/', '/login', '/help']) {
      await page.goto(`${sandbox.origin('tidepool')}${path}`);
      await expect(page.getByRole('link', { name: /forgot|reset|recover|password/i }).count()).resolves.toBe(0);
    }
    await page.goto(`${sandbox.origin('tidepool')}/.well-known/change-password`);
    expect(new URL(page.url()).pathname).toBe('/settings/security/password-recovery');
    await page.getByLabel('Account email').fill(email);
    await page.getByRole('button', { name: 'Email me a link' }).click();
    await expectText(page.getByRole('status'), 'a link is on its way');

    const message = await mail.waitFor(email);
    await page.goto(await linkInEmail(context, message, 'Set a new password'));
    await page.getByLabel('New password', { exact: true }).fill('Low-tide-612');
    await page.getByLabel('Repeat new password').fill('Low-tide-612');
    await page.getByRole('button', { name: 'Update password' }).click();
    await expectText(page.getByRole('status'), 'Your password has been changed.');

    await page.getByRole('link', { name: 'Sign in' }).last().click();
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill('Low-tide-612');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectText(page, `Signed in as ${email}`);
    expectPasswordChangedOnce(sandbox, 'tidepool', email, 'shell-game-1', 'Low-tide-612');
    await context.close();
  });
});
