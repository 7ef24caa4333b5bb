// A webhook's signing secret and the bodies waiting to be delivered are both
// encrypted at rest with the `webhook` key. Associated data binds each
// ciphertext to its endpoint (and message), so rows cannot be swapped.
import { randomBytes } from 'node:crypto';
import { decryptString, encrypt, type Keyring } from '../crypto.js';

const SECRET_PREFIX = 'whsec_';
const PAYLOAD_PREFIX = 'enc1:';

/** A Standard Webhooks signing secret: `whsec_` + base64 of 32 random bytes. */
export function generateWebhookSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

export function sealWebhookSecret(keyring: Keyring, webhookId: string, secret: string): Uint8Array<ArrayBuffer> {
  return encrypt(keyring.purpose('webhook'), secret, `webhook-secret:${webhookId}`);
}

export function openWebhookSecret(keyring: Keyring, webhookId: string, sealed: Uint8Array): string {
  return decryptString(keyring.purpose('webhook'), sealed, `webhook-secret:${webhookId}`);
}

/** The body as stored in WebhookDelivery.payload (a text column): `enc1:` + base64 ciphertext. */
export function sealDeliveryPayload(keyring: Keyring, ids: { webhookId: string; messageId: string }, body: string): string {
  const sealed = encrypt(keyring.purpose('webhook'), body, payloadAad(ids));
  return PAYLOAD_PREFIX + Buffer.from(sealed).toString('base64');
}

export function openDeliveryPayload(keyring: Keyring, ids: { webhookId: string; messageId: string }, stored: string): string {
  if (!stored.startsWith(PAYLOAD_PREFIX)) throw new Error('not a sealed webhook payload');
  return decryptString(keyring.purpose('webhook'), Buffer.from(stored.slice(PAYLOAD_PREFIX.length), 'base64'), payloadAad(ids));
}

const payloadAad = ({ webhookId, messageId }: { webhookId: string; messageId: string }) => `webhook-payload:${webhookId}:${messageId}`;
