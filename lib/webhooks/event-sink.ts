// The ResetEventSink the worker gives the task activities: each reset event
// goes to the person's enabled webhooks that subscribe to it, one delivery
// workflow per endpoint. Emitting the same event again (an activity retry) is
// harmless: the message id is derived from the event, and the workflow id
// from the message id and the endpoint.
import type { Client } from '@temporalio/client';
import type { ResetEventSink, ResetEventType } from '../../activities/tasks/task-activities.js';
import type { ResetProgress } from '../../workflows/reset-password.messages.js';
import type { DeliveryRetryOptions } from '../../workflows/deliver-webhook.messages.js';
import type { Config } from '../config.js';
import type { Keyring } from '../crypto.js';
import type { Db } from '../db/index.js';
import type { Logger } from '../logger.js';
import { buildResetEvent, resetEventMessageId } from './build-event.js';
import { enqueueWebhookDelivery } from './enqueue-delivery.js';
import { createWebhookStore } from './webhook-store.js';

export interface ResetEventEmission {
  userId: string;
  taskId: string;
  type: ResetEventType;
  progress: ResetProgress;
  /** reset.needs_otp: the phone OTP link, when the API made one. A capability: it travels only encrypted. */
  otpUrl?: string;
}

export interface WebhookEventSink extends ResetEventSink {
  emit(event: ResetEventEmission): Promise<void>;
}

export interface WebhookEventSinkDeps {
  db: Db;
  keyring: Keyring;
  config: Pick<Config, 'temporal' | 'allowPrivateTargets'>;
  logger: Logger;
  temporal: { client(): Promise<Client> };
  /** Backoff for the delivery workflows; the workflow's defaults when left out. */
  retry?: DeliveryRetryOptions;
}

export function createWebhookEventSink(deps: WebhookEventSinkDeps): WebhookEventSink {
  const { db, keyring, config, logger } = deps;
  const store = createWebhookStore({ db, keyring, allowPrivateTargets: config.allowPrivateTargets });

  return {
    async emit({ userId, taskId, type, progress, otpUrl }) {
      const endpoints = await store.subscribers(userId, type);
      if (endpoints.length === 0) return;

      const task = await db.task.findUnique({ where: { id: taskId }, select: { userId: true, serviceId: true, serviceName: true } });
      if (task && task.userId !== userId) {
        // A caller bug, never something to tell the endpoints about; not worth failing a reset over either.
        logger.error({ taskId, userId, type }, 'reset event for a task of another user; not sent');
        return;
      }
      const service = task ? { id: task.serviceId, name: task.serviceName } : null;
      const body = JSON.stringify(buildResetEvent({ type, taskId, progress, service, otpUrl }));
      const messageId = resetEventMessageId({ taskId, type, seq: progress.seq });
      const client = await deps.temporal.client();

      const results = await Promise.allSettled(
        endpoints.map((endpoint) =>
          enqueueWebhookDelivery({
            db,
            keyring,
            client,
            taskQueue: config.temporal.taskQueue,
            webhookId: endpoint.id,
            userId,
            ...(task ? { task: { id: taskId, serviceId: task.serviceId } } : {}),
            messageId,
            eventType: type,
            body,
            retry: deps.retry,
          }),
        ),
      );
      const failures = results.flatMap((r, i) =>
        r.status === 'rejected' && !isDeletedEndpoint(r.reason) ? [{ webhookId: endpoints[i]!.id, err: r.reason as unknown }] : [],
      );
      for (const f of failures) logger.warn({ err: f.err, webhookId: f.webhookId, taskId, type }, 'could not queue a webhook delivery');
      // Fail the emitting activity so it is retried; endpoints already queued are not queued twice.
      if (failures.length > 0) throw new AggregateError(failures.map((f) => f.err), `could not queue ${failures.length} webhook deliveries`);
    },
  };
}

/** The endpoint was deleted after it was looked up (foreign key or missing record). */
function isDeletedEndpoint(err: unknown): boolean {
  const code = (err as { code?: string } | undefined)?.code;
  return code === 'P2003' || code === 'P2025';
}
