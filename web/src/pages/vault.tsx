// The vault: entries (site, login, optional TOTP secret), add/edit/delete,
// reveal behind sudo, and import from a Chrome, Bitwarden or 1Password CSV.
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, del, get, messageOf, patch, post, q } from '../api/client';
import type { Page, VaultEntry } from '../api/types';
import { ErrorNote, Field, StatusNote } from '../components/form';
import { formatDate } from '../components/format';
import { PageTitle } from '../components/layout';
import { failureMessage, useSudo } from '../components/sudo';
import { formatNames, importCsv, type ImportResult } from '../lib/vault-import';
import { hostOf } from './tasks';

export function VaultPage() {
  const [entries, setEntries] = useState<VaultEntry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);

  const load = async (after?: string) => {
    try {
      const page = await get<Page<VaultEntry>>(`/api/passwords${q({ limit: 50, cursor: after })}`);
      setEntries((prev) => (after ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setLoaded(true);
    }
  };
  useEffect(() => {
    void load();
  }, []);

  return (
    <div className="page">
      <PageTitle title="Vault" />
      <p className="lead">The sites Rekey can reset, with their logins. Passwords and TOTP secrets are encrypted and never shown without your password.</p>
      <details className="card disclosure">
        <summary>Add an entry</summary>
        <EntryForm
          onSaved={(entry) => {
            setEntries((all) => [entry, ...all]);
            setNote(`Added ${entry.label ?? hostOf(entry.url)}.`);
          }}
        />
      </details>
      <details className="card disclosure">
        <summary>Import from a password manager</summary>
        <ImportForm
          onDone={(count) => {
            setNote(`Imported ${count} ${count === 1 ? 'entry' : 'entries'}.`);
            void load();
          }}
        />
      </details>
      {note && <StatusNote kind="ok">{note}</StatusNote>}
      <ErrorNote error={error} />
      <section aria-labelledby="entries-title">
        <h2 id="entries-title">Entries</h2>
        {loaded && entries.length === 0 && <p className="muted">Your vault is empty.</p>}
        <ul className="cards">
          {entries.map((entry) => (
            <EntryCard
              key={entry.id}
              entry={entry}
              onChanged={(next) => setEntries((all) => all.map((e) => (e.id === next.id ? next : e)))}
              onDeleted={() => {
                setEntries((all) => all.filter((e) => e.id !== entry.id));
                setNote(`Deleted ${entry.label ?? hostOf(entry.url)}.`);
              }}
            />
          ))}
        </ul>
        {cursor && (
          <button type="button" onClick={() => void load(cursor)}>
            Load more
          </button>
        )}
      </section>
    </div>
  );
}

function EntryCard({ entry, onChanged, onDeleted }: { entry: VaultEntry; onChanged: (e: VaultEntry) => void; onDeleted: () => void }) {
  const withSudo = useSudo();
  const [password, setPassword] = useState<string | null>(null);
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const title = entry.label || hostOf(entry.url);

  async function reveal() {
    setError(null);
    if (password) return setPassword(null);
    try {
      const r = await withSudo(() => post<{ password: string; state: string }>(`/api/passwords/${encodeURIComponent(entry.id)}/reveal`));
      setPassword(r.password);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 404 ? 'No password stored for this entry yet.' : failureMessage(err));
    }
  }

  async function copy() {
    setError(null);
    try {
      const value = password ?? (await withSudo(() => post<{ password: string }>(`/api/passwords/${encodeURIComponent(entry.id)}/reveal`))).password;
      await navigator.clipboard.writeText(value);
      setNote('Copied to the clipboard.');
    } catch (err) {
      setError(failureMessage(err));
    }
  }

  /** After a reset the site never confirmed: the person says whether the new password works. */
  async function settle(action: 'confirm' | 'discard') {
    setError(null);
    try {
      const next = await post<VaultEntry>(`/api/passwords/${encodeURIComponent(entry.id)}/pending/${action}`);
      setPassword(null);
      setNote(action === 'confirm' ? 'The new password is now the current one.' : 'The previous password stays the current one.');
      onChanged(next);
    } catch (err) {
      setError(messageOf(err));
    }
  }

  async function remove() {
    if (!window.confirm(`Delete ${title} and its password history from the vault?`)) return;
    setError(null);
    try {
      await del(`/api/passwords/${encodeURIComponent(entry.id)}`);
      onDeleted();
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <li className="card entry">
      <div className="entry-head">
        <h3 className="entry-title">{title}</h3>
        <span className={`badge state-${entry.state}`}>{entry.state === 'pending' ? 'New password to confirm' : entry.state === 'empty' ? 'No password' : 'Current'}</span>
      </div>
      {entry.state === 'pending' && (
        <div className="notice warning">
          <p>
            A reset set a new password, but the site did not confirm it. <strong>Reveal</strong> shows the new password: sign in with it, then tell
            Rekey whether it works.
          </p>
          <div className="actions">
            <button type="button" className="primary" onClick={() => void settle('confirm')} aria-label={`It works: the new password for ${title}`}>
              It works
            </button>
            <button type="button" onClick={() => void settle('discard')} aria-label={`Use the previous one for ${title}`}>
              Use the previous one
            </button>
          </div>
        </div>
      )}
      <dl className="facts">
        <dt>Site</dt>
        <dd className="break">{entry.url}</dd>
        <dt>Username</dt>
        <dd className="break">{entry.username}</dd>
        {entry.email && (
          <>
            <dt>Email</dt>
            <dd className="break">{entry.email}</dd>
          </>
        )}
        <dt>Authenticator</dt>
        <dd>{entry.hasTotp ? 'TOTP secret stored' : 'None'}</dd>
        <dt>Updated</dt>
        <dd>{formatDate(entry.updatedAt)}</dd>
      </dl>
      {password && (
        <p>
          <span className="sr-only">Password for {title}: </span>
          <code className="secret">{password}</code>
        </p>
      )}
      <div className="actions">
        <button type="button" onClick={reveal} aria-label={`${password ? 'Hide' : 'Reveal'} the password for ${title}`}>
          {password ? 'Hide' : 'Reveal'}
        </button>
        <button type="button" onClick={copy} aria-label={`Copy the password for ${title}`}>
          Copy
        </button>
        <button type="button" onClick={() => setEditing((v) => !v)} aria-expanded={editing} aria-label={`Edit ${title}`}>
          Edit
        </button>
        <button type="button" className="danger" onClick={remove} aria-label={`Delete ${title}`}>
          Delete
        </button>
      </div>
      {note && (
        <p className="notice ok" role="status">
          {note}
        </p>
      )}
      <ErrorNote error={error} />
      {editing && (
        <EntryForm
          entry={entry}
          onSaved={(next) => {
            onChanged(next);
            setEditing(false);
            setPassword(null);
          }}
        />
      )}
    </li>
  );
}

/** Add (no `entry`) or edit. On edit, empty password / TOTP fields leave those secrets as they are. */
function EntryForm({ entry, onSaved }: { entry?: VaultEntry; onSaved: (e: VaultEntry) => void }) {
  const [url, setUrl] = useState(entry?.url ?? '');
  const [username, setUsername] = useState(entry?.username ?? '');
  const [email, setEmail] = useState(entry?.email ?? '');
  const [label, setLabel] = useState(entry?.label ?? '');
  const [password, setPassword] = useState('');
  const [totpSecret, setTotpSecret] = useState('');
  const [removeTotp, setRemoveTotp] = useState(false);
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const fieldError = (name: string) => (error?.field === name ? error.text : null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      let saved: VaultEntry;
      if (entry) {
        saved = await patch<VaultEntry>(`/api/passwords/${encodeURIComponent(entry.id)}`, {
          url,
          username,
          email: email.trim() || null,
          label: label.trim() || null,
          ...(password ? { password } : {}),
          ...(removeTotp ? { totpSecret: null } : totpSecret.trim() ? { totpSecret: totpSecret.trim() } : {}),
        });
      } else {
        saved = await post<VaultEntry>('/api/passwords', {
          url,
          username,
          password,
          ...(email.trim() ? { email: email.trim() } : {}),
          ...(label.trim() ? { label: label.trim() } : {}),
          ...(totpSecret.trim() ? { totpSecret: totpSecret.trim() } : {}),
        });
        setUrl('');
        setUsername('');
        setEmail('');
        setLabel('');
      }
      setPassword('');
      setTotpSecret('');
      onSaved(saved);
    } catch (err) {
      setError({ text: messageOf(err), field: err instanceof ApiError ? err.field : undefined });
    } finally {
      setBusy(false);
    }
  }

  const fields = ['url', 'username', 'email', 'label', 'password', 'totpSecret'];
  return (
    <form onSubmit={submit} className="stack entry-form" aria-label={entry ? 'Edit entry' : 'New entry'}>
      <Field label="Site address" type="url" value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="https://example.com/login" error={fieldError('url')} />
      <Field label="Username" value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" error={fieldError('username')} />
      <Field
        label="Account email (if not the username)"
        type="email"
        value={email}
        onChange={(e) => setEmail(e.target.value)}
        autoComplete="off"
        error={fieldError('email')}
      />
      <Field
        label={entry ? 'New password (leave empty to keep)' : 'Password'}
        type="password"
        value={password}
        onChange={(e) => setPassword(e.target.value)}
        required={!entry}
        autoComplete="new-password"
        error={fieldError('password')}
      />
      <Field
        label={entry?.hasTotp ? 'New TOTP secret (leave empty to keep)' : 'TOTP secret (optional)'}
        value={totpSecret}
        onChange={(e) => setTotpSecret(e.target.value)}
        autoComplete="off"
        hint="The base32 secret or otpauth:// link from the site’s two-factor setup. Rekey then types the codes itself."
        error={fieldError('totpSecret')}
      />
      {entry?.hasTotp && (
        <div className="check">
          <input id={`remove-totp-${entry.id}`} type="checkbox" checked={removeTotp} onChange={(e) => setRemoveTotp(e.target.checked)} />
          <label htmlFor={`remove-totp-${entry.id}`}>Remove the stored TOTP secret</label>
        </div>
      )}
      <Field label="Label (optional)" value={label} onChange={(e) => setLabel(e.target.value)} maxLength={100} error={fieldError('label')} />
      <ErrorNote error={error && !fields.includes(error.field ?? '') ? error.text : null} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {entry ? 'Save changes' : 'Add entry'}
        </button>
      </div>
    </form>
  );
}

