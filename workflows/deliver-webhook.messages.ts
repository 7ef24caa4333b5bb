// The webhook delivery workflow's contract. The event sink and the API import
// this file (never the workflow). Only ids travel: the signed body lives,
// encrypted, in the WebhookDelivery row that `payloadRef` names, because a
// `reset.needs_otp` body can carry the phone OTP link, which is a credential.
export const deliverWebhookWorkflowName = 'deliverWebhookWorkflow';

/** Temporal durations: milliseconds or strings such as '5 seconds'. */
export type DurationLike = number | string;

/** How one event is retried against one endpoint. Tests shorten it. */
export interface DeliveryRetryOptions {
  initialInterval?: DurationLike;
  backoffCoefficient?: number;
  maximumInterval?: DurationLike;
  /** Attempts in all, the first one included. */
  maximumAttempts?: number;
  /** Give up after this long, whatever the attempt count. */
  scheduleToClose?: DurationLike;
}

export const defaultDeliveryRetry = {
  initialInterval: '5 seconds',
  backoffCoefficient: 2,
  maximumInterval: '1 hour',
  maximumAttempts: 8,
  scheduleToClose: '24 hours',
} as const satisfies Required<DeliveryRetryOptions>;

export interface DeliverWebhookInput {
  webhookId: string;
  /** The `webhook-id` header: one per event, the same on every retry. */
  messageId: string;
  eventType: string;
  /** Id of the WebhookDelivery row (attempt 1) that holds the encrypted body. */
  payloadRef: string;
  retry?: DeliveryRetryOptions;
}

export type DeliveryOutcome =
  /** A 2xx answer. */
  | 'delivered'
  /** Every attempt failed, or the schedule ran out. */
  | 'failed'
  /** The receiver answered 410 Gone: the endpoint is now disabled. */
  | 'disabled'
  /** The endpoint was deleted or disabled before the event could go out. */
  | 'skipped';

export interface DeliverWebhookResult {
  outcome: DeliveryOutcome;
  /** The last failure's type, when not delivered. */
  failureType?: string;
}

/** ApplicationFailure types the delivery activities throw. */
export const webhookFailures = {
  /** Non-2xx, network error or timeout: retried. */
  attemptFailed: 'WebhookAttemptFailed',
  /** 410 Gone: not retried; the workflow disables the endpoint. */
  gone: 'WebhookGone',
  /** The endpoint (or the stored body) no longer exists, or it is disabled. */
  unavailable: 'WebhookUnavailable',
  /** The URL resolves to an address Rekey may not reach. */
  targetNotAllowed: 'TargetNotAllowed',
} as const;

export const nonRetryableWebhookFailures: string[] = [webhookFailures.gone, webhookFailures.unavailable, webhookFailures.targetNotAllowed];

/** One workflow per (event, endpoint): starting it twice is refused, so an event goes out once. */
export function deliveryWorkflowIdFor(messageId: string, webhookId: string): string {
  return `webhook-${messageId}-${webhookId}`;
}

/** The workflow's signature, for `client.workflow.start<DeliverWebhookWorkflow>(deliverWebhookWorkflowName, …)`. */
export type DeliverWebhookWorkflow = (input: DeliverWebhookInput) => Promise<DeliverWebhookResult>;
