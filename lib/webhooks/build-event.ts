// The bodies Rekey sends: Standard Webhooks' `{type, timestamp, data}`.
// `data` is built field by field from what is safe to send — ids, statuses,
// step names, failure types and their descriptions — never by spreading the
// progress record, so nothing added to it later can leak out. Passwords, codes,
// reset links and mail never reach this module.
import { createHash, randomUUID } from 'node:crypto';
import type { ResetProgress } from '../../workflows/reset-password.messages.js';
import { testEventType, type WebhookEventType } from './event-types.js';

export interface WebhookEvent<Type extends string = string, Data = unknown> {
  type: Type;
  /** When the event happened (ISO 8601). The send time is the `webhook-timestamp` header. */
  timestamp: string;
  data: Data;
}

export interface ResetEventData {
  taskId: string;
  service: { id: string; name: string } | null;
  status: string;
  step: string | null;
  /** reset.completed: the vault entry holding the new password (an id, not the password). */
  vaultEntryId?: string;
  /** reset.failed */
  failure?: { type: string; message: string };
  /** reset.needs_otp: where the code is expected from and until when. */
  otp?: { source: string; until: string; attemptsLeft: number };
  /** reset.needs_otp: the phone link where the person can type the code, when there is one. */
  otpUrl?: string;
  /** reset.captcha_required */
  captcha?: { vendor: string; until: string };
}

export type ResetWebhookEvent = WebhookEvent<WebhookEventType, ResetEventData>;
export type TestWebhookEvent = WebhookEvent<typeof testEventType, { webhookId: string; message: string }>;

export interface ResetEventInput {
  type: WebhookEventType;
  taskId: string;
  progress: ResetProgress;
  service?: { id: string; name: string } | null;
  otpUrl?: string;
  at?: Date;
}

const MAX_MESSAGE = 500;

export function buildResetEvent(input: ResetEventInput): ResetWebhookEvent {
  const { progress, type } = input;
  const data: ResetEventData = {
    taskId: input.taskId,
    service: input.service ? { id: input.service.id, name: input.service.name } : null,
    status: progress.status,
    step: progress.step ?? null,
  };
  if (type === 'reset.completed' && progress.vaultEntryId) data.vaultEntryId = progress.vaultEntryId;
  if (type === 'reset.failed' && progress.failure) {
    data.failure = { type: progress.failure.type, message: progress.failure.message.slice(0, MAX_MESSAGE) };
  }
  const waiting = progress.waitingFor;
  if (type === 'reset.needs_otp') {
    if (waiting?.kind === 'otp') data.otp = { source: waiting.source, until: waiting.until, attemptsLeft: waiting.attemptsLeft };
    const otpUrl = webUrl(input.otpUrl);
    if (otpUrl) data.otpUrl = otpUrl;
  }
  if (type === 'reset.captcha_required' && waiting?.kind === 'captcha') data.captcha = { vendor: waiting.vendor, until: waiting.until };
  return { type, timestamp: (input.at ?? new Date()).toISOString(), data };
}

export function buildTestEvent(webhookId: string, at = new Date()): TestWebhookEvent {
  return { type: testEventType, timestamp: at.toISOString(), data: { webhookId, message: 'A test event from Rekey. Your endpoint is reachable.' } };
}

/**
 * The `webhook-id` of a reset event: derived from the task, the event type and
 * the progress sequence number, so an event emitted twice (an activity retry)
 * has one id, and one delivery workflow per endpoint.
 */
export function resetEventMessageId(e: { taskId: string; type: WebhookEventType; seq: number }): string {
  return `msg_${createHash('sha256').update(`${e.taskId}\n${e.type}\n${e.seq}`).digest('hex').slice(0, 32)}`;
}

/** A fresh id, for events that happen once by construction (test pings). */
export function newMessageId(): string {
  return `msg_${randomUUID().replaceAll('-', '')}`;
}

function webUrl(value: string | undefined): string | undefined {
  if (!value) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}
