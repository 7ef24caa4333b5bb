// Mailbox activities. They need no browser, so they run on the shared queue.
// The wait heartbeats the last UID examined; a retry (crash, Temporal
// restart) resumes from it and misses nothing. The link or code found is
// stored encrypted and only its id goes back to the workflow.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Db } from '../../lib/db/index.js';
import type { Logger } from '../../lib/logger.js';
import type { MailboxStore } from '../../lib/mailbox/mailbox-store.js';
import type { PrivateTargets } from '../../lib/net/target-guard.js';
import type { ServiceDirectory } from '../../lib/service-directory.js';
import type { TaskSecrets } from '../../lib/tasks/task-secrets.js';
import { describeResetFailure } from '../../lib/errors.js';
import { MailboxError } from './errors.js';
import type { ResetKind } from './judge-reset-email.js';
import type { SenderAuthentication } from './judge-sender-authentication.js';
import type { DNSResolver } from './read-sender-evidence.js';
import { snapshotMailbox, type MailboxSnapshot } from './snapshot-mailbox.js';
import { waitForResetEmail, type WaitProgress } from './wait-for-reset-email.js';

export interface MailActivityDeps {
  db: Db;
  mailboxes: MailboxStore;
  secrets: TaskSecrets;
  services: ServiceDirectory;
  logger: Logger;
  /** REKEY_ALLOW_PRIVATE_TARGETS: the mailbox host passes the target guard at every connect. */
  allowPrivateTargets: PrivateTargets;
  /** DNS for DKIM keys; absent: the system resolver. */
  dkimResolver?: DNSResolver;
}

export interface FoundResetEmail {
  kind: 'link' | 'code';
  /** TaskSecret id of the link or code. */
  secretId: string;
  /**
   * How the sender was authenticated; `unauthenticated` is said in the step detail.
   * Absent only in results recorded before Rekey checked senders.
   */
  authentication?: SenderAuthentication;
  /** How many look-alike, misaligned or unauthenticated-as-the-service messages were refused (never opened). */
  rejectedCount: number;
}

/** A mailbox error's message can quote the server or the driver: the failure says ours. */
function toFailure(err: unknown): unknown {
  if (err instanceof MailboxError) {
    return ApplicationFailure.create({ type: err.type, message: describeResetFailure(err.type), nonRetryable: !err.retryable });
  }
  return err;
}

export function createMailActivities(deps: MailActivityDeps) {
  const { db, mailboxes, secrets, services } = deps;
  const hostPolicy = { allowPrivate: deps.allowPrivateTargets };

  async function taskAndMailbox(taskId: string) {
    const task = await db.task.findUnique({ where: { id: taskId } });
    if (!task) throw ApplicationFailure.nonRetryable(`task ${taskId} does not exist`, 'TaskMissing');
    const connection = await mailboxes.connection(task.userId);
    if (!connection) throw ApplicationFailure.create({ type: 'MailboxAuth', message: 'No mailbox is set up for this account.', nonRetryable: true });
    return { task, connection };
  }

  return {
    /** Taken before the forgot form is submitted: only later messages can be the reset email. */
    async snapshotMailbox({ taskId }: { taskId: string }): Promise<MailboxSnapshot> {
      const { connection } = await taskAndMailbox(taskId);
      try {
        return await snapshotMailbox(connection, hostPolicy);
      } catch (err) {
        throw toFailure(err);
      }
    },

    async waitForResetEmail(args: { taskId: string; snapshot: MailboxSnapshot; expect: ResetKind; timeoutMs: number }): Promise<FoundResetEmail> {
      const ctx = Context.current();
      const { task, connection } = await taskAndMailbox(args.taskId);
      const service = services.forTask(task);
      const resumeFrom = ctx.info.heartbeatDetails as WaitProgress | undefined;
      // The activity's own deadline (its start-to-close) bounds the wait across retries.
      const elapsed = Date.now() - new Date(args.snapshot.takenAt).getTime();
      const timeoutMs = Math.max(5_000, args.timeoutMs - Math.max(0, elapsed));
      try {
        const found = await waitForResetEmail({
          connection,
          hostPolicy,
          snapshot: args.snapshot,
          service: { name: service.name, domains: service.domains },
          kind: args.expect,
          timeoutMs,
          resumeFrom,
          onProgress: (p) => ctx.heartbeat(p),
          signal: ctx.cancellationSignal,
          ...(deps.dkimResolver ? { authentication: { resolver: deps.dkimResolver } } : {}),
        });
        const secretId =
          found.kind === 'link'
            ? await secrets.put(task.id, 'reset_link', found.link)
            : await secrets.put(task.id, 'email_code', found.code);
        if (found.rejected.length) {
          deps.logger.warn({ taskId: task.id, rejected: found.rejected.map((r) => ({ reason: r.reason, host: r.host })) }, 'refused look-alike reset emails');
        }
        return {
          kind: found.kind,
          secretId,
          authentication: found.authentication,
          rejectedCount: found.rejected.length,
        };
      } catch (err) {
        throw toFailure(err);
      }
    },
  };
}

export type MailActivities = ReturnType<typeof createMailActivities>;
