// Account settings: two-factor sign-in, sessions, API keys (behind sudo),
// webhooks and their deliveries, password change, export and deletion.
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useLocation } from 'wouter';
import { ApiError, del, get, messageOf, patch, post } from '../api/client';
import { webhookEvents, type ApiKeyView, type DeliveryView, type Page, type SessionView, type WebhookEvent, type WebhookView } from '../api/types';
import { useAuth } from '../components/auth';
import { ErrorNote, Field, StatusNote } from '../components/form';
import { formatDate } from '../components/format';
import { PageTitle } from '../components/layout';
import { failureMessage, useSudo } from '../components/sudo';

export function SettingsPage() {
  return (
    <div className="page">
      <PageTitle title="Settings" />
      <nav aria-label="Settings sections" className="toc">
        <ul className="chips">
          <li><a href="#two-factor">Two-factor</a></li>
          <li><a href="#sessions">Sessions</a></li>
          <li><a href="#api-keys">API keys</a></li>
          <li><a href="#webhooks">Webhooks</a></li>
          <li><a href="#password">Password</a></li>
          <li><a href="#data">Your data</a></li>
        </ul>
      </nav>
      <TwoFactorSection />
      <SessionsSection />
      <ApiKeysSection />
      <WebhooksSection />
      <PasswordSection />
      <DataSection />
    </div>
  );
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} className="card settings-section" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

// ---- two-factor ---------------------------------------------------------------

