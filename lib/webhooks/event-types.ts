// What a webhook can subscribe to: the reset events the task activities emit.
// `webhook.test` is not subscribable; POST /api/webhooks/{id}/test sends it.
import type { ResetEventType } from '../../activities/tasks/task-activities.js';

export const webhookEventTypes = ['reset.completed', 'reset.failed', 'reset.needs_otp', 'reset.captcha_required'] as const;

export type WebhookEventType = (typeof webhookEventTypes)[number];

export const testEventType = 'webhook.test';

// The list above and the sink's contract cannot drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameAsResetEvents: Same<WebhookEventType, ResetEventType> = true;
void sameAsResetEvents;

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (webhookEventTypes as readonly string[]).includes(value);
}
