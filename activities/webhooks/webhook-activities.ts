// Webhook delivery activities. One `deliverWebhook` attempt is one signed POST
// (10 s timeout), recorded as one WebhookDelivery row: attempt 1 fills the row
// the event sink stored, later attempts add their own. Temporal's retry policy
// (set by the workflow) decides when the next attempt happens.
import { performance } from 'node:perf_hooks';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Keyring } from '../../lib/crypto.js';
import type { Db } from '../../lib/db/index.js';
import { assertAllowedHost, assertAllowedTarget, createGuardedLookup, targetPort, TargetNotAllowedError, type HostResolver, type PrivateTargets } from '../../lib/net/target-guard.js';
import { firstRowOrder } from '../../lib/webhooks/enqueue-delivery.js';
import { signWebhook } from '../../lib/webhooks/sign-webhook.js';
import { openDeliveryPayload, openWebhookSecret } from '../../lib/webhooks/webhook-crypto.js';
import { webhookFailures } from '../../workflows/deliver-webhook.messages.js';
import { describePostError, postWebhook } from './post-webhook.js';

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const WEBHOOK_USER_AGENT = 'Rekey-Webhooks/1';

export interface WebhookActivityDeps {
  db: Db;
  keyring: Keyring;
  /** REKEY_ALLOW_PRIVATE_TARGETS: checked again at every attempt, DNS may have changed. */
  allowPrivateTargets: PrivateTargets;
  /** Per-POST timeout; tests shorten it. */
  requestTimeoutMs?: number;
  /** Host resolution for the target guard; tests inject one. */
  resolver?: HostResolver;
}

interface Attempt {
  status: 'succeeded' | 'failed';
  responseStatus: number | null;
  error: string | null;
  durationMs: number | null;
}

export function createWebhookActivities(deps: WebhookActivityDeps) {
  const { db, keyring } = deps;
  const policy = { allowPrivate: deps.allowPrivateTargets, resolver: deps.resolver };
  const timeoutMs = deps.requestTimeoutMs ?? WEBHOOK_TIMEOUT_MS;

  /** Fills this attempt's pending row (attempt 1's was stored with the event) or adds one. */
  async function record(
    ids: { webhookId: string; messageId: string; eventType: string; payload: string },
    attempt: number,
    result: Attempt,
  ): Promise<void> {
    const pending = await db.webhookDelivery.findFirst({
      where: { webhookId: ids.webhookId, messageId: ids.messageId, attempt, status: 'pending' },
      select: { id: true },
    });
    if (pending) {
      await db.webhookDelivery.update({ where: { id: pending.id }, data: result });
    } else {
      await db.webhookDelivery.create({ data: { ...ids, attempt, ...result } });
    }
  }

  return {
    /** One signed POST. Returns on 2xx; throws a retryable failure otherwise, except 410 and refused targets. */
    async deliverWebhook(input: { webhookId: string; messageId: string; payloadRef: string }): Promise<{ attempt: number; responseStatus: number }> {
      const ctx = Context.current();
      const attempt = ctx.info.attempt;
      // The delivery's first row holds the body. Read by message, not by `payloadRef`
      // alone: when an event was emitted twice at once, the row the winning call
      // passed may be the one the other call cleaned up (see enqueue-delivery.ts).
      const stored =
        (await db.webhookDelivery.findUnique({ where: { id: input.payloadRef } })) ??
        (await db.webhookDelivery.findFirst({ where: { webhookId: input.webhookId, messageId: input.messageId }, orderBy: firstRowOrder }));
      if (!stored || stored.webhookId !== input.webhookId || stored.messageId !== input.messageId) {
        throw ApplicationFailure.nonRetryable('The webhook or this delivery was deleted.', webhookFailures.unavailable);
      }
      const ids = { webhookId: stored.webhookId, messageId: stored.messageId, eventType: stored.eventType, payload: stored.payload };
      const webhook = await db.webhook.findUnique({ where: { id: input.webhookId } });
      if (!webhook) throw ApplicationFailure.nonRetryable('The webhook was deleted.', webhookFailures.unavailable);
      if (!webhook.enabled) {
        await record(ids, attempt, { status: 'failed', responseStatus: null, error: 'The webhook is disabled.', durationMs: null });
        throw ApplicationFailure.nonRetryable('The webhook is disabled.', webhookFailures.unavailable);
      }

      const body = openDeliveryPayload(keyring, ids, stored.payload);
      const secret = openWebhookSecret(keyring, webhook.id, webhook.secretEnc);
      const headers = {
        'content-type': 'application/json',
        'user-agent': WEBHOOK_USER_AGENT,
        ...signWebhook({ secret, messageId: stored.messageId, body }),
      };

      const started = performance.now();
      let result: Attempt;
      let failure: ApplicationFailure | undefined;
      try {
        const { url } = await assertAllowedTarget(webhook.url, policy); // protocol, credentials, every address the name has now
        // Connect only to addresses checked again at connect time, for this URL's port.
        const lookup = createGuardedLookup((host) => assertAllowedHost(host, policy, targetPort(url)));
        const { status } = await postWebhook({ url: webhook.url, headers, body, timeoutMs, lookup, signal: ctx.cancellationSignal });
        const durationMs = Math.round(performance.now() - started);
        if (status >= 200 && status < 300) {
          result = { status: 'succeeded', responseStatus: status, error: null, durationMs };
        } else if (status === 410) {
          result = { status: 'failed', responseStatus: status, error: 'The receiver answered 410 Gone: the webhook is disabled.', durationMs };
          failure = ApplicationFailure.nonRetryable('The receiver answered 410 Gone.', webhookFailures.gone);
        } else {
          const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
          result = { status: 'failed', responseStatus: status, error: `The receiver answered ${status}${redirect}.`, durationMs };
          failure = ApplicationFailure.retryable(`The receiver answered ${status}.`, webhookFailures.attemptFailed);
        }
      } catch (err) {
        const durationMs = Math.round(performance.now() - started);
        if (err instanceof TargetNotAllowedError) {
          result = { status: 'failed', responseStatus: null, error: err.message, durationMs };
          // A name that does not resolve may resolve later; a private address stays refused.
          failure = err.retryable
            ? ApplicationFailure.retryable(err.message, webhookFailures.attemptFailed)
            : ApplicationFailure.nonRetryable(err.message, webhookFailures.targetNotAllowed);
        } else {
          const message = describePostError(err);
          result = { status: 'failed', responseStatus: null, error: message, durationMs };
          failure = ApplicationFailure.retryable(message, webhookFailures.attemptFailed);
        }
      }

      await record(ids, attempt, result);
      if (failure) throw failure;
      return { attempt, responseStatus: result.responseStatus! };
    },

    /** After a 410 Gone: the endpoint receives nothing more until its owner enables it again. */
    async disableWebhook({ webhookId }: { webhookId: string }): Promise<void> {
      await db.webhook.updateMany({ where: { id: webhookId }, data: { enabled: false } });
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
