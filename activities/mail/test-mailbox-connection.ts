import type { HostPolicy } from '../../lib/net/target-guard.js';
import { MailboxUnreachableError } from './errors.js';
import {
  closeImapClient,
  folderOf,
  openImapClient,
  toMailboxError,
  type MailboxConnection,
} from './imap-connection.js';

export interface MailboxTestResult {
  ok: true;
  messages: number;
  uidNext: number;
}

/**
 * Logs in and reads the folder's status, for `POST /api/mailbox/test`. Throws
 * `MailboxAuthError` or `MailboxUnreachableError` (missing folder included).
 */
export async function testMailboxConnection(
  connection: MailboxConnection,
  options: { hostPolicy: HostPolicy; timeoutMs?: number },
): Promise<MailboxTestResult> {
  const client = await openImapClient(connection, {
    hostPolicy: options.hostPolicy,
    disableAutoIdle: true,
    connectTimeoutMs: options.timeoutMs ?? 10_000,
  });
  try {
    const status = await client.status(folderOf(connection), { messages: true, uidNext: true });
    if (!status) throw new MailboxUnreachableError('The mailbox folder does not exist', { retryable: false });
    return { ok: true, messages: status.messages ?? 0, uidNext: status.uidNext ?? 0 };
  } catch (err) {
    throw toMailboxError(err);
  } finally {
    await closeImapClient(client);
  }
}
