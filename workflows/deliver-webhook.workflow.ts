// deliverWebhookWorkflow: one event to one endpoint. Orchestration only.
//
//   deliverWebhook (one POST per attempt, retried with backoff)
//     2xx            → delivered
//     410 Gone       → disableWebhook → disabled
//     other failures → retried until the attempts or the schedule run out → failed
//
// The Temporal retry policy is the backoff; each activity attempt records
// itself (attempt number, status, error, duration) in WebhookDelivery.
import { ActivityFailure, ApplicationFailure, TimeoutFailure, log, proxyActivities } from '@temporalio/workflow';
import type { Duration } from '@temporalio/common';
import type { WebhookActivities } from '../activities/webhooks/webhook-activities.js';
import {
  defaultDeliveryRetry,
  nonRetryableWebhookFailures,
  webhookFailures,
  type DeliverWebhookInput,
  type DeliverWebhookResult,
} from './deliver-webhook.messages.js';

/** Bookkeeping: the database is expected back soon; retry quickly and often. */
const db = proxyActivities<Pick<WebhookActivities, 'disableWebhook'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
});

export async function deliverWebhookWorkflow(input: DeliverWebhookInput): Promise<DeliverWebhookResult> {
  const retry = { ...defaultDeliveryRetry, ...input.retry };
  // The receiver: one POST per attempt (its own 10 s timeout inside), backoff between.
  const receiver = proxyActivities<Pick<WebhookActivities, 'deliverWebhook'>>({
    startToCloseTimeout: '30 seconds',
    scheduleToCloseTimeout: retry.scheduleToClose as Duration,
    retry: {
      initialInterval: retry.initialInterval as Duration,
      backoffCoefficient: retry.backoffCoefficient,
      maximumInterval: retry.maximumInterval as Duration,
      maximumAttempts: retry.maximumAttempts,
      nonRetryableErrorTypes: nonRetryableWebhookFailures,
    },
  });
  const ids = { webhookId: input.webhookId, messageId: input.messageId, eventType: input.eventType };

  try {
    const { attempt, responseStatus } = await receiver.deliverWebhook({
      webhookId: input.webhookId,
      messageId: input.messageId,
      payloadRef: input.payloadRef,
    });
    log.info('webhook delivered', { ...ids, attempt, responseStatus });
    return { outcome: 'delivered' };
  } catch (err) {
    const type = failureType(err);
    if (type === webhookFailures.gone) {
      await db.disableWebhook({ webhookId: input.webhookId });
      log.warn('receiver answered 410 Gone; webhook disabled', ids);
      return { outcome: 'disabled', failureType: type };
    }
    if (type === webhookFailures.unavailable) {
      log.info('webhook gone or disabled before delivery', ids);
      return { outcome: 'skipped', failureType: type };
    }
    if (type === undefined) throw err; // not an activity failure: a bug, let the workflow task fail loudly
    log.warn('webhook delivery failed', { ...ids, failureType: type });
    return { outcome: 'failed', failureType: type };
  }
}

/** The ApplicationFailure type behind an activity failure ('Timeout' when time ran out), or undefined. */
function failureType(err: unknown): string | undefined {
  if (!(err instanceof ActivityFailure)) return undefined;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure) return cause.type ?? webhookFailures.attemptFailed;
  if (cause instanceof TimeoutFailure) return 'Timeout';
  return webhookFailures.attemptFailed;
}
