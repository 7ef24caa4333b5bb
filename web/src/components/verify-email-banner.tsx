// Shown above every signed-in page while the account's address is not
// confirmed: the email we sent has the link; "Email me a new link" asks for a new one
// (POST /api/account/verify-email/start, a few an hour per network).
import { useState } from 'react';
import { ApiError, messageOf, post } from '../api/client';
import type { VerifyEmailStartAnswer } from '../api/types';
import { useAuth } from './auth';
import { DevOutboxHint } from './dev-outbox';

type Sent = { kind: 'sent' } | { kind: 'not-configured' } | { kind: 'error'; text: string };

export function VerifyEmailBanner() {
  const { user, refresh } = useAuth();
  const [sent, setSent] = useState<Sent | null>(null);
  const [busy, setBusy] = useState(false);
  if (!user || user.emailVerified) return null;

  async function sendAgain() {
    setBusy(true);
    try {
      const answer = await post<VerifyEmailStartAnswer>('/api/account/verify-email/start');
      if (answer.alreadyVerified) await refresh();
      else setSent(answer.configured ? { kind: 'sent' } : { kind: 'not-configured' });
    } catch (err) {
      setSent({
        kind: 'error',
        text:
          err instanceof ApiError && err.status === 429
            ? `You asked for several links in the last hour. Try again in ${Math.ceil((err.retryAfter ?? 3600) / 60)} minutes, or use the newest link you received.`
            : messageOf(err),
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="verify-banner" aria-labelledby="verify-banner-title">
      <div className="verify-banner-row">
        <p>
          <strong id="verify-banner-title">Your email address is not confirmed yet.</strong> Open the link in the confirmation email sent to{' '}
          <span className="break">{user.email}</span>, or ask for a new one.
        </p>
        <button type="button" onClick={sendAgain} disabled={busy}>
          Email me a new link
        </button>
      </div>
      <div aria-live="polite">
        {sent?.kind === 'sent' && (
          <>
            <p className="notice ok">A new link is on its way to {user.email}.</p>
            <DevOutboxHint />
          </>
        )}
        {sent?.kind === 'not-configured' && (
          <p className="notice error">
            Account emails are not set up on this server, so no link can be sent. Ask the person who runs it to set <code>SMTP_URL</code>.
          </p>
        )}
        {sent?.kind === 'error' && <p className="notice error">{sent.text}</p>}
      </div>
    </section>
  );
}
