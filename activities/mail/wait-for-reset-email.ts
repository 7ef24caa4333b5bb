import type { ImapFlow } from 'imapflow';
import type { HostPolicy } from '../../lib/net/target-guard.js';
import { EmailTimeoutError, MailboxError, MailboxUnreachableError } from './errors.js';
import { closeImapClient, folderOf, openImapClient, toMailboxError, type MailboxConnection } from './imap-connection.js';
import type { RejectedEmail, ResetKind, ServiceIdentity } from './judge-reset-email.js';
import { providerAuthservIds, type DNSResolver } from './read-sender-evidence.js';
import { ScanState, scanNewMessages, type AuthenticatedMatch, type ScanSettings, type WaitProgress } from './scan-new-messages.js';
import type { MailboxSnapshot } from './snapshot-mailbox.js';
import { WakeSignal } from './wake-signal.js';

export type { WaitProgress } from './scan-new-messages.js';

export interface WaitForResetEmailOptions {
  connection: MailboxConnection;
  /** The target guard's policy, applied at every (re)connect. */
  hostPolicy: HostPolicy;
  snapshot: MailboxSnapshot;
  service: ServiceIdentity;
  kind: ResetKind;
  timeoutMs: number;
  /** The last heartbeat of a previous attempt. */
  resumeFrom?: WaitProgress;
  /** Called after every scan and reconnect attempt: use it as the heartbeat. Must not throw. */
  onProgress?: (progress: WaitProgress) => void;
  signal?: AbortSignal;
  timing?: Partial<WaitTiming>;
  authentication?: {
    /** DNS for DKIM keys; absent: the system resolver. */
    resolver?: DNSResolver;
    /** The provider's authserv-ids; absent: derived from the IMAP host ({@link providerAuthservIds}). */
    authservIds?: string[];
  };
}

export interface WaitTiming {
  /** Poll interval when the server has no IDLE. */
  pollIntervalMs: number;
  /** Safety poll while idling, for servers whose IDLE stays silent. */
  idlePollIntervalMs: number;
  reconnectMinMs: number;
  reconnectMaxMs: number;
  /** Give up with MailboxUnreachableError after this long without a working session. */
  maxOutageMs: number;
  /** One scan (search + fetch) taking longer than this means the session is dead. */
  scanTimeoutMs: number;
  dateSkewMs: number;
  maxMessageBytes: number;
  /**
   * Reset emails nearly always arrive within seconds of the request, and some
   * servers hold IDLE notifications back (Dovecot: a fixed 500 ms). For this
   * long after the wait starts, a cheap UID SEARCH also runs every
   * `eagerPollIntervalMs`; after it, IDLE and the safety poll alone.
   */
  eagerWindowMs: number;
  eagerPollIntervalMs: number;
}

const DEFAULT_TIMING: WaitTiming = {
  pollIntervalMs: 2_000,
  idlePollIntervalMs: 5_000,
  reconnectMinMs: 250,
  reconnectMaxMs: 5_000,
  maxOutageMs: 60_000,
  scanTimeoutMs: 30_000,
  dateSkewMs: 2 * 60_000,
  maxMessageBytes: 5 * 1024 * 1024,
  eagerWindowMs: 20_000,
  eagerPollIntervalMs: 200,
};

export type WaitForResetEmailResult = AuthenticatedMatch & { rejected: RejectedEmail[] };

/**
 * Waits for the service's reset email to arrive after `snapshot`, through IDLE with a
 * polling safety net, reconnecting with backoff when the session drops. Throws
 * `EmailTimeoutError`, `MailboxAuthError` or `MailboxUnreachableError`.
 */
