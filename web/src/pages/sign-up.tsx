import { useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { ApiError, messageOf, post } from '../api/client';
import type { User } from '../api/types';
import { useAuth } from '../components/auth';
import { ErrorNote, Field } from '../components/form';
import { PageTitle } from '../components/layout';

export function SignUpPage() {
  const { setUser } = useAuth();
  const [, navigate] = useLocation();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { user } = await post<{ user: User }>('/api/auth/signup', { email, password, ...(name.trim() ? { name: name.trim() } : {}) });
      setUser(user);
      navigate('/chat');
    } catch (err) {
      if (err instanceof ApiError && err.code === 'email_taken') setError({ text: 'An account with this email exists. Sign in instead.', field: 'email' });
      else setError({ text: messageOf(err), field: err instanceof ApiError ? err.field : undefined });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page narrow">
      <PageTitle title="Create your account" />
      <form onSubmit={submit} className="card stack">
        <Field label="Name (optional)" autoComplete="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        <Field
          label="Email"
          type="email"
          autoComplete="email"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
          error={error?.field === 'email' ? error.text : null}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          minLength={10}
          hint="At least 10 characters, not your email address."
          error={error?.field === 'password' ? error.text : null}
        />
        <ErrorNote error={error && !['email', 'password'].includes(error.field ?? '') ? error.text : null} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Create account
          </button>
        </div>
      </form>
      <p>
        Already have an account? <Link href="/signin">Sign in</Link>
      </p>
    </div>
  );
}
