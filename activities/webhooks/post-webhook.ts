// One HTTP POST to a webhook receiver, bounded by a timeout. Redirects are not
// followed (a 3xx is an answer, and not a success). The body of the answer is
// not read: only its status matters. `lookup` pins the connection to addresses
// the target guard approved, so a DNS change after the check cannot redirect it.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';

export interface PostWebhookOptions {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  lookup?: LookupFunction;
  signal?: AbortSignal;
}

export class WebhookTimeoutError extends Error {
  override name = 'WebhookTimeoutError';
}

/** Resolves with the receiver's status code as soon as the answer's headers arrive. */
export function postWebhook(opts: PostWebhookOptions): Promise<{ status: number }> {
  const url = new URL(opts.url);
  const client = url.protocol === 'https:' ? https : http;
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  const payload = Buffer.from(opts.body, 'utf8');

  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...opts.headers, 'content-length': String(payload.length) },
        lookup: opts.lookup,
        agent: false, // a fresh, checked connection per attempt
        signal,
      },
      (res) => {
        resolve({ status: res.statusCode ?? 0 });
        res.resume(); // discard the answer; the abort signal still bounds a receiver that never finishes it
      },
    );
    req.on('error', (err) => {
      reject(timeout.aborted ? new WebhookTimeoutError(`No answer within ${formatSeconds(opts.timeoutMs)}.`) : err);
    });
    req.end(payload);
  });
}

const formatSeconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'The receiver refused the connection.',
  ECONNRESET: 'The receiver closed the connection.',
  EPIPE: 'The receiver closed the connection.',
  ENOTFOUND: 'The host name could not be resolved.',
  EAI_AGAIN: 'The host name could not be resolved (temporary DNS failure).',
  EHOSTUNREACH: 'The host is unreachable.',
  ENETUNREACH: 'The network is unreachable.',
  ETIMEDOUT: 'The connection timed out.',
};

/** A short description of a failed POST for the delivery log: no URL (it may hold a token), no stack. */
export function describePostError(err: unknown): string {
  if (err instanceof WebhookTimeoutError) return err.message;
  const e = err as NodeJS.ErrnoException | undefined;
  const known = e?.code ? NETWORK_ERRORS[e.code] : undefined;
  if (known) return known;
  if (e?.code?.startsWith('ERR_TLS') || /certificate|SSL|TLS/i.test(e?.message ?? '')) return `TLS error: ${(e?.message ?? '').slice(0, 200)}`;
  return e?.code ? `Request failed (${e.code}).` : 'Request failed.';
}
