// Hands one event to one endpoint's delivery workflow. The body is stored
// first, encrypted, as the delivery's attempt-1 row; the workflow gets its id.
// The workflow id is per (message, endpoint) and may never be reused, so an
// event emitted twice is still delivered once. Staff find a person's
// deliveries in the Temporal Web UI by the same search attributes as their
// resets (RekeyUserId, and RekeyTaskId / RekeyService for a reset's events).
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Keyring } from '../crypto.js';
import type { Db } from '../db/index.js';
import {
  deliverWebhookWorkflowName,
  deliveryWorkflowIdFor,
  type DeliverWebhookInput,
  type DeliverWebhookWorkflow,
  type DeliveryRetryOptions,
} from '../../workflows/deliver-webhook.messages.js';
import { searchAttributeNames as sa } from '../../workflows/reset-password.messages.js';
import { sealDeliveryPayload } from './webhook-crypto.js';

export interface EnqueueDeliveryOptions {
  db: Db;
  keyring: Keyring;
  client: Client;
  taskQueue: string;
  webhookId: string;
  /** The endpoint's owner, and the reset the event is about: search attributes for staff. */
  userId: string;
  task?: { id: string; serviceId: string };
  messageId: string;
  eventType: string;
  /** The exact JSON text to send (and sign). */
  body: string;
  retry?: DeliveryRetryOptions;
}

export interface EnqueuedDelivery {
  /** The delivery's first row: what GET /api/webhooks/{id}/deliveries lists. */
  deliveryId: string;
  messageId: string;
  workflowId: string;
  /** False when this event was already on its way to this endpoint. */
  started: boolean;
}

/** Deterministic even when two rows are made in the same millisecond. */
export const firstRowOrder = [{ attempt: 'asc' as const }, { createdAt: 'asc' as const }, { id: 'asc' as const }];

export async function enqueueWebhookDelivery(o: EnqueueDeliveryOptions): Promise<EnqueuedDelivery> {
  const { db, webhookId, messageId } = o;
  const workflowId = deliveryWorkflowIdFor(messageId, webhookId);
  const firstRow = () =>
    db.webhookDelivery.findFirst({ where: { webhookId, messageId }, orderBy: firstRowOrder, select: { id: true, status: true } });

  const existing = await firstRow();
  // Already attempted: delivered or on its way, whatever Temporal still remembers of it.
  if (existing && existing.status !== 'pending') return { deliveryId: existing.id, messageId, workflowId, started: false };
  const row =
    existing ??
    (await db.webhookDelivery.create({
      data: {
        webhookId,
        messageId,
        eventType: o.eventType,
        payload: sealDeliveryPayload(o.keyring, { webhookId, messageId }, o.body),
        attempt: 1,
        status: 'pending',
      },
      select: { id: true, status: true },
    }));

  const input: DeliverWebhookInput = { webhookId, messageId, eventType: o.eventType, payloadRef: row.id, ...(o.retry ? { retry: o.retry } : {}) };
  try {
    await o.client.workflow.start<DeliverWebhookWorkflow>(deliverWebhookWorkflowName, {
      taskQueue: o.taskQueue,
      workflowId,
      args: [input],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      searchAttributes: {
        [sa.userId]: [o.userId],
        ...(o.task ? { [sa.taskId]: [o.task.id], [sa.service]: [o.task.serviceId] } : {}),
      },
    });
    return { deliveryId: row.id, messageId, workflowId, started: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) {
      // Nothing will read a row this call made: drop it (a retry makes a new one).
      if (!existing) await db.webhookDelivery.deleteMany({ where: { id: row.id } });
      throw err;
    }
    // Another call started the workflow first. If that call made a row of its own,
    // this one is surplus and goes; if it reused ours, ours stays. Either way one
    // row remains, and the activity finds it by message (see webhook-activities.ts).
    const others = await db.webhookDelivery.count({ where: { webhookId, messageId, NOT: { id: row.id } } });
    if (!existing && others > 0) await db.webhookDelivery.deleteMany({ where: { id: row.id } });
    const winner = await firstRow();
    return { deliveryId: winner?.id ?? row.id, messageId, workflowId, started: false };
  }
}
