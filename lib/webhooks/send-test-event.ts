// POST /api/webhooks/{id}/test: a `webhook.test` event through the same path
// as real events (stored, signed, retried, logged), so a person can see their
// receiver verify a signature before a reset ever happens.
import type { Client } from '@temporalio/client';
import type { Keyring } from '../crypto.js';
import type { Db } from '../db/index.js';
import { AppError } from '../errors.js';
import type { PrivateTargets } from '../net/target-guard.js';
import { buildTestEvent, newMessageId } from './build-event.js';
import { checkWebhookUrl } from './check-webhook-url.js';
import { enqueueWebhookDelivery, type EnqueuedDelivery } from './enqueue-delivery.js';
import { testEventType } from './event-types.js';
import type { WebhookStore } from './webhook-store.js';

export async function sendTestEvent(opts: {
  db: Db;
  keyring: Keyring;
  store: WebhookStore;
  temporal: { client(): Promise<Client> };
  taskQueue: string;
  allowPrivateTargets: PrivateTargets;
  userId: string;
  webhookId: string;
}): Promise<EnqueuedDelivery> {
  const webhook = await opts.store.get(opts.userId, opts.webhookId);
  if (!webhook.enabled) throw new AppError('conflict', 'The webhook is disabled; enable it to send a test event.');
  // Refuse now, with the reason, rather than only in the delivery log.
  await checkWebhookUrl(webhook.url, { allowPrivate: opts.allowPrivateTargets });

  let client: Client;
  try {
    client = await opts.temporal.client();
  } catch {
    throw new AppError('unavailable', 'The delivery service is unreachable; try again shortly.');
  }
  return enqueueWebhookDelivery({
    db: opts.db,
    keyring: opts.keyring,
    client,
    taskQueue: opts.taskQueue,
    webhookId: webhook.id,
    userId: opts.userId,
    messageId: newMessageId(),
    eventType: testEventType,
    body: JSON.stringify(buildTestEvent(webhook.id)),
  });
}
