// The chat: "Reset my Netflix password". Each message is POSTed to
// /api/chat/reset; the answer is an SSE stream of markdown sections, read
// from the fetch body and folded into one reply (lib/chat-sections.ts), shown
// as components: header, the Agent accordion, the mailbox indicator, the
// CAPTCHA prompt, the new-password confirmation and the result (with Retry
// when a reset did not succeed). A reload keeps the conversation
// (lib/saved-conversation.ts) and follows the resets still running again.
import { useCallback, useEffect, useState, useSyncExternalStore, type FormEvent } from 'react';
import { Link } from 'wouter';
import { ApiError, errorFrom, get, messageOf, post } from '../api/client';
import type { SandboxInfo } from '../api/types';
import { useAuth } from '../components/auth';
import { ErrorNote, Field } from '../components/form';
import { PageTitle } from '../components/layout';
import { SafeMarkdown } from '../components/markdown';
import { OtpPrompt } from '../components/otp-prompt';
import { failureMessage, useSudo } from '../components/sudo';
import { applySection, canRetry, emptyReply, entryIdOf, jobIdOf, otpPending, outcomeOf, parseSection, type ChatReply, type ProgressLine } from '../lib/chat-sections';
import { loadConversation, saveConversation, type SavedTurn } from '../lib/saved-conversation';
import { readSse } from '../lib/sse';

type Turn = SavedTurn;

let nextTurnId = 1;

/**
 * The conversation outlives the page: going to the vault and back keeps it,
 * and a reset still streaming goes on meanwhile; a reload of the tab keeps it
 * too. It belongs to one person: a different sign-in starts it afresh (and
 * stops the old streams).
 */
const conversation = {
  owner: '' as string,
  turns: [] as Turn[],
  controllers: new Set<AbortController>(),
  /** Turns whose stream this page is reading now. */
  live: new Set<number>(),
  listeners: new Set<() => void>(),
  /** `keep: false`: a change not worth a write to storage (the turn is kept when it starts, learns its task, and ends). */
  set(change: (turns: Turn[]) => Turn[], keep = true) {
    this.turns = change(this.turns);
    if (keep) saveConversation(this.owner, this.turns);
    this.listeners.forEach((l) => l());
  },
  /** Switches to `owner`'s conversation: the one this tab kept for them, if any. */
  claim(owner: string) {
    if (this.owner === owner) return;
    this.controllers.forEach((c) => c.abort());
    this.controllers.clear();
    this.live.clear();
    this.owner = owner;
    this.turns = loadConversation(owner);
    nextTurnId = Math.max(nextTurnId, ...this.turns.map((t) => t.id + 1));
  },
};

const update = (id: number, change: (t: Turn) => Turn, keep = true) => conversation.set((all) => all.map((t) => (t.id === id ? change(t) : t)), keep);

/**
 * Reads a chat stream into turn `id`'s reply, section by section. `retell`:
 * the stream tells the story from its start, so its first section replaces
 * what the turn showed (kept on screen until then).
 */
async function streamInto(id: number, res: Response, signal: AbortSignal, retell: boolean): Promise<void> {
  if (!res.ok) throw await errorFrom(res);
  if (!res.body) throw new Error('The server sent no stream.');
  const taskId = res.headers.get('x-rekey-task-id') ?? undefined;
  if (taskId) update(id, (t) => ({ ...t, taskId }));
  let fresh = retell;
  await readSse(
    res.body,
    (event) => {
      const section = parseSection(event.data);
      if (!section) return;
      const from = fresh ? emptyReply() : undefined;
      fresh = false;
      // A reset's turn is told anew after a reload: no write to storage per section.
      update(id, (t) => ({ ...t, reply: applySection(from ?? t.reply, section) }), !taskId);
    },
    signal,
  );
  update(id, (t) => ({ ...t, state: 'done' }));
}

/** Follows one of the person's resets in the chat's sections (from its start). */
const followReset = (taskId: string, signal: AbortSignal) =>
  fetch(`/api/chat/reset/${encodeURIComponent(taskId)}`, { credentials: 'same-origin', headers: { accept: 'text/event-stream' }, signal });

