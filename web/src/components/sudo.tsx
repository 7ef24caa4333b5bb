// Sudo: actions that need a fresh password confirmation (reveal, API keys,
// 2FA off, account deletion) answer 403 `sudo_required`. `withSudo(fn)` runs
// fn; on that answer it asks for the password in a modal dialog, calls
// POST /api/auth/sudo, and runs fn once more.
import { createContext, useCallback, useContext, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, messageOf, post } from '../api/client';
import { ErrorNote, Field } from './form';

export class SudoCancelled extends Error {
  constructor() {
    super('Cancelled: the password was not confirmed.');
  }
}

type WithSudo = <T>(fn: () => Promise<T>) => Promise<T>;
const SudoContext = createContext<WithSudo | null>(null);

export function SudoProvider({ children }: { children: ReactNode }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const pending = useRef<{ resolve(): void; reject(err: Error): void } | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [asking, setAsking] = useState(false);

  const ask = useCallback(
    () =>
      new Promise<void>((resolve, reject) => {
        pending.current = { resolve, reject };
        setPassword('');
        setError(null);
        setAsking(true);
      }),
    [],
  );

  const withSudo = useCallback<WithSudo>(
    async (fn) => {
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof ApiError && err.code === 'sudo_required')) throw err;
        await ask();
        return fn();
      }
    },
    [ask],
  );

  // Opened once the form is rendered, so its field takes the focus.
  useEffect(() => {
    if (asking && !dialog.current?.open) dialog.current?.showModal();
  }, [asking]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post('/api/auth/sudo', { password });
      const p = pending.current;
      pending.current = null;
      setPassword('');
      dialog.current?.close();
      p?.resolve();
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'wrong_password' ? 'That is not your password.' : messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  function onClose() {
    setAsking(false);
    const p = pending.current;
    pending.current = null;
    setPassword('');
    p?.reject(new SudoCancelled());
  }

  return (
    <SudoContext.Provider value={withSudo}>
      {children}
      <dialog ref={dialog} className="dialog" aria-labelledby="sudo-title" onClose={onClose}>
        {asking && (
        <form onSubmit={submit}>
          <h2 id="sudo-title">Confirm your password</h2>
          <p>For your safety, this needs your Rekey password again. It is remembered for 5 minutes.</p>
          <Field
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            autoFocus
          />
          <ErrorNote error={error} />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              Confirm
            </button>
            <button type="button" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
          </div>
        </form>
        )}
      </dialog>
    </SudoContext.Provider>
  );
}

export function useSudo(): WithSudo {
  const ctx = useContext(SudoContext);
  if (!ctx) throw new Error('useSudo outside SudoProvider');
  return ctx;
}

/** The message to show for a failed action, or null when the person just cancelled the prompt. */
export const failureMessage = (err: unknown): string | null => (err instanceof SudoCancelled ? null : messageOf(err));
