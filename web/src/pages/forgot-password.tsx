// "Forgot password?": the account's email → POST /api/account/forgot-password.
// The answer is the same whether the address has an account or not, so the
// page says the same neutral sentence either way — unless the server has no
// way to send email at all (`configured: false`), which it says plainly.
import { useState, type FormEvent } from 'react';
import { Link } from 'wouter';
import { ApiError, messageOf, post } from '../api/client';
import type { ForgotPasswordAnswer } from '../api/types';
import { DevOutboxHint } from '../components/dev-outbox';
import { ErrorNote, Field, StatusNote } from '../components/form';
import { PageTitle } from '../components/layout';

export function ForgotPasswordPage() {
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [notConfigured, setNotConfigured] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await post<ForgotPasswordAnswer>('/api/account/forgot-password', { email: email.trim() });
      setNotConfigured(!answer.configured);
      setSentTo(answer.configured ? email.trim() : null);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 429
          ? `Too many requests from this network. Try again in ${Math.ceil((err.retryAfter ?? 3600) / 60)} minutes.`
          : messageOf(err),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page narrow">
      <PageTitle title="Forgot your password?" />
      {notConfigured ? (
        <div className="notice error notice-paragraphs" role="alert">
          <p>Account emails are not set up on this server, so no reset link can be sent.</p>
          <p>
            Ask the person who runs this Rekey server to set <code>SMTP_URL</code> to an SMTP server (for example{' '}
            <code>smtps://user:password@mail.example.com:465</code>) and restart Rekey. On a development machine,{' '}
            <code>REKEY_DEV_OUTBOX=on</code> keeps account emails in a local outbox instead.
          </p>
        </div>
      ) : sentTo ? (
        <div className="card stack">
          <StatusNote kind="ok">
            If an account uses <strong className="break">{sentTo}</strong>, an email with a link to choose a new password is on its way. The link in it
            works once and expires, so use it soon.
          </StatusNote>
          <p className="hint">Nothing after a few minutes? Look in the spam folder, check the address, or ask again.</p>
          <DevOutboxHint />
          <div className="actions">
            <button type="button" onClick={() => setSentTo(null)}>
              Use another address
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} className="card stack">
          <p className="lead">Type the email address of your Rekey account. We email you a link to choose a new password.</p>
          <Field label="Email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required maxLength={254} />
          <ErrorNote error={error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              Email me a link
            </button>
          </div>
        </form>
      )}
      <p>
        Remembered it? <Link href="/signin">Sign in</Link>
      </p>
    </div>
  );
}
