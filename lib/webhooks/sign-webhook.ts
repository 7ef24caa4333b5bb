// Standard Webhooks signing, by the reference implementation: HMAC-SHA256 with
// the endpoint's secret over `${webhook-id}.${webhook-timestamp}.${body}`,
// sent as `v1,<base64>`. Each attempt is signed afresh with its own timestamp,
// so receivers can keep a short replay window while retries go on for hours.
import { Webhook } from 'standardwebhooks';

export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signWebhook(opts: { secret: string; messageId: string; body: string; at?: Date }): SignedHeaders {
  const seconds = Math.floor((opts.at ?? new Date()).getTime() / 1000);
  return {
    'webhook-id': opts.messageId,
    'webhook-timestamp': String(seconds),
    'webhook-signature': new Webhook(opts.secret).sign(opts.messageId, new Date(seconds * 1000), opts.body),
  };
}
