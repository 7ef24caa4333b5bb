import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import ipaddr from 'ipaddr.js';
import { assertAllowedHost, TargetNotAllowedError, type CheckedHost, type HostPolicy } from '../../lib/net/target-guard.js';
import { MailboxAuthError, MailboxError, MailboxNotAllowedError, MailboxUnreachableError } from './errors.js';

/** What `/api/mailbox` stores. `folder` defaults to INBOX. */
export interface MailboxConnection {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  password: string;
  folder?: string;
}

export interface OpenImapClientOptions {
  /** The target guard's policy (REKEY_ALLOW_PRIVATE_TARGETS): checked at every connect. */
  hostPolicy: HostPolicy;
  /** Idle this long after each command before entering IMAP IDLE (ms). */
  autoIdleDelayMs?: number;
  /** Leave IDLE to the caller, or to nobody (one-shot connections). */
  disableAutoIdle?: boolean;
  connectTimeoutMs?: number;
}

export const DEFAULT_FOLDER = 'INBOX';

export function folderOf(connection: MailboxConnection): string {
  return connection.folder?.trim() || DEFAULT_FOLDER;
}

/**
 * Connects and logs in. The host passes the target guard at every connect
 * (saved settings were checked when saved, but DNS answers change), and the
 * connection goes to the addresses just checked, never to the name again: a
 * name that rebinds to a private address between check and connect cannot
 * reach it. TLS still verifies the certificate for the name (servername).
 * Addresses are tried in turn while they refuse the connection.
 *
 * imapflow's own logging is off: its debug output can carry message content,
 * and nothing here may log a password, a link or a body. Rejects with a
 * {@link MailboxError}; an `error` listener is always attached so a dropped
 * connection never becomes an uncaught exception.
 */
export async function openImapClient(connection: MailboxConnection, options: OpenImapClientOptions): Promise<ImapFlow> {
  const checked = await checkMailboxHost(connection.host, connection.port, options.hostPolicy);
  const timeout = options.connectTimeoutMs ?? 15_000;
  let failure: unknown;
  for (const address of checked.addresses) {
    const client = new ImapFlow({
      host: address,
      // An IP literal has no name to verify (imapflow then checks the certificate for the address).
      ...(ipaddr.isValid(checked.host) ? {} : { servername: checked.host }),
      port: connection.port,
      secure: connection.secure,
      auth: { user: connection.user, pass: connection.password },
      logger: false,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      // Longer than any gap between our own polls, shorter than a dead peer can hide.
      socketTimeout: 120_000,
      disableAutoIdle: options.disableAutoIdle ?? false,
      autoIdleDelay: options.autoIdleDelayMs ?? 50,
      clientInfo: { name: 'rekey' },
    } satisfies ImapFlowOptions);
    client.on('error', () => {
      // Surfaced through the failing command or the 'close' event instead.
    });
    try {
      await client.connect();
      return client;
    } catch (err) {
      client.close();
      failure = err;
      // The server answered (a refused login, a bad greeting): another address is the same server.
      const answered = err as { authenticationFailed?: boolean; responseStatus?: string };
      if (answered.authenticationFailed || answered.responseStatus) break;
    }
  }
  throw toMailboxError(failure);
}

/** The target guard for a mailbox host, in the mailbox's own error types. */
async function checkMailboxHost(host: string, port: number, policy: HostPolicy): Promise<CheckedHost> {
  try {
    return await assertAllowedHost(host, policy, port);
  } catch (err) {
    if (!(err instanceof TargetNotAllowedError)) throw err;
    // A name that does not resolve may resolve later, like any unreachable server.
    if (err.retryable) throw new MailboxUnreachableError(`Cannot reach the mail server (${err.message})`, { cause: err });
    throw new MailboxNotAllowedError(err.message, { cause: err });
  }
}

/** Logs out politely, but never waits on a server that stopped answering. */
export async function closeImapClient(client: ImapFlow, waitMs = 2_000): Promise<void> {
  if (!client.usable) {
    client.close();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, waitMs);
  });
  await Promise.race([client.logout().catch(() => undefined), deadline]);
  clearTimeout(timer);
  client.close();
}

/**
 * Maps an imapflow, socket or DNS error to one of our typed errors, without secrets.
 * Anything else (a bug, a TypeError) comes back as it is: retrying cannot fix it.
 */
export function toMailboxError(err: unknown): unknown {
  if (err instanceof MailboxError || !(err instanceof Error)) return err;
  const e = err as Error & {
    authenticationFailed?: boolean;
    mailboxMissing?: boolean;
    code?: string;
    responseStatus?: string;
    serverResponseCode?: string;
    responseText?: string;
  };
  if (!e.authenticationFailed && !e.mailboxMissing && !e.code && !e.responseStatus) return err;
  const cause = new Error(describeImapError(e));
  if (e.authenticationFailed) return new MailboxAuthError({ cause });
  if (e.mailboxMissing || e.code === 'NotFound' || e.serverResponseCode === 'NONEXISTENT') {
    return new MailboxUnreachableError('The mailbox folder does not exist', { cause, retryable: false });
  }
  return new MailboxUnreachableError(`Cannot reach the mail server (${cause.message})`, { cause });
}

function describeImapError(e: { code?: string; responseStatus?: string; serverResponseCode?: string; responseText?: string }): string {
  return [e.code, e.responseStatus, e.serverResponseCode, e.responseText].filter(Boolean).join(' ') || 'connection failed';
}
