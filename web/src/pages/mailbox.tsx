// The IMAP mailbox where reset emails arrive: presets for the big providers,
// a write-only password, and a real connection test.
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, del, get, messageOf, post, put } from '../api/client';
import type { MailboxView } from '../api/types';
import { ErrorNote, Field, SelectField, StatusNote } from '../components/form';
import { formatDate } from '../components/format';
import { PageTitle } from '../components/layout';

export const presets = {
  gmail: { name: 'Gmail', host: 'imap.gmail.com', port: 993, secure: true, note: 'Use an app password (Google Account → Security → App passwords).' },
  outlook: { name: 'Outlook', host: 'outlook.office365.com', port: 993, secure: true, note: 'Use an app password if your account has two-step verification.' },
  fastmail: { name: 'Fastmail', host: 'imap.fastmail.com', port: 993, secure: true, note: 'Make an app password with IMAP access (Settings → Privacy & Security).' },
  icloud: { name: 'iCloud', host: 'imap.mail.me.com', port: 993, secure: true, note: 'Use an app-specific password (appleid.apple.com).' },
  custom: { name: 'Other (custom)', host: '', port: 993, secure: true, note: '' },
} as const;
type PresetId = keyof typeof presets;

function presetOf(host: string): PresetId {
  return (Object.keys(presets) as PresetId[]).find((id) => id !== 'custom' && presets[id].host === host) ?? 'custom';
}

export function MailboxPage() {
  const [saved, setSaved] = useState<MailboxView | null>(null);
  const [preset, setPreset] = useState<PresetId>('gmail');
  const [host, setHost] = useState<string>(presets.gmail.host);
  const [port, setPort] = useState('993');
  const [secure, setSecure] = useState(true);
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [folder, setFolder] = useState('INBOX');
  const [error, setError] = useState<{ text: string; field?: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const fill = (m: MailboxView) => {
    setSaved(m);
    setPreset(presetOf(m.host));
    setHost(m.host);
    setPort(String(m.port));
    setSecure(m.secure);
    setUser(m.user);
    setFolder(m.folder);
  };

  useEffect(() => {
    get<MailboxView>('/api/mailbox').then(fill, (err) => {
      if (!(err instanceof ApiError && err.status === 404)) setError({ text: messageOf(err) });
    });
  }, []);

  function choose(id: PresetId) {
    setPreset(id);
    if (id !== 'custom') {
      setHost(presets[id].host);
      setPort(String(presets[id].port));
      setSecure(presets[id].secure);
    }
  }

  const body = () => ({ host: host.trim(), port: Number(port), secure, user: user.trim(), folder: folder.trim() || 'INBOX', ...(password ? { password } : {}) });

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNote(null);
    try {
      fill(await put<MailboxView>('/api/mailbox', body()));
      setPassword('');
      setNote('Mailbox saved.');
    } catch (err) {
      setError({ text: messageOf(err), field: err instanceof ApiError ? err.field : undefined });
    } finally {
      setBusy(false);
    }
  }

  async function test() {
    setBusy(true);
    setError(null);
    setNote('Testing the connection…');
    try {
      const r = await post<{ messages: number }>('/api/mailbox/test', body());
      setNote(`Connection works: logged in, ${r.messages} ${r.messages === 1 ? 'message' : 'messages'} in ${folder || 'INBOX'}.`);
    } catch (err) {
      setNote(null);
      setError({ text: messageOf(err), field: err instanceof ApiError ? err.field : undefined });
    } finally {
      setBusy(false);
    }
  }

  async function forget() {
    if (!window.confirm('Forget the mailbox settings? Resets cannot read reset emails until you set them again.')) return;
    try {
      await del('/api/mailbox');
      setSaved(null);
      setPassword('');
      setNote('Mailbox settings removed.');
    } catch (err) {
      setError({ text: messageOf(err) });
    }
  }

  const fieldError = (name: string) => (error?.field === name ? error.text : null);
  const hint = presets[preset].note;
  return (
    <div className="page narrow">
      <PageTitle title="Mailbox" />
      <p className="lead">Rekey watches this mailbox over IMAP for reset emails, and only for them.</p>
      {saved && (
        <p className="muted">
          Saved {formatDate(saved.updatedAt)}: {saved.user} on {saved.host}:{saved.port}
        </p>
      )}
      <form onSubmit={save} className="card stack">
        <SelectField label="Provider" value={preset} onChange={(e) => choose(e.target.value as PresetId)}>
          {(Object.keys(presets) as PresetId[]).map((id) => (
            <option key={id} value={id}>
              {presets[id].name}
            </option>
          ))}
        </SelectField>
        {hint && <p className="hint">{hint}</p>}
        <div className="row wrap">
          <Field label="IMAP server" value={host} onChange={(e) => { setHost(e.target.value); setPreset('custom'); }} required className="grow" error={fieldError('host')} autoComplete="off" />
          <Field label="Port" type="number" min={1} max={65535} value={port} onChange={(e) => setPort(e.target.value)} required className="port" error={fieldError('port')} />
        </div>
        <div className="check">
          <input id="mailbox-secure" type="checkbox" checked={secure} onChange={(e) => setSecure(e.target.checked)} />
          <label htmlFor="mailbox-secure">TLS from the start (port 993)</label>
        </div>
        <Field label="User name" value={user} onChange={(e) => setUser(e.target.value)} required autoComplete="off" error={fieldError('user')} />
        <Field
          label="Password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required={!saved?.hasPassword}
          autoComplete="new-password"
          hint={saved?.hasPassword ? 'Stored, encrypted. Leave empty to keep it (same server and user).' : 'Stored encrypted, never shown again.'}
          error={fieldError('password')}
        />
        <Field label="Folder" value={folder} onChange={(e) => setFolder(e.target.value)} error={fieldError('folder')} autoComplete="off" />
        <ErrorNote error={error && !['host', 'port', 'user', 'password', 'folder'].includes(error.field ?? '') ? error.text : null} />
        {note && <StatusNote kind="ok">{note}</StatusNote>}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Save
          </button>
          <button type="button" onClick={test} disabled={busy}>
            Test connection
          </button>
          {saved && (
            <button type="button" className="danger" onClick={forget} disabled={busy}>
              Forget
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
