import { describe, expect, it } from 'vitest';
import { extractReset } from '../../../activities/mail/extract-reset.js';
import { codeEmail, parse, resetEmail } from './fixtures.js';

const html = (body: string, subject = 'Account') => parse({ from: 'x@netflux.localhost', subject, html: body });
const text = (body: string, subject = 'Account') => parse({ from: 'x@netflux.localhost', subject, text: body });

describe('extractReset: links', () => {
  it('picks the reset button of a realistic email, not the logo, help, unsubscribe or pixel', async () => {
    const link = 'https://netflux.localhost/password/reset?token=abc123&uid=42';
    const { links } = extractReset(await parse(resetEmail(link)));
    expect(links[0]?.url).toBe(link); // &amp; decoded
    expect(links.map((l) => l.url)).not.toContain('https://netflux.localhost/?src=logo');
    expect(links.some((l) => /unsubscribe|privacy|help|open\.gif/.test(l.url))).toBe(false);
  });

  it.each([
    ['fr', 'Réinitialiser le mot de passe', 'https://compte.netflux.localhost/reinitialisation?jeton=a1'],
    ['de', 'Passwort zurücksetzen', 'https://netflux.localhost/konto/neu?k=a1'],
    ['es', 'Restablecer contraseña', 'https://netflux.localhost/cuenta/nueva?k=a1'],
    ['it', 'Reimposta la password', 'https://netflux.localhost/account/nuova?k=a1'],
    ['pt', 'Redefinir senha', 'https://netflux.localhost/conta/nova?k=a1'],
    ['nl', 'Wachtwoord opnieuw instellen', 'https://netflux.localhost/account/nieuw?k=a1'],
    ['en', 'Choose a new password', 'https://netflux.localhost/account/new?k=a1'],
  ])('reads the %s button "%s" even when the URL says nothing', async (_lang, label, url) => {
    const { links } = extractReset(
      await html(`<p>Bonjour / Hallo / Hola / Ciao / Olá / Hoi</p><p><a href="${url}">${label}</a></p>
        <p><a href="https://netflux.localhost/">netflux.localhost</a></p>`),
    );
    expect(links.map((l) => l.url)).toEqual([url]);
  });

  it('understands "click here" from the sentence around it', async () => {
    const { links } = extractReset(
      await html('<p>To reset your password, <a href="https://netflux.localhost/r/9f8e">click here</a>.</p><p><a href="https://netflux.localhost/app">Open the app</a></p>'),
    );
    expect(links.map((l) => l.url)).toEqual(['https://netflux.localhost/r/9f8e']);
  });

  it('keeps a click-tracking button, marked as not explicit about its host', async () => {
    const tracked = 'https://u123.ct.sendgrid.example/ls/click?upn=xyz';
    const { links } = extractReset(await html(`<a href="${tracked}"><img src="b.png" alt="Reset your password"></a>`));
    expect(links[0]).toMatchObject({ url: tracked, host: 'u123.ct.sendgrid.example', explicit: true });
  });

  it('finds the URL of a text-only email from the line above it, ignoring the footer', async () => {
    const { links } = extractReset(
      await text('Hello,\n\nReset your password here:\nhttps://netflux.localhost/x/7a7a?u=1.\n\nUnsubscribe: https://netflux.localhost/unsub?u=1\nHelp: https://netflux.localhost/help'),
    );
    expect(links.map((l) => l.url)).toEqual(['https://netflux.localhost/x/7a7a?u=1']);
  });

  it('ignores help articles about passwords and mailto/javascript links', async () => {
    const { links } = extractReset(
      await html(`<p>Learn how to keep your password safe in our <a href="https://help.netflux.localhost/password-safety">Help Center</a>.</p>
        <p><a href="mailto:reset@netflux.localhost">reset@netflux.localhost</a> <a href="javascript:reset()">Reset</a></p>`),
    );
    expect(links).toEqual([]);
  });

  it('ignores hidden anchors', async () => {
    const { links } = extractReset(await html('<div style="display: none"><a href="https://evil.example/reset">Reset password</a></div>'));
    expect(links).toEqual([]);
  });
});

describe('extractReset: codes', () => {
  it('finds the code in its own table cell and ignores year, phone and order numbers', async () => {
    const { codes } = extractReset(await parse(codeEmail('482913')));
    expect(codes).toEqual(['482913']);
  });

  it('finds a code in the subject line', async () => {
    const { codes } = extractReset(await text('Hi there, thanks for using Netflux.', '739201 is your Netflux code'));
    expect(codes[0]).toBe('739201');
  });

  it.each([
    ['Your code: K7Q2ZP', 'K7Q2ZP'],
    ['Votre code de vérification : 5821', '5821'],
    ['Ihr Bestätigungscode lautet 90817364', '90817364'],
    ['Tu código es 123 456', '123456'],
    ['Il tuo codice: 7733-1029', '77331029'],
    ['Seu código de verificação é 660021', '660021'],
    ['Je verificatiecode is 318274', '318274'],
  ])('reads "%s"', async (line, expected) => {
    const { codes } = extractReset(await text(`Hello,\n\n${line}\n\nThanks`));
    expect(codes[0]).toBe(expected);
  });

  it('does not invent codes from prices, dates, references and words', async () => {
    const { codes } = extractReset(
      await html(`<p>Order #123456 shipped on 2024-05-01 for $1299.00.</p><p>Reference ABC12345X, invoice 88812.</p>
        <p>Call 555-010-2030. PASSWORD changed. © 2024</p>`),
    );
    expect(codes).toEqual([]);
  });

  it('does not read letters-and-digits tokens far from the word "code"', async () => {
    const { codes } = extractReset(await text('Your booking A1B2C3 is confirmed.\nThanks'));
    expect(codes).toEqual([]);
  });
});
