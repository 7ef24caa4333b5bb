// The service catalog with search, and sign-in discovery for any address.
import { useEffect, useState, type FormEvent } from 'react';
import { get, messageOf, post, q } from '../api/client';
import type { Discovery, Page, Service } from '../api/types';
import { ErrorNote, Field } from '../components/form';
import { PageTitle } from '../components/layout';

const methodNames: Record<string, string> = {
  email_password: 'Email and password',
  google_oauth: 'Sign in with Google',
  apple_oauth: 'Sign in with Apple',
  microsoft_oauth: 'Sign in with Microsoft',
  github_oauth: 'Sign in with GitHub',
  passkey: 'Passkey',
  magic_link: 'Emailed sign-in link or code',
  sso: 'Single sign-on',
};

export function ServicesPage() {
  const [query, setQuery] = useState('');
  const [items, setItems] = useState<Service[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [guess, setGuess] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);

  useEffect(() => {
    const timer = setTimeout(async () => {
      try {
        const page = await get<Page<Service> & { domainGuess?: string }>(`/api/services${q({ q: query.trim(), limit: 100 })}`);
        setItems(page.items);
        setCursor(page.nextCursor);
        setGuess(page.domainGuess ?? null);
        setError(null);
      } catch (err) {
        setError(messageOf(err));
      } finally {
        setLoaded(true);
      }
    }, 200);
    return () => clearTimeout(timer);
  }, [query]);

  async function more() {
    if (!cursor) return;
    try {
      const page = await get<Page<Service>>(`/api/services${q({ q: query.trim(), limit: 100, cursor })}`);
      setItems((prev) => [...prev, ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <div className="page">
      <PageTitle title="Services" />
      <section aria-labelledby="catalog-title">
        <h2 id="catalog-title">Catalog</h2>
        <Field label="Search services" type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="netflix, github.com, …" />
        <p className="sr-only" role="status" aria-live="polite">
          {loaded ? `${items.length} ${items.length === 1 ? 'service' : 'services'} found` : ''}
        </p>
        <ErrorNote error={error} />
        {loaded && items.length === 0 && (
          <p className="muted">
            No known service matches{guess ? ` — Rekey can still try ${guess}: use sign-in discovery below, or ask in the chat` : ''}.
          </p>
        )}
        <ul className="cards services">
          {items.map((s) => (
            <li key={s.id} className="card service">
              <div className="entry-head">
                <h3 className="entry-title">{s.name}</h3>
                <span className={`badge ${s.supported ? 'state-current' : 'state-empty'}`}>{s.supported ? 'Supported' : 'Not supported'}</span>
              </div>
              <p className="small muted break">{s.domains.join(', ')}</p>
              {s.resetUrl && <p className="small break">Reset page: {s.resetUrl}</p>}
            </li>
          ))}
        </ul>
        {cursor && (
          <button type="button" onClick={more}>
            Load more
          </button>
        )}
      </section>
      <DiscoveryForm />
    </div>
  );
}

function DiscoveryForm() {
  const [url, setUrl] = useState('');
  const [result, setResult] = useState<Discovery | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await post<Discovery>('/api/sign-in-discovery', { url: url.trim() }));
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="discovery-title">
      <h2 id="discovery-title">Sign-in discovery</h2>
      <p>How does a site let people sign in, and where does its password reset start? Rekey opens it in a real browser to find out.</p>
      <form onSubmit={submit} className="row wrap align-end">
        <Field label="Site address" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com" required className="grow" />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Looking…' : 'Discover'}
        </button>
      </form>
      <ErrorNote error={error} />
      <div role="status" aria-live="polite">
        {result && (
          <dl className="facts">
            <dt>Sign-in methods</dt>
            <dd>{result.methods.length ? result.methods.map((m) => methodNames[m] ?? m).join(', ') : 'None found'}</dd>
            <dt>Password reset</dt>
            <dd className="break">{result.resetUrl ?? 'Not found'}</dd>
            <dt>Sign-up</dt>
            <dd className="break">{result.signupUrl ?? 'Not found'}</dd>
            {result.loginUrl && (
              <>
                <dt>Sign-in page</dt>
                <dd className="break">{result.loginUrl}</dd>
              </>
            )}
          </dl>
        )}
      </div>
    </section>
  );
}
