import { describe, expect, it } from 'vitest';
import { judgeResetEmail, type ResetKind } from '../../../activities/mail/judge-reset-email.js';
import { NETFLUX, codeEmail, parse, phishingEmail, resetEmail } from './fixtures.js';

const RESET = 'https://netflux.localhost/reset?token=t0k3n';
const judge = async (mail: Parameters<typeof parse>[0], kind: ResetKind = 'link') =>
  judgeResetEmail({ uid: 7, email: await parse(mail), service: NETFLUX, kind });

describe('judgeResetEmail', () => {
  it('accepts a reset link on the service domain from the service', async () => {
    expect(await judge(resetEmail(RESET))).toEqual({ match: { uid: 7, kind: 'link', link: RESET } });
  });

  it('accepts a sender on a subdomain of the service', async () => {
    const verdict = await judge(resetEmail(RESET, { from: 'Netflux <info@mail.netflux.localhost>' }));
    expect(verdict).toEqual({ match: { uid: 7, kind: 'link', link: RESET } });
  });

  it('rejects a look-alike with the right display name and a foreign link host', async () => {
    const verdict = await judge(phishingEmail('https://netflux-login.example/reset?token=steal'));
    expect(verdict).toEqual({ rejected: { uid: 7, reason: 'link_host_not_allowed', host: 'netflux-login.example' } });
  });

  it('rejects a foreign sender even when its link points to the service', async () => {
    const verdict = await judge(phishingEmail(RESET));
    expect(verdict).toEqual({ rejected: { uid: 7, reason: 'sender_not_aligned', host: 'netflux.localhost' } });
  });

  it('does not take netflux.localhost.evil.example for the service', async () => {
    const verdict = await judge(resetEmail(RESET, { from: 'Netflux <no-reply@netflux.localhost.evil.example>' }));
    expect(verdict).toMatchObject({ rejected: { reason: 'sender_not_aligned' } });
  });

  it('reports a click-tracking link from the service: a third-party link is never opened, not even to check it', async () => {
    const tracked = 'https://click.tracker.example/ls/click?upn=abc';
    const verdict = await judge({
      from: 'Netflux <no-reply@netflux.localhost>',
      subject: 'Password reset',
      html: `<p><a href="${tracked}">Reset your password</a></p>`,
    });
    expect(verdict).toEqual({ rejected: { uid: 7, reason: 'link_host_not_allowed', host: 'click.tracker.example' } });
  });

  it('prefers the direct link over the tracker when both are there', async () => {
    const verdict = await judge({
      from: 'Netflux <no-reply@netflux.localhost>',
      subject: 'Password reset',
      html: `<p><a href="https://click.tracker.example/ls/click?upn=abc">Reset your password</a></p>
        <p>Or open <a href="${RESET}">${RESET}</a></p>`,
    });
    expect(verdict).toEqual({ match: { uid: 7, kind: 'link', link: RESET } });
  });

  it('ignores unrelated mail that never mentions the service', async () => {
    const verdict = await judge({
      from: 'Shop <news@shop.example>',
      subject: 'Reset your Shop password',
      html: '<a href="https://shop.example/reset?t=1">Reset password</a>',
    });
    expect(verdict).toEqual({ ignored: true });
  });

  it('reads codes when waiting for a code, and prefers links when either will do', async () => {
    expect(await judge(codeEmail('482913'), 'code')).toEqual({ match: { uid: 7, kind: 'code', code: '482913' } });
    expect(await judge(codeEmail('482913'), 'either')).toEqual({ match: { uid: 7, kind: 'code', code: '482913' } });
    expect(await judge(resetEmail(RESET), 'either')).toMatchObject({ match: { kind: 'link', link: RESET } });
  });

  it('reports an email from the service without what we wait for', async () => {
    expect(await judge(resetEmail(RESET), 'code')).toEqual({ rejected: { uid: 7, reason: 'no_reset_content' } });
    expect(await judge(codeEmail('482913'), 'link')).toEqual({ rejected: { uid: 7, reason: 'no_reset_content' } });
  });

  it('rejects a code from a foreign sender', async () => {
    const verdict = await judge(codeEmail('482913', { from: 'Netflux <otp@netflux-codes.example>' }), 'code');
    expect(verdict).toEqual({ rejected: { uid: 7, reason: 'sender_not_aligned' } });
  });
});