function TwoFactorSection() {
  const { user, refresh } = useAuth();
  const withSudo = useSudo();
  const [setup, setSetup] = useState<{ secret: string; qrCodeDataUrl: string } | null>(null);
  const [code, setCode] = useState('');
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function start() {
    setError(null);
    try {
      setSetup(await post<{ secret: string; qrCodeDataUrl: string }>('/api/account/2fa/setup'));
    } catch (err) {
      setError(messageOf(err));
    }
  }

  async function enable(e: FormEvent) {
    e.preventDefault();
    if (!setup) return;
    setBusy(true);
    setError(null);
    try {
      const r = await post<{ recoveryCodes: string[] }>('/api/account/2fa/enable', { secret: setup.secret, code: code.trim() });
      setRecovery(r.recoveryCodes);
      setSetup(null);
      setCode('');
      await refresh();
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'invalid_code' ? 'That code is not right. Type the current one from the app.' : messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function disable(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await withSudo(() => post('/api/account/2fa/disable', { password }));
      setPassword('');
      setNote('Two-factor sign-in is off.');
      await refresh();
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'wrong_password' ? 'That is not your password.' : failureMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section id="two-factor" title="Two-factor sign-in">
      {recovery && (
        <div className="notice ok recovery" role="status">
          <p>
            <strong>Two-factor sign-in is on.</strong> Save these recovery codes now — they are shown only this once. Each signs you in once if
            you lose your phone.
          </p>
          <ul className="recovery-codes" aria-label="Recovery codes">
            {recovery.map((c) => (
              <li key={c}>
                <code>{c}</code>
              </li>
            ))}
          </ul>
          <div className="actions">
            <button type="button" onClick={() => void navigator.clipboard.writeText(recovery.join('\n')).catch(() => undefined)}>
              Copy the codes
            </button>
            <button type="button" onClick={() => setRecovery(null)}>
              I saved them
            </button>
          </div>
        </div>
      )}
      {user?.twoFactorEnabled ? (
        <form onSubmit={disable} className="stack">
          <p>Two-factor sign-in is on: signing in asks for a code from your authenticator app.</p>
          <Field label="Your password, to turn it off" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
          <div className="actions">
            <button type="submit" className="danger" disabled={busy}>
              Turn off two-factor sign-in
            </button>
          </div>
        </form>
      ) : setup ? (
        <form onSubmit={enable} className="stack">
          <p>Scan this QR code with your authenticator app (or type the secret), then type the code it shows.</p>
          <div className="two-factor-setup">
            <img src={setup.qrCodeDataUrl} alt="QR code to add Rekey to your authenticator app" className="qr" width={200} height={200} />
            <p>
              Secret: <code className="break secret-key">{setup.secret}</code>
            </p>
          </div>
          <Field label="Code from the app" value={code} onChange={(e) => setCode(e.target.value)} inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              Turn on
            </button>
            <button type="button" onClick={() => setSetup(null)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        !recovery && (
          <>
            <p>Protect your Rekey account with codes from an authenticator app.</p>
            <button type="button" className="primary" onClick={start}>
              Set up two-factor sign-in
            </button>
          </>
        )
      )}
      {note && <StatusNote kind="ok">{note}</StatusNote>}
      <ErrorNote error={error} />
    </Section>
  );
}

// ---- sessions -----------------------------------------------------------------

function SessionsSection() {
  const [sessions, setSessions] = useState<SessionView[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const { setUser } = useAuth();
  const [, navigate] = useLocation();

  const load = useCallback(async () => {
    try {
      setSessions((await get<Page<SessionView>>('/api/auth/sessions?limit=100')).items);
    } catch (err) {
      setError(messageOf(err));
    }
  }, []);
  useEffect(() => void load(), [load]);

  async function revoke(s: SessionView) {
    setError(null);
    try {
      await del(`/api/auth/sessions/${encodeURIComponent(s.id)}`);
      if (s.current) {
        setUser(null);
        navigate('/signin');
        return;
      }
      setNote(`Signed out ${s.device}.`);
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  }

  async function revokeOthers() {
    setError(null);
    try {
      const { revoked } = await post<{ revoked: number }>('/api/auth/sessions/revoke-others');
      setNote(`Signed out ${revoked} other ${revoked === 1 ? 'session' : 'sessions'}.`);
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <Section id="sessions" title="Sessions">
      <ul className="rows">
        {sessions.map((s) => (
          <li key={s.id} className="row-item">
            <div>
              <p className="strong">
                {s.device}
                {s.current && <span className="badge state-current">This browser</span>}
              </p>
              <p className="small muted">
                {s.ip ?? 'unknown address'} · last used {formatDate(s.lastSeenAt)} · signed in {formatDate(s.createdAt)}
              </p>
            </div>
            <button type="button" onClick={() => void revoke(s)} aria-label={`Sign out ${s.device}${s.current ? ' (this browser)' : ''}`}>
              Sign out
            </button>
          </li>
        ))}
      </ul>
      {sessions.length > 1 && (
        <button type="button" onClick={revokeOthers}>
          Sign out all other sessions
        </button>
      )}
      {note && <StatusNote kind="ok">{note}</StatusNote>}
      <ErrorNote error={error} />
    </Section>
  );
}

// ---- API keys -----------------------------------------------------------------

function ApiKeysSection() {
  const withSudo = useSudo();
  const [keys, setKeys] = useState<ApiKeyView[]>([]);
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setKeys((await get<Page<ApiKeyView>>('/api/api-keys?limit=100')).items);
    } catch (err) {
      setError(messageOf(err));
    }
  }, []);
  useEffect(() => void load(), [load]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const r = await withSudo(() => post<{ key: string }>('/api/api-keys', { name: name.trim() }));
      setCreated(r.key);
      setName('');
      await load();
    } catch (err) {
      setError(failureMessage(err));
    } finally {
      setBusy(false);
    }
  }

  async function revoke(k: ApiKeyView) {
    if (!window.confirm(`Revoke the key “${k.name}”? Scripts using it stop working.`)) return;
    try {
      await del(`/api/api-keys/${encodeURIComponent(k.id)}`);
      await load();
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <Section id="api-keys" title="API keys">
      <p>For scripts: send a key as <code>Authorization: Bearer rk_…</code>. Creating one asks for your password.</p>
      <form onSubmit={create} className="row wrap align-end">
        <Field label="Key name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} className="grow" placeholder="backup script" />
        <button type="submit" className="primary" disabled={busy}>
          Create key
        </button>
      </form>
      {created && (
        <div className="notice ok" role="status">
          <p>
            <strong>Your new key</strong> — copy it now, it is shown only this once:
          </p>
          <p>
            <code className="break secret api-key-value">{created}</code>
          </p>
          <button type="button" onClick={() => void navigator.clipboard.writeText(created).catch(() => undefined)}>
            Copy the key
          </button>
        </div>
      )}
      <ErrorNote error={error} />
      <ul className="rows">
        {keys.map((k) => (
          <li key={k.id} className="row-item">
            <div>
              <p className="strong">{k.name}</p>
              <p className="small muted">
                <code>{k.prefix}…</code> · created {formatDate(k.createdAt)} · last used {k.lastUsedAt ? formatDate(k.lastUsedAt) : 'never'}
                {k.expiresAt ? ` · expires ${formatDate(k.expiresAt)}` : ''}
              </p>
            </div>
            <button type="button" className="danger" onClick={() => void revoke(k)} aria-label={`Revoke the key ${k.name}`}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </Section>
  );
}

// ---- webhooks -----------------------------------------------------------------

function WebhooksSection() {
  const [hooks, setHooks] = useState<WebhookView[]>([]);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>([...webhookEvents]);
  const [secret, setSecret] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      setHooks((await get<Page<WebhookView>>('/api/webhooks?limit=100')).items);
    } catch (err) {
      setError(messageOf(err));
    }
  }, []);
  useEffect(() => void load(), [load]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setSecret(null);
    try {
      const r = await post<WebhookView & { secret: string }>('/api/webhooks', { url: url.trim(), events });
      setSecret(r.secret);
      setUrl('');
      await load();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Section id="webhooks" title="Webhooks">
      <p>Rekey POSTs signed events (Standard Webhooks) to your endpoint when a reset finishes or needs you.</p>
      <form onSubmit={create} className="stack">
        <Field label="Endpoint URL" type="url" value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="https://example.com/hooks/rekey" />
        <fieldset className="checks">
          <legend>Events</legend>
          {webhookEvents.map((ev) => (
            <div className="check" key={ev}>
              <input
                id={`event-${ev}`}
                type="checkbox"
                checked={events.includes(ev)}
                onChange={(e) => setEvents((all) => (e.target.checked ? [...all, ev] : all.filter((x) => x !== ev)))}
              />
              <label htmlFor={`event-${ev}`}>{ev}</label>
            </div>
          ))}
        </fieldset>
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || events.length === 0}>
            Add webhook
          </button>
        </div>
      </form>
      {secret && (
        <div className="notice ok" role="status">
          <p>
            <strong>Signing secret</strong> — store it now, it is shown only this once:
          </p>
          <p>
            <code className="break secret">{secret}</code>
          </p>
        </div>
      )}
      <ErrorNote error={error} />
      <ul className="rows">
        {hooks.map((h) => (
          <WebhookRow key={h.id} hook={h} onChanged={load} />
        ))}
      </ul>
    </Section>
  );
}

function WebhookRow({ hook, onChanged }: { hook: WebhookView; onChanged: () => Promise<void> }) {
  const [deliveries, setDeliveries] = useState<DeliveryView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const path = `/api/webhooks/${encodeURIComponent(hook.id)}`;

  const loadDeliveries = async () => {
    try {
      setDeliveries((await get<Page<DeliveryView>>(`${path}/deliveries?limit=20`)).items);
    } catch (err) {
      setError(messageOf(err));
    }
  };

  const act = async (fn: () => Promise<unknown>, done?: string) => {
    setError(null);
    try {
      await fn();
      if (done) setNote(done);
      await onChanged();
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <li className="row-item column">
      <div>
        <p className="strong break">{hook.url}</p>
        <p className="small muted">
          {hook.enabled ? 'On' : 'Off'} · {hook.events.join(', ')}
        </p>
      </div>
      <div className="actions">
        <button type="button" onClick={() => void act(() => post(`${path}/test`), 'Test event queued.').then(loadDeliveries)}>
          Send a test
        </button>
        <button type="button" onClick={() => void (deliveries ? setDeliveries(null) : loadDeliveries())} aria-expanded={deliveries !== null}>
          Deliveries
        </button>
        <button type="button" onClick={() => void act(() => patch(path, { enabled: !hook.enabled }))}>
          {hook.enabled ? 'Turn off' : 'Turn on'}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => window.confirm('Delete this webhook and its delivery log?') && void act(() => del(path))}
          aria-label={`Delete the webhook ${hook.url}`}
        >
          Delete
        </button>
      </div>
      {note && <StatusNote kind="ok">{note}</StatusNote>}
      <ErrorNote error={error} />
      {deliveries && (
        <div className="deliveries">
          <h3>Deliveries</h3>
          {deliveries.length === 0 ? (
            <p className="muted small">No deliveries yet.</p>
          ) : (
            <ul className="rows small">
              {deliveries.map((d) => (
                <li key={d.id} className="row-item">
                  <span>
                    {formatDate(d.createdAt)} · {d.eventType} · attempt {d.attempt}
                  </span>
                  <span className={`badge delivery-${d.status}`}>
                    {d.status}
                    {d.responseStatus ? ` (${d.responseStatus})` : ''}
                  </span>
                  {d.error && <span className="muted">{d.error}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </li>
  );
}

// ---- password -----------------------------------------------------------------

function PasswordSection() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setNote(null);
    try {
      const r = await post<{ sessionsRevoked: number }>('/api/account/change-password', { currentPassword: current, newPassword: next });
      setCurrent('');
      setNext('');
      setNote(`Password changed.${r.sessionsRevoked ? ` ${r.sessionsRevoked} other sessions were signed out.` : ''}`);
    } catch (err) {
      setError(err instanceof ApiError && err.code === 'wrong_password' ? 'The current password is not right.' : messageOf(err));
    }
  }

  return (
    <Section id="password" title="Password">
      <form onSubmit={submit} className="stack">
        <Field label="Current password" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
        <Field label="New password" type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required minLength={10} hint="At least 10 characters." />
        <ErrorNote error={error} />
        {note && <StatusNote kind="ok">{note}</StatusNote>}
        <div className="actions">
          <button type="submit" className="primary">
            Change password
          </button>
        </div>
      </form>
    </Section>
  );
}

// ---- export and deletion ------------------------------------------------------

function DataSection() {
  const withSudo = useSudo();
  const { setUser } = useAuth();
  const [, navigate] = useLocation();
  const [confirmText, setConfirmText] = useState('');
  const [error, setError] = useState<string | null>(null);

  async function remove(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await withSudo(() => del('/api/account'));
      setUser(null);
      navigate('/signup');
    } catch (err) {
      setError(failureMessage(err));
    }
  }

  return (
    <Section id="data" title="Your data">
      <p>
        Download everything Rekey keeps about you as JSON — without passwords, secrets or anything encrypted.{' '}
        <a href="/api/account/export" download className="button">
          Export my data
        </a>
      </p>
      <form onSubmit={remove} className="stack danger-zone">
        <h3>Delete the account</h3>
        <p>This cancels running resets and removes your vault, mailbox settings, tasks, webhooks and sessions. It cannot be undone.</p>
        <Field label='Type "delete" to confirm' value={confirmText} onChange={(e) => setConfirmText(e.target.value)} autoComplete="off" />
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="danger" disabled={confirmText.trim().toLowerCase() !== 'delete'}>
            Delete my account
          </button>
        </div>
      </form>
    </Section>
  );
}
