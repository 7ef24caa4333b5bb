// Sign in: email and password, then — when 2FA is on — a code from the
// authenticator app or a recovery code.
import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { ApiError, messageOf, post } from '../api/client';
import type { User } from '../api/types';
import { useAuth } from '../components/auth';
import { ErrorNote, Field, StatusNote } from '../components/form';
import { PageTitle } from '../components/layout';

type SignInAnswer = { user: User } | { mfaRequired: true; challengeToken: string };

export function SignInPage() {
  const { setUser } = useAuth();
  const [, navigate] = useLocation();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Set by the reset-password page after a new password was chosen.
  const [justReset] = useState(() => new URLSearchParams(window.location.search).get('password') === 'reset');

  const done = (user: User) => {
    setUser(user);
    navigate('/chat');
  };

  async function signIn(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await post<SignInAnswer>('/api/auth/signin', { email, password });
      if ('mfaRequired' in answer) {
        setChallenge(answer.challengeToken);
        setPassword('');
      } else done(answer.user);
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 429
          ? `Too many attempts. Try again in ${Math.ceil((err.retryAfter ?? 900) / 60)} minutes.`
          : err instanceof ApiError && err.status === 401
            ? 'Wrong email or password.'
            : messageOf(err),
      );
    } finally {
      setBusy(false);
    }
  }

  async function verify(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const answer = await post<{ user: User }>('/api/auth/signin/mfa', { challengeToken: challenge, code: code.trim() });
      done(answer.user);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'challenge_invalid') {
        setChallenge(null);
        setCode('');
        setError('That sign-in expired or took too many codes. Sign in again.');
      } else setError(err instanceof ApiError && err.status === 401 ? 'That code is not right. Try the newest one.' : messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  if (challenge) {
    return (
      <div className="page narrow">
        <PageTitle title="Two-factor sign-in" />
        <form onSubmit={verify} className="card stack">
          <p>Type the 6-digit code from your authenticator app, or one of your recovery codes.</p>
          <Field
            label="Code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
            autoComplete="one-time-code"
            inputMode="text"
            required
            minLength={6}
            maxLength={40}
            autoFocus
          />
          <ErrorNote error={error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              Verify
            </button>
            <button type="button" onClick={() => setChallenge(null)}>
              Back
            </button>
          </div>
        </form>
      </div>
    );
  }

  return (
    <div className="page narrow">
      <PageTitle title="Sign in" />
      {justReset && <StatusNote kind="ok">Your password is changed, and every device was signed out. Sign in with the new password.</StatusNote>}
      <form onSubmit={signIn} className="card stack">
        <Field label="Email" type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} required />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Sign in
          </button>
          <Link href="/forgot-password">Forgot password?</Link>
        </div>
      </form>
      <p>
        New to Rekey? <Link href="/signup">Create an account</Link>
      </p>
    </div>
  );
}