export async function waitForResetEmail(options: WaitForResetEmailOptions): Promise<WaitForResetEmailResult> {
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const deadline = Date.now() + options.timeoutMs;
  const eagerUntil = Date.now() + timing.eagerWindowMs;
  const state = new ScanState(options.snapshot, options.resumeFrom);
  const settings: ScanSettings = {
    snapshot: options.snapshot,
    service: options.service,
    kind: options.kind,
    dateSkewMs: timing.dateSkewMs,
    maxMessageBytes: timing.maxMessageBytes,
    authentication: {
      ...(options.authentication?.resolver ? { resolver: options.authentication.resolver } : {}),
      authservIds: options.authentication?.authservIds ?? providerAuthservIds(options.connection.host),
    },
  };
  const report = () => {
    try {
      options.onProgress?.(state.progress());
    } catch {
      // A failed heartbeat must not end the wait; Temporal reports cancellation via the signal.
    }
  };
  // `as`: keeps TypeScript from narrowing to `null` across the try/catch.
  let outage = null as { since: number; error: MailboxError } | null;
  let backoffMs = timing.reconnectMinMs;

  while (Date.now() < deadline) {
    options.signal?.throwIfAborted();
    let client: ImapFlow | undefined;
    try {
      client = await openImapClient(options.connection, {
        hostPolicy: options.hostPolicy,
        connectTimeoutMs: Math.max(1_000, Math.min(15_000, deadline - Date.now())),
      });
      // EXAMINE: watching must not touch \Seen or \Recent in the person's mailbox.
      await client.mailboxOpen(folderOf(options.connection), { readOnly: true });
      // Healthy once a scan went through: a server that drops every session right after
      // login keeps its backoff growing.
      const scanned = () => {
        outage = null;
        backoffMs = timing.reconnectMinMs;
        report();
      };
      const match = await watchSession(client, state, settings, timing, deadline, eagerUntil, scanned, options.signal);
      if (match) return { ...match, rejected: [...state.rejected] };
    } catch (err) {
      options.signal?.throwIfAborted();
      const error = toMailboxError(err);
      if (!(error instanceof MailboxError) || !error.retryable) throw error;
      outage = { since: outage?.since ?? Date.now(), error };
      if (Date.now() - outage.since >= timing.maxOutageMs) throw error;
      report();
      await sleepUnlessAborted(Math.min(backoffMs, deadline - Date.now()), options.signal);
      backoffMs = Math.min(backoffMs * 2, timing.reconnectMaxMs);
    } finally {
      if (client) await closeImapClient(client);
    }
  }
  options.signal?.throwIfAborted();
  // Down at the deadline: the email may be there, we just could not look.
  if (outage) throw outage.error;
  throw new EmailTimeoutError(options.timeoutMs, [...state.rejected]);
}

/** Scans, then sleeps until the server announces new mail, the poll timer fires, or the session drops. */
async function watchSession(
  client: ImapFlow,
  state: ScanState,
  settings: ScanSettings,
  timing: WaitTiming,
  deadline: number,
  eagerUntil: number,
  scanned: () => void,
  signal: AbortSignal | undefined,
): Promise<AuthenticatedMatch | null> {
  const wake = new WakeSignal();
  const onChange = () => wake.notify();
  client.on('exists', onChange);
  client.on('close', onChange);
  try {
    while (Date.now() < deadline) {
      if (!client.usable) throw new MailboxUnreachableError('The mail server closed the connection');
      // Cleared before the scan: mail announced while scanning triggers another scan.
      wake.clear();
      const match = await withTimeout(scanNewMessages(client, state, settings), timing.scanTimeoutMs, () => client.close());
      scanned();
      if (match) return match;
      const steady = client.capabilities.has('IDLE') ? timing.idlePollIntervalMs : timing.pollIntervalMs;
      const interval = Date.now() < eagerUntil ? Math.min(steady, timing.eagerPollIntervalMs) : steady;
      await wake.wait(Math.min(interval, deadline - Date.now()), signal);
      signal?.throwIfAborted();
    }
    return null;
  } finally {
    client.off('exists', onChange);
    client.off('close', onChange);
  }
}

function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new WakeSignal().wait(ms, signal);
}

async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new MailboxUnreachableError('The mail server stopped answering'));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