/** Runs one stream for turn `id`, tracked so a change of person stops it. */
async function runStream(id: number, open: (signal: AbortSignal) => Promise<Response>, retell = false): Promise<void> {
  const controller = new AbortController();
  conversation.controllers.add(controller);
  conversation.live.add(id);
  try {
    await streamInto(id, await open(controller.signal), controller.signal, retell);
  } catch (err) {
    if (controller.signal.aborted) return;
    const text =
      err instanceof ApiError && err.status === 429
        ? `Too many resets started. Try again in ${Math.ceil((err.retryAfter ?? 300) / 60)} minutes.`
        : messageOf(err);
    update(id, (t) => ({ ...t, state: 'error', error: text }));
  } finally {
    conversation.controllers.delete(controller);
    conversation.live.delete(id);
  }
}

/**
 * After a reload, turns still marked streaming have nobody reading them: a
 * turn whose reset was running follows it again from the start of its story
 * (the reply is told anew); a turn cut off before Rekey answered says so.
 */
function followRestoredTurns() {
  for (const turn of conversation.turns) {
    if (turn.state !== 'streaming' || conversation.live.has(turn.id)) continue;
    if (!turn.taskId) {
      update(turn.id, (t) => ({ ...t, state: t.reply.result.length ? 'done' : 'error', error: t.reply.result.length ? undefined : 'The page was reloaded before Rekey answered. Send the message again.' }));
      continue;
    }
    const taskId = turn.taskId;
    void runStream(turn.id, (signal) => followReset(taskId, signal), true);
  }
}
const subscribe = (listener: () => void) => {
  conversation.listeners.add(listener);
  return () => conversation.listeners.delete(listener);
};
const snapshot = () => conversation.turns;

export function ChatPage() {
  const { user } = useAuth();
  conversation.claim(user?.id ?? '');
  const turns = useSyncExternalStore(subscribe, snapshot);
  const [message, setMessage] = useState('');
  useEffect(followRestoredTurns, [user?.id]);

  const send = useCallback(async (text: string, extra: { passwordId?: string } = {}) => {
    const id = nextTurnId++;
    conversation.set((all) => [...all, { id, message: text, reply: emptyReply(), state: 'streaming' }]);
    await runStream(id, (signal) =>
      fetch('/api/chat/reset', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ message: text, ...extra }),
        signal,
      }),
    );
  }, []);

  /** Retry: the ended reset runs again as a new one (POST /api/jobs/{id}/retry), followed in a turn of its own. */
  const retry = useCallback(async (endedTaskId: string, service: string | undefined) => {
    const id = nextTurnId++;
    conversation.set((all) => [...all, { id, message: service ? `Retry the ${service} reset` : 'Retry this reset', reply: emptyReply(), state: 'streaming' }]);
    await runStream(id, async (signal) => {
      const { taskId } = await post<{ taskId: string }>(`/api/jobs/${encodeURIComponent(endedTaskId)}/retry`);
      update(id, (t) => ({ ...t, taskId }));
      return followReset(taskId, signal);
    });
  }, []);

  function submit(e: FormEvent) {
    e.preventDefault();
    const text = message.trim();
    if (!text) return;
    setMessage('');
    void send(text);
  }

  return (
    <div className="page chat-page">
      <PageTitle title="Chat" />
      <p className="lead">
        Tell Rekey which password to reset, for example “Reset my Netflix password”. When a reset asks for a one-time code, type just the code
        here, or use the phone link.
      </p>
      <SandboxOffer onTry={(text) => void send(text)} />
      <div className="chat-log" role="log" aria-label="Conversation" aria-live="polite" aria-relevant="additions">
        <ol className="plain">
        {turns.map((turn) => (
          <li key={turn.id} className="turn">
            <p className="bubble mine">
              <span className="sr-only">You: </span>
              {turn.message}
            </p>
            <Reply turn={turn} onCode={(code) => send(code).then(() => undefined)} onRetry={retry} />
          </li>
        ))}
        </ol>
      </div>
      <form className="composer" onSubmit={submit}>
        <Field
          label="Message"
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          placeholder="Reset my Netflix password"
          autoComplete="off"
          maxLength={2000}
          className="grow"
        />
        <button type="submit" className="primary">
          Send
        </button>
      </form>
    </div>
  );
}

