// Reset tasks: start one from a form, and the list of the person's jobs.
import { useEffect, useState, type FormEvent } from 'react';
import { Link, useLocation } from 'wouter';
import { ApiError, get, messageOf, post, q } from '../api/client';
import type { Job, Page, VaultEntry } from '../api/types';
import { ErrorNote, Field, SelectField } from '../components/form';
import { formatDate, jobBadge } from '../components/format';
import { PageTitle } from '../components/layout';

export function TasksPage() {
  const [jobs, setJobs] = useState<Job[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = async (after?: string) => {
    try {
      const page = await get<Page<Job>>(`/api/jobs${q({ limit: 20, cursor: after })}`);
      setJobs((prev) => (after ? [...prev, ...page.items] : page.items));
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
      <PageTitle title="Tasks" />
      <NewTaskForm />
      <section aria-labelledby="jobs-title">
        <h2 id="jobs-title">Your resets</h2>
        <ErrorNote error={error} />
        {loaded && jobs.length === 0 && <p className="muted">No resets yet. Start one above or in the chat.</p>}
        <ul className="cards">
          {jobs.map((job) => (
            <li key={job.id} className="card job">
              <div className="job-head">
                <Link href={`/tasks/${job.id}`} className="job-link">
                  {job.service}
                </Link>
                <span className={`badge ${jobBadge(job).className}`}>{jobBadge(job).label}</span>
              </div>
              <p className="muted small">
                Started {formatDate(job.startedAt ?? job.createdAt)}
                {job.completedAt ? ` · ended ${formatDate(job.completedAt)}` : ''}
              </p>
              {job.failure && <p className="small">{job.failure.reason}</p>}
            </li>
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

function NewTaskForm() {
  const [, navigate] = useLocation();
  const [entries, setEntries] = useState<VaultEntry[]>([]);
  const [serviceUrl, setServiceUrl] = useState('');
  const [email, setEmail] = useState('');
  const [passwordId, setPasswordId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    get<Page<VaultEntry>>('/api/passwords?limit=100').then((p) => setEntries(p.items), () => undefined);
  }, []);

  function pick(id: string) {
    setPasswordId(id);
    const entry = entries.find((e) => e.id === id);
    if (entry) {
      setServiceUrl(entry.url);
      setEmail(entry.email ?? (entry.username.includes('@') ? entry.username : email));
    }
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { taskId } = await post<{ taskId: string }>('/api/tasks/reset', { serviceUrl, email, ...(passwordId ? { passwordId } : {}) });
      navigate(`/tasks/${taskId}`);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 429 ? `Too many resets started. Try again in ${Math.ceil((err.retryAfter ?? 300) / 60)} minutes.` : messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="new-task-title">
      <h2 id="new-task-title">Start a reset</h2>
      <form onSubmit={submit} className="stack">
        {entries.length > 0 && (
          <SelectField label="Vault entry (receives the new password)" value={passwordId} onChange={(e) => pick(e.target.value)}>
            <option value="">None: the new password gets a new entry</option>
            {entries.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {(entry.label ? `${entry.label} — ` : '') + `${entry.username} (${hostOf(entry.url)})`}
              </option>
            ))}
          </SelectField>
        )}
        <Field label="Site address" type="url" value={serviceUrl} onChange={(e) => setServiceUrl(e.target.value)} placeholder="https://netflix.com" required />
        <Field label="Account email on that site" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
        <ErrorNote error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Start reset
          </button>
        </div>
      </form>
    </section>
  );
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
