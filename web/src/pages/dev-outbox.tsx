// "Outbox (development)": the account emails this server kept instead of
// sending them (development without SMTP_URL; lib/email/dev-outbox.ts). No
// session needed — whoever forgot their password is signed out — and the API
// answers only to this computer, never in production.
import { useCallback, useEffect, useState } from 'react';
import { ApiError, get, messageOf } from '../api/client';
import type { DevOutboxEmail } from '../api/types';
import { formatDate } from '../components/format';
import { ErrorNote, StatusNote } from '../components/form';
import { PageTitle } from '../components/layout';

type State = { kind: 'loading' } | { kind: 'off' } | { kind: 'error'; text: string } | { kind: 'ready'; items: DevOutboxEmail[] };

export function DevOutboxPage() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    setBusy(true);
    try {
      setState({ kind: 'ready', items: (await get<{ items: DevOutboxEmail[] }>('/api/dev/outbox')).items });
    } catch (err) {
      setState(err instanceof ApiError && err.status === 404 ? { kind: 'off' } : { kind: 'error', text: messageOf(err) });
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="page">
      <PageTitle title="Outbox (development)">
        {state.kind === 'ready' && (
          <button type="button" onClick={load} disabled={busy}>
            Check again
          </button>
        )}
      </PageTitle>
      {state.kind === 'off' ? (
        <p className="notice info">
          The development outbox is off here. It is on only on a development server without <code>SMTP_URL</code>, and only for this computer;
          otherwise account emails go out by email, or not at all.
        </p>
      ) : (
        <p className="lead">
          This server has no email server (<code>SMTP_URL</code> is not set), so its account emails — reset links, confirmations, notices — are kept
          here instead of being sent. Only this computer can open this page, and production servers never have it.
        </p>
      )}
      {state.kind === 'loading' && <StatusNote>Loading the outbox…</StatusNote>}
      <ErrorNote error={state.kind === 'error' ? state.text : null} />
      {state.kind === 'ready' && state.items.length === 0 && <p className="card">No emails yet. Ask for a password reset or a confirmation link, then check again.</p>}
      {state.kind === 'ready' && state.items.length > 0 && (
        <ol className="plain stack" aria-label="Emails, newest first">
          {state.items.map((mail) => (
            <li key={mail.id}>
              <article className="card stack outbox-email" aria-labelledby={`mail-${mail.id}`}>
                <h2 id={`mail-${mail.id}`}>{mail.subject}</h2>
                <dl className="facts">
                  <dt>To</dt>
                  <dd className="break">{mail.to}</dd>
                  <dt>Sent</dt>
                  <dd>{formatDate(mail.sentAt)}</dd>
                </dl>
                <div className="outbox-body">
                  <EmailText text={mail.text} />
                </div>
              </article>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** The plain-text body, its http(s) links made clickable; nothing in it is ever treated as HTML. */
function EmailText({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n{2,}/).map((paragraph, i) => (
        <p key={i}>
          {paragraph.split(/(https?:\/\/[^\s<>"']+)/).map((part, j) =>
            j % 2 === 1 ? (
              <a key={j} href={part} className="break">
                {part}
              </a>
            ) : (
              part
            ),
          )}
        </p>
      ))}
    </>
  );
}
