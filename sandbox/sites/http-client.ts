import { request } from 'node:http';
import type { LookupFunction } from 'node:net';

/**
 * Node does not resolve `*.localhost` here, and `fetch` ignores a `Host`
 * header, so Node-side callers use this: `*.localhost` → 127.0.0.1.
 * Pass it as `lookup` to `http.request` or `net.connect`.
 */
export const localhostLookup: LookupFunction = (hostname, options, callback) => {
  const all = typeof options === 'object' && options !== null && 'all' in options && options.all;
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) {
    if (all) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: '127.0.0.1', family: 4 }]);
    else callback(null, '127.0.0.1', 4);
    return;
  }
  void import('node:dns').then((dns) => dns.lookup(hostname, options as never, callback as never));
};

export interface SandboxRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | URLSearchParams;
}

/**
 * A minimal fetch for sandbox URLs (`http://<slug>.localhost:<port>/…`):
 * connects to 127.0.0.1 with the right Host header and never follows
 * redirects, so callers see 3xx answers such as `/.well-known/change-password`.
 */
export function sandboxFetch(url: string | URL, init: SandboxRequestInit = {}): Promise<Response> {
  const target = new URL(url);
  if (target.protocol !== 'http:') return Promise.reject(new Error(`sandboxFetch only speaks http: ${target.href}`));
  const body = init.body === undefined ? undefined : String(init.body);
  const headers: Record<string, string> = { ...init.headers };
  if (init.body instanceof URLSearchParams && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
  }
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port || 80,
        path: `${target.pathname}${target.search}`,
        method: init.method ?? 'GET',
        headers: { host: target.host, ...headers },
        lookup: localhostLookup,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            if (Array.isArray(value)) for (const v of value) responseHeaders.append(name, v);
            else if (value !== undefined) responseHeaders.set(name, value);
          }
          const status = res.statusCode ?? 500;
          const nullBody = status === 204 || status === 304 || init.method === 'HEAD';
          resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers: responseHeaders }));
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
