// The API's bodies the UI reads, by their schema names in the OpenAPI
// document (openapi.d.ts, generated from the routes' zod schemas by
// `npm run api:types`): the routes are the contract, nothing is copied here.
// What the document cannot describe, the task stream's events, is written out.
import type { components } from './openapi';

type Schemas = components['schemas'];

export type User = Schemas['User'];
export type SessionView = Schemas['Session'];
export type ApiKeyView = Schemas['ApiKey'];
export type WebhookView = Schemas['Webhook'];
export type WebhookEvent = Schemas['WebhookEventType'];
export type DeliveryView = Schemas['WebhookDelivery'];
export type VaultEntry = Schemas['VaultEntry'];
export type Service = Schemas['Service'];
export type MailboxView = Schemas['Mailbox'];
export type JobStep = Schemas['JobStep'];
export type Job = Schemas['Job'];
export type Discovery = Schemas['SignInDiscovery'];
export type SandboxInfo = Schemas['SandboxStatus'];
export type ForgotPasswordAnswer = Schemas['ForgotPasswordResponse'];
export type VerifyEmailStartAnswer = Schemas['VerifyEmailStartResponse'];
export type DevOutboxEmail = Schemas['DevOutboxEmail'];

/** Every list: `?limit=&cursor=` → `{items, nextCursor}`. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** The event types a webhook can subscribe to, in the order the settings page offers them. */
export const webhookEvents = ['reset.completed', 'reset.failed', 'reset.needs_otp', 'reset.captcha_required'] as const satisfies readonly WebhookEvent[];

/** `event: status` of GET /api/tasks/{id}/stream (an event stream: outside the OpenAPI document). */
export type TaskStatusEvent =
  | { status: 'pending' }
  | { status: 'running'; step?: string }
  | { status: 'waiting_for_email' }
  | { status: 'waiting_for_otp'; otpUrl?: string }
  | { status: 'captcha_required'; vendor: string; until?: string; message: string }
  | { status: 'completed'; vaultEntryId: string | null; confirmed: boolean }
  | { status: 'failed'; reason: string; type: string }
  | { status: 'cancelled'; reason: string };

export const terminalStatuses = ['completed', 'failed', 'cancelled'];