function Reply({ turn, onCode, onRetry }: { turn: Turn; onCode: (code: string) => Promise<void>; onRetry: (taskId: string, service: string | undefined) => Promise<void> }) {
  const { reply } = turn;
  const finished = turn.state !== 'streaming';
  const outcome = outcomeOf(reply);
  const latest = reply.progress.at(-1);
  const jobId = turn.taskId ?? jobIdOf(reply.result);
  return (
    <div className="bubble theirs">
      <span className="sr-only">Rekey: </span>
      {reply.header && (
        <h2 className="reply-header">
          <strong>
            <SafeMarkdown text={reply.header} inline />
          </strong>
        </h2>
      )}
      {reply.progress.length > 0 && <AgentAccordion lines={reply.progress} running={!finished && !outcome} />}
      {latest && !finished && (
        <p className="sr-only" role="status">
          {latest.text}
        </p>
      )}
      {reply.gmail.length > 0 && <MailboxIndicator lines={reply.gmail} />}
      {reply.otp && otpPending(reply, finished) && <OtpPrompt url={reply.otp.url} service={serviceOf(reply.header)} onCode={onCode} />}
      {reply.captcha.map((lines, i) => (
        <section key={i} className="captcha" aria-label="CAPTCHA">
          <SafeMarkdown text={lines.join('\n\n')} />
        </section>
      ))}
      {reply.password.length > 0 && <PasswordSaved lines={reply.password} />}
      {reply.result.length > 0 && (
        <div className={`result ${outcome ?? 'answer'}`} role={outcome === 'failure' ? 'alert' : undefined}>
          {outcome === 'success' && <span className="result-icon" aria-hidden="true">✓</span>}
          {(outcome === 'failure' || outcome === 'warning') && <span className="result-icon" aria-hidden="true">!</span>}
          <div>
            <SafeMarkdown text={reply.result.join('\n')} />
            {jobId && canRetry(outcome) && <NextSteps jobId={jobId} onRetry={() => onRetry(jobId, serviceOf(reply.header))} />}
          </div>
        </div>
      )}
      {turn.state === 'streaming' && !reply.header && reply.result.length === 0 && <p className="muted">Thinking…</p>}
      <ErrorNote error={turn.error} />
    </div>
  );
}

/** "Resetting Netflix password" → "Netflix", as plain text (the header is escaped markdown). */
function serviceOf(header: string | undefined): string | undefined {
  const m = /^Resetting (.+) password$/.exec(header ?? '');
  if (!m) return undefined;
  const entities: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&amp;': '&' };
  return m[1]!.replace(/\\(.)/g, '$1').replace(/&(lt|gt|quot|amp);/g, (e) => entities[e]!);
}

function AgentAccordion({ lines, running }: { lines: ProgressLine[]; running: boolean }) {
  const last = lines.at(-1);
  return (
    <details className="agent" open>
      <summary>
        <span className="agent-title">Agent</span>
        {running && <span className="spinner" aria-hidden="true" />}
        {last && <span className="agent-latest">{last.text}</span>}
      </summary>
      <ol className="agent-steps">
        {lines.map((line, i) => (
          <li key={i} className={`step-line ${line.mark}`}>
            <span className="mark" aria-hidden="true">
              {line.mark === 'done' ? '✓' : line.mark === 'failed' ? '✗' : line.mark === 'skipped' ? '–' : '•'}
            </span>
            <span className="sr-only">{line.mark === 'done' ? 'Done: ' : line.mark === 'failed' ? 'Failed: ' : line.mark === 'skipped' ? 'Skipped: ' : ''}</span>
            <span className="step-text">
              <SafeMarkdown text={line.text} inline />
            </span>
            {line.duration && <span className="duration">{line.duration}</span>}
          </li>
        ))}
      </ol>
    </details>
  );
}

