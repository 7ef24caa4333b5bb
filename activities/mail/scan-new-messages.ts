import type { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { hostBelongsTo, normalizeHost } from '../../lib/domains.js';
import { MailboxUnreachableError } from './errors.js';
import {
  judgeResetEmail,
  type RejectedEmail,
  type ResetEmailMatch,
  type ResetKind,
  type ServiceIdentity,
} from './judge-reset-email.js';
import { judgeSenderAuthentication, type SenderAuthentication } from './judge-sender-authentication.js';
import { readSenderEvidence, type SenderAuthenticationSettings } from './read-sender-evidence.js';
import type { MailboxSnapshot } from './snapshot-mailbox.js';

/** The reset email, and how its sender was authenticated. */
export type AuthenticatedMatch = ResetEmailMatch & { authentication: SenderAuthentication };

/** What a retried activity needs to carry on: also the heartbeat details. No secrets. */
export interface WaitProgress {
  /** Every message up to this UID has been examined and none of them was the one. */
  lastUid: number;
  /** The UIDVALIDITY `lastUid` belongs to; absent means the snapshot's. */
  uidValidity?: string;
  rejected?: RejectedEmail[];
}

export interface ScanSettings {
  snapshot: MailboxSnapshot;
  service: ServiceIdentity;
  kind: ResetKind;
  /** Clock skew allowed for the INTERNALDATE fallback. */
  dateSkewMs: number;
  maxMessageBytes: number;
  authentication: SenderAuthenticationSettings;
}

// Enough for any burst of mail arriving during a reset; the newest ones are the ones that matter.
const MAX_BATCH = 50;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The scan position, kept across reconnects and handed over on retries. */
export class ScanState {
  lastUid: number;
  uidValidity: string;
  readonly rejected: RejectedEmail[];

  constructor(private readonly snapshot: MailboxSnapshot, resumeFrom?: WaitProgress) {
    const resumeValidity = resumeFrom?.uidValidity ?? snapshot.uidValidity;
    this.uidValidity = resumeValidity;
    this.lastUid = Math.max(resumeFrom?.lastUid ?? 0, resumeValidity === snapshot.uidValidity ? snapshot.uidNext - 1 : 0);
    this.rejected = [...(resumeFrom?.rejected ?? [])];
  }

  /** UIDs are only comparable within one UIDVALIDITY: a new one restarts the scan. */
  followValidity(current: string): void {
    if (current === this.uidValidity) return;
    this.uidValidity = current;
    this.lastUid = current === this.snapshot.uidValidity ? this.snapshot.uidNext - 1 : 0;
  }

  /** UIDs are trusted while UIDVALIDITY is the snapshot's; otherwise arrival dates are. */
  get usesDateFallback(): boolean {
    return this.uidValidity !== this.snapshot.uidValidity;
  }

  reject(entry: RejectedEmail): void {
    if (!this.rejected.some((seen) => seen.uid === entry.uid)) this.rejected.push(entry);
  }

  progress(): WaitProgress {
    return { lastUid: this.lastUid, uidValidity: this.uidValidity, rejected: [...this.rejected] };
  }
}

/**
 * Examines the messages that arrived since the last scan, newest first, and returns
 * the first valid reset email. `state.lastUid` only moves past messages that are not it,
 * so a crash between finding and returning loses nothing.
 */
export async function scanNewMessages(
  client: ImapFlow,
  state: ScanState,
  settings: ScanSettings,
): Promise<AuthenticatedMatch | null> {
  if (!client.mailbox) throw new MailboxUnreachableError('The mailbox folder is no longer selected');
  state.followValidity(client.mailbox.uidValidity.toString());
  const notBefore = Date.parse(settings.snapshot.takenAt) - settings.dateSkewMs;
  const found = await client.search(
    {
      uid: `${state.lastUid + 1}:*`,
      // SINCE has day granularity: a coarse server-side cut, refined below.
      ...(state.usesDateFallback ? { since: new Date(notBefore - DAY_MS) } : {}),
    },
    { uid: true },
  );
  // "N:*" also matches the highest UID when it is below N.
  const uids = (found || []).filter((uid) => uid > state.lastUid).sort((a, b) => b - a);
  if (!uids.length) return null;

  const batch = uids.slice(0, MAX_BATCH);
  const metas = await client.fetchAll(batch, { uid: true, internalDate: true, size: true, envelope: true }, { uid: true });
  metas.sort((a, b) => b.uid - a.uid);
  for (const meta of metas) {
    if (state.usesDateFallback && arrivedAt(meta.internalDate) < notBefore) continue;
    const senderDomain = meta.envelope?.from?.[0]?.address?.split('@').pop() ?? '';
    if ((meta.size ?? 0) > settings.maxMessageBytes) {
      if (hostBelongsTo(senderDomain, settings.service.domains)) state.reject({ uid: meta.uid, reason: 'too_large' });
      continue;
    }
    const verdict = await judgeMessage(client, meta.uid, settings);
    if (verdict && 'match' in verdict) return verdict.match;
    if (verdict && 'rejected' in verdict) state.reject(verdict.rejected);
  }
  state.lastUid = uids[0] ?? state.lastUid;
  return null;
}

/** What the message shows decides whether it is the one; who really sent it, whether it may be followed. */
async function judgeMessage(client: ImapFlow, uid: number, settings: ScanSettings) {
  const message = await client.fetchOne(String(uid), { source: true }, { uid: true });
  if (!message || !message.source) return null; // expunged meanwhile
  const email = await simpleParser(message.source, { skipImageLinks: true }).catch(() => null);
  if (!email) return null;
  const verdict = judgeResetEmail({ uid, email, service: settings.service, kind: settings.kind });
  if (!('match' in verdict)) return verdict;
  const evidence = await readSenderEvidence(message.source, settings.authentication);
  const sender = judgeSenderAuthentication(evidence, settings.service.domains);
  if ('refused' in sender) {
    const host = verdict.match.kind === 'link' ? normalizeHost(verdict.match.link) : undefined;
    return { rejected: { uid, reason: sender.refused, ...(host ? { host } : {}) } satisfies RejectedEmail };
  }
  return { match: { ...verdict.match, authentication: sender.authentication } satisfies AuthenticatedMatch };
}

function arrivedAt(internalDate: Date | string | undefined): number {
  if (internalDate === undefined) return Number.NEGATIVE_INFINITY; // unknown counts as old
  return new Date(internalDate).getTime();
}
