// The page the password-reset email links to (/reset-password#token=…): a new
// password, twice, → POST /api/account/reset-password. The token is read from
// the fragment and sent only in that POST body. Each answer the server can
// give for the link — 410 expired, 409 used, 404 unknown — has its own
// sentence and next step; success signs every device out, so the person
// signs in again with the new password.
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { ApiError, messageOf, post } from '../api/client';
import { useAuth } from '../components/auth';
import { ErrorNote, Field } from '../components/form';
import { PageTitle } from '../components/layout';
import { useLinkToken } from '../lib/link-token';

type LinkProblem = 'missing' | 'expired' | 'used' | 'unknown';

const problemOf: Record<number, LinkProblem> = { 404: 'unknown', 409: 'used', 410: 'expired' };

export function ResetPasswordPage() {
  const token = useLinkToken();
  return <ResetPasswordForm key={token ?? ''} token={token} />;
}

function ResetPasswordForm({ token }: { token: string | null }) {
  const { setUser } = useAuth();
  const [, navigate] = useLocation();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [problem, setProblem] = useState<LinkProblem | null>(token ? null : 'missing');
  const [error, setError] = useState<{ text: string; field?: 'password' | 'repeat' } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (password !== repeat) {
      setError({ text: 'The two passwords are not the same. Type the new password again in both fields.', field: 'repeat' });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await post('/api/account/reset-password', { token, password });
      // Every session of the account was just signed out, this browser's included.
      setUser(null);
      navigate('/signin?password=reset');
    } catch (err) {
      const linkProblem = err instanceof ApiError ? problemOf[err.status] : undefined;
      if (linkProblem) setProblem(linkProblem);
      else if (err instanceof ApiError && err.field === 'password') setError({ text: passwordRuleText(err.message), field: 'password' });
      else setError({ text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page narrow">
      <PageTitle title="Choose a new password" />
      {problem ? (
        <LinkProblemNote problem={problem} />
      ) : (
        <form onSubmit={submit} className="card stack">
          <p className="lead">Your new password replaces the old one, and every device signed in to your account is signed out.</p>
          <Field
            label="New password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            minLength={10}
            maxLength={256}
            hint="At least 10 characters, not your email address."
            error={error?.field === 'password' ? error.text : null}
          />
          <Field
            label="Repeat the new password"
            type="password"
            autoComplete="new-password"
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
            required
            maxLength={256}
            error={error?.field === 'repeat' ? error.text : null}
          />
          <ErrorNote error={error && !error.field ? error.text : null} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              Set new password
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

/** The server's rule sentence ("password: must be at least 10 characters") as the person reads it. */
function passwordRuleText(message: string): string {
  const rule = message.replace(/^password:\s*/, '');
  return `The new password ${rule}.`;
}

function LinkProblemNote({ problem }: { problem: LinkProblem }) {
  const newLink = <Link href="/forgot-password">request a new link</Link>;
  const [sentence, next] = {
    missing: ['This page needs the link from your password-reset email.', <>Open the link from the email again, the whole of it, or {newLink}.</>],
    expired: ['This link has expired: reset links work for a limited time.', <>Please {newLink}; it arrives within a few minutes.</>],
    used: [
      'This link was already used. A link works once, and a newer link ends the older ones.',
      <>
        If you set your new password with it, <Link href="/signin">sign in</Link>. Otherwise {newLink}.
      </>,
    ],
    unknown: ['This link is not valid. It may have been cut short when it was copied.', <>Copy the whole link from the email, or {newLink}.</>],
  }[problem];
  return (
    <div className="card stack">
      <p className="notice error" role="alert">
        {sentence}
      </p>
      <p>{next}</p>
    </div>
  );
}
