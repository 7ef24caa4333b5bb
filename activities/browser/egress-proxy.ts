// A forward proxy on 127.0.0.1 that every request of one browser context goes
// through. It exists because Playwright's `route` cannot be the whole guard:
//   - route handlers see only the first URL of a redirect chain (Playwright
//     continues redirect hops itself), so `302 → http://169.254.169.254/` would
//     slip through;
//   - Chromium resolves names itself, after our check, so a DNS answer that
//     changes in between (rebinding) would reach a private address.
// Here the proxy resolves and checks the host, then connects to exactly the
// addresses it approved. WebSockets and HTTPS arrive as CONNECT tunnels; the
// proxy never sees inside TLS, only host and port.
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { createGuardedLookup, type CheckedHost } from '../../lib/net/target-guard.js';

export interface EgressProxyOptions {
  /** Resolves and checks a host for a connection to `port`; rejects (TargetNotAllowedError) when it may not be reached. */
  checkHost(host: string, port: number): Promise<CheckedHost>;
  /** A request was refused. `origin` is scheme://host[:port], never a path or query. */
  onRefused(origin: string, error: unknown): void;
}

export interface EgressProxy {
  /** `http://127.0.0.1:<port>`, for Playwright's `proxy.server`. */
  readonly url: string;
  close(): Promise<void>;
}

// Hop-by-hop headers belong to one connection and are never forwarded (RFC 9110 §7.6.1).
const HOP_BY_HOP = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authorization', 'proxy-authenticate',
  'te', 'trailer', 'transfer-encoding', 'upgrade',
]);

export async function startEgressProxy(options: EgressProxyOptions): Promise<EgressProxy> {
  // The connection goes to the addresses judged for its host and port.
  const lookupFor = (port: number) => createGuardedLookup((host) => options.checkHost(host, port));
  const agent = new http.Agent({ keepAlive: true });
  const sockets = new Set<net.Socket | Duplex>();
  const track = (socket: net.Socket | Duplex) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const server = http.createServer((req, res) => {
    // Plain http:// requests arrive in absolute form: "GET http://host:port/path HTTP/1.1".
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (target.protocol !== 'http:') {
      res.writeHead(400).end();
      return;
    }
    const port = Number(target.port || 80);
    options.checkHost(target.hostname, port).then(
      () => {
        const upstream = http.request(
          {
            host: target.hostname,
            port,
            method: req.method,
            path: `${target.pathname}${target.search}`,
            headers: forwardable(req.rawHeaders),
            setHost: false, // Chromium's Host header is forwarded as it is
            lookup: lookupFor(port),
            agent,
          },
          (upstreamRes) => {
            res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.statusMessage, forwardable(upstreamRes.rawHeaders));
            upstreamRes.on('error', () => res.destroy());
            upstreamRes.pipe(res);
          },
        );
        upstream.on('error', () => {
          if (res.headersSent) res.destroy();
          else res.writeHead(502).end();
        });
        req.on('error', () => upstream.destroy());
        // Chromium cancelled (navigated away, closed the tab): drop the upstream request too.
        res.on('close', () => {
          if (!res.writableFinished) upstream.destroy();
        });
        req.pipe(upstream);
      },
      (err: unknown) => {
        options.onRefused(target.origin, err);
        // No response at all: the page gets a network error, not a page to render.
        req.socket.destroy();
      },
    );
  });

  // https:// and ws(s):// arrive as "CONNECT host:port"; the tunnel then carries TLS end to end.
  server.on('connect', (req: http.IncomingMessage, client: Duplex, head: Buffer) => {
    track(client);
    client.on('error', () => client.destroy());
    const target = parseAuthority(req.url ?? '');
    if (!target) {
      client.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const origin = tunnelOrigin(target);
    options.checkHost(target.host, target.port).then(
      () => {
        const upstream = net.connect({ host: target.host, port: target.port, lookup: lookupFor(target.port) });
        track(upstream);
        upstream.once('connect', () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          if (head.length > 0) upstream.write(head);
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => {
          if (upstream.connecting) client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
          else client.destroy();
        });
        client.on('close', () => upstream.destroy());
      },
      (err: unknown) => {
        options.onRefused(origin, err);
        client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n');
      },
    );
  });
  server.on('connection', track);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    close: async () => {
      // Tunnels are not HTTP connections any more, so server.close() alone would wait on them.
      for (const socket of sockets) socket.destroy();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** "host:port" or "[v6]:port" from a CONNECT request line; null if malformed. */
function parseAuthority(authority: string): { host: string; port: number } | null {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(authority);
  if (!match) return null;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return null;
  return { host: (match[1] ?? match[2])!, port };
}

/** CONNECT names no scheme: https and wss use it, and so does ws, on port 80 by default. */
function tunnelOrigin({ host, port }: { host: string; port: number }): string {
  const scheme = port === 80 ? 'http' : 'https';
  const name = host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${name}${port === 80 || port === 443 ? '' : `:${port}`}`;
}

/** Raw headers ([name, value, name, value…]) without hop-by-hop ones, repeated headers kept. */
function forwardable(raw: string[]): string[] {
  const named = new Set(HOP_BY_HOP);
  for (let i = 0; i < raw.length; i += 2) {
    // "Connection: foo" makes foo hop-by-hop too.
    if (raw[i]!.toLowerCase() === 'connection') {
      for (const token of raw[i + 1]!.split(',')) named.add(token.trim().toLowerCase());
    }
  }
  const out: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    if (!named.has(raw[i]!.toLowerCase())) out.push(raw[i]!, raw[i + 1]!);
  }
  return out;
}