function MailboxIndicator({ lines }: { lines: string[] }) {
  const received = lines.some((l) => l.trim().startsWith('✓'));
  return (
    <div className={`gmail ${received ? 'received' : 'watching'}`}>
      <span className="envelope" aria-hidden="true" />
      <div>
        <p className="gmail-title">{received ? 'Reset email received' : 'Watching your mailbox'}</p>
        <ul className="plain">
          {lines.map((l, i) => (
            <li key={i}>
              <SafeMarkdown text={l.replace(/^✓\s*/, '')} inline />
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

function PasswordSaved({ lines }: { lines: string[] }) {
  const entryId = entryIdOf(lines);
  const withSudo = useSudo();
  const [password, setPassword] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const reveal = async () => {
    if (!entryId) return null;
    const { password: value } = await withSudo(() => post<{ password: string }>(`/api/passwords/${encodeURIComponent(entryId)}/reveal`));
    return value;
  };

  return (
    <div className="password-saved">
      <p className="password-title">
        <span className="key-icon" aria-hidden="true" />
        <SafeMarkdown text={lines.join(' ')} inline />
      </p>
      {entryId && (
        <div className="actions">
          <button
            type="button"
            onClick={async () => {
              setError(null);
              try {
                setPassword(password ? null : await reveal());
              } catch (err) {
                setError(failureMessage(err));
              }
            }}
          >
            {password ? 'Hide' : 'Reveal'}
          </button>
          <button
            type="button"
            onClick={async () => {
              setError(null);
              try {
                const value = password ?? (await reveal());
                if (value === null) return;
                await navigator.clipboard.writeText(value);
                setNote('Copied to the clipboard.');
              } catch (err) {
                setError(failureMessage(err));
              }
            }}
          >
            Copy
          </button>
          <Link href="/vault">Open the vault</Link>
        </div>
      )}
      {password && (
        <p>
          <span className="sr-only">New password: </span>
          <code className="secret">{password}</code>
        </p>
      )}
      {note && (
        <p className="notice ok" role="status">
          {note}
        </p>
      )}
      <ErrorNote error={error} />
    </div>
  );
}

/** After a reset that did not succeed: run it again here, or open its task (screenshot, steps). */
function NextSteps({ jobId, onRetry }: { jobId: string; onRetry: () => Promise<void> }) {
  const [retried, setRetried] = useState(false);
  return (
    <div className="actions">
      {!retried && (
        <button
          type="button"
          className="primary"
          onClick={() => {
            // The new reset (or why it could not start) appears as the next turn.
            setRetried(true);
            void onRetry();
          }}
        >
          Retry
        </button>
      )}
      <Link href={`/tasks/${jobId}`}>Open this reset’s task</Link>
    </div>
  );
}

/** In dev with the sandbox: one click gives a demo mailbox and accounts on every sandbox site. */
function SandboxOffer({ onTry }: { onTry: (text: string) => void }) {
  const [info, setInfo] = useState<SandboxInfo | null>(null);
  const [ready, setReady] = useState<{ sites: { name: string }[]; mailbox: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<SandboxInfo>('/api/sandbox').then(setInfo, () => setInfo(null));
  }, []);
  if (!info?.available) return null;
  return (
    <section className="card sandbox" aria-labelledby="sandbox-title">
      <h2 id="sandbox-title">No real accounts needed</h2>
      {!ready ? (
        <>
          <p>This Rekey runs with the sandbox: local sites with real forgot-password flows and a local mailbox.</p>
          <button
            type="button"
            className="primary"
            disabled={busy}
            onClick={async () => {
              setBusy(true);
              setError(null);
              try {
                const r = await post<{ mailbox: { user: string }; accounts: { name: string }[] }>('/api/sandbox/provision');
                setReady({ sites: r.accounts, mailbox: r.mailbox.user });
              } catch (err) {
                setError(messageOf(err));
              } finally {
                setBusy(false);
              }
            }}
          >
            Try the sandbox
          </button>
        </>
      ) : (
        <>
          <p role="status">
            Ready: a mailbox ({ready.mailbox}) and an account on {ready.sites.length} sandbox sites are in your settings and vault. Try one:
          </p>
          <ul className="chips">
            {ready.sites.slice(0, 6).map((s) => (
              <li key={s.name}>
                <button type="button" onClick={() => onTry(`Reset my ${s.name} password`)}>
                  Reset my {s.name} password
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <ErrorNote error={error} />
    </section>
  );
}