function ImportForm({ onDone }: { onDone: (count: number) => void }) {
  const [parsed, setParsed] = useState<ImportResult | null>(null);
  const [fileName, setFileName] = useState('');
  const [progress, setProgress] = useState<string | null>(null);
  const [failures, setFailures] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  async function read(file: File | undefined) {
    setParsed(null);
    setFailures([]);
    setProgress(null);
    if (!file) return;
    setFileName(file.name);
    setParsed(importCsv(await file.text()));
  }

  async function run(e: FormEvent) {
    e.preventDefault();
    if (!parsed) return;
    setBusy(true);
    const failed: string[] = [];
    let done = 0;
    for (const [i, entry] of parsed.entries.entries()) {
      setProgress(`Importing ${i + 1} of ${parsed.entries.length}…`);
      try {
        await post('/api/passwords', entry);
        done++;
      } catch (err) {
        failed.push(`${entry.label ?? hostOf(entry.url)}: ${messageOf(err)}`);
      }
    }
    setFailures(failed);
    setProgress(`Imported ${done} of ${parsed.entries.length}.`);
    setBusy(false);
    if (done > 0) onDone(done);
  }

  return (
    <form onSubmit={run} className="stack">
      <p>Export your passwords as CSV from Chrome (Password Manager → Settings → Export), Bitwarden (Tools → Export vault → .csv) or 1Password (File → Export → CSV), then choose the file. Delete the file afterwards: it is not encrypted.</p>
      <div className="field">
        <label htmlFor="import-file">CSV file</label>
        <input id="import-file" type="file" accept=".csv,text/csv" onChange={(e) => void read(e.target.files?.[0])} />
      </div>
      {parsed && !parsed.format && (
        <p className="notice error" role="alert">
          {fileName} is not a Chrome, Bitwarden or 1Password export (its first line does not name the expected columns).
        </p>
      )}
      {parsed?.format && (
        <div role="status">
          <p>
            {fileName}: {formatNames[parsed.format]} export with {parsed.entries.length} {parsed.entries.length === 1 ? 'login' : 'logins'} to import
            {parsed.skipped.length > 0 ? `, ${parsed.skipped.length} rows left out` : ''}.
          </p>
          {parsed.skipped.length > 0 && (
            <ul className="small">
              {parsed.skipped.slice(0, 20).map((s) => (
                <li key={s.row}>
                  Row {s.row}: {s.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {progress && (
        <p role="status" className="notice info">
          {progress}
        </p>
      )}
      {failures.length > 0 && (
        <ul className="notice error small" role="alert">
          {failures.map((f, i) => (
            <li key={i}>{f}</li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy || !parsed?.entries.length}>
          Import
        </button>
      </div>
    </form>
  );
}
