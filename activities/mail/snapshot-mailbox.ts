import type { HostPolicy } from '../../lib/net/target-guard.js';
import { MailboxUnreachableError } from './errors.js';
import {
  closeImapClient,
  folderOf,
  openImapClient,
  toMailboxError,
  type MailboxConnection,
} from './imap-connection.js';

/** Where the mailbox stood before the forgot-password form was sent. */
export interface MailboxSnapshot {
  /** A string because UIDVALIDITY is a 32-bit unsigned value read as bigint. */
  uidValidity: string;
  /** Only messages with a UID at or above this one can be the reset email. */
  uidNext: number;
  /** ISO time, for the INTERNALDATE fallback when UIDVALIDITY changes. */
  takenAt: string;
}

/** Takes the snapshot. Call it BEFORE submitting the forgot-password form. */
export async function snapshotMailbox(connection: MailboxConnection, hostPolicy: HostPolicy): Promise<MailboxSnapshot> {
  // Read the clock first: a message racing the STATUS must not fall before `takenAt`.
  const takenAt = new Date().toISOString();
  const client = await openImapClient(connection, { hostPolicy, disableAutoIdle: true });
  try {
    const status = await client.status(folderOf(connection), { uidNext: true, uidValidity: true });
    if (!status || status.uidNext === undefined || status.uidValidity === undefined) {
      throw new MailboxUnreachableError('The server did not report UIDNEXT/UIDVALIDITY', { retryable: false });
    }
    return { uidValidity: status.uidValidity.toString(), uidNext: status.uidNext, takenAt };
  } catch (err) {
    throw toMailboxError(err);
  } finally {
    await closeImapClient(client);
  }
}
