import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserPool, type BrowserPool } from '../../../activities/browser/browser-pool.js';
import { startEgressProxy, type EgressProxy } from '../../../activities/browser/egress-proxy.js';
import { ChromiumNotFoundError, findChromium } from '../../../activities/browser/chromium-path.js';
import { createLogger } from '../../../lib/logger.js';
import { assertAllowedHost, type HostResolver } from '../../../lib/net/target-guard.js';

// Names the egress proxy resolves. Chromium never resolves anything itself: it
// hands every host to the proxy, so these work without DNS on this machine.
const resolver: HostResolver = async (host) => {
  if (host === 'pinned.test') return ['127.0.0.1'];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
};

const logLines: string[] = [];
const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });

/** Every request the local server saw, as "host/path". */
const hits: string[] = [];
let server: http.Server;
let port: number;
let base: string;
const at = (host: string, path = '') => `http://${host}:${port}${path}`;

function startServer(): Promise<void> {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    hits.push(`${url.hostname}${url.pathname}`);
    const html = (body: string, headers: http.OutgoingHttpHeaders = {}) => {
      res.writeHead(200, { 'content-type': 'text/html', ...headers });
      res.end(`<!doctype html><html><body>${body}</body></html>`);
    };
    switch (url.pathname) {
      case '/redirect':
        res.writeHead(302, { location: url.searchParams.get('to') ?? '/' });
        return res.end();
      case '/login':
        return html('<script>localStorage.setItem("draft", "kept")</script>signed in', {
          'set-cookie': 'sid=abc123; Path=/; HttpOnly; Max-Age=3600',
        });
      case '/whoami':
        return html(`<pre id="cookie">${req.headers.cookie ?? ''}</pre>`);
      case '/headers':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(req.headers));
      case '/with-cdn':
        return html(`<img id="px" src="${at('cdn.localhost', '/pixel.gif')}">page`);
      case '/pixel.gif':
        res.writeHead(200, { 'content-type': 'image/gif' });
        return res.end(Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'));
      case '/opener':
        return html(`<a id="pop" href="/popped" target="_blank">open</a>`);
      default:
        return html(`<h1 id="where">${url.hostname}${url.pathname}</h1>`);
    }
  });
  server.on('upgrade', (req, socket) => {
    hits.push(`upgrade ${new URL(req.url ?? '/', `http://${req.headers.host}`).pathname}`);
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
  });
  return new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve())).then(() => {
    port = (server.address() as AddressInfo).port;
    base = at('127.0.0.1');
  });
}

const chromiumPath = findChromium();
// The pool every test shares, as in development: private targets allowed, metadata never.
let pool: BrowserPool;
// Another worker, configured for production: private targets refused.
let strictPool: BrowserPool;

beforeAll(async () => {
  await startServer();
  pool = createBrowserPool({ executablePath: chromiumPath, allowPrivateTargets: true, logger, resolver });
  strictPool = createBrowserPool({ executablePath: chromiumPath, allowPrivateTargets: false, logger, resolver });
});

afterAll(async () => {
  await Promise.all([pool?.closeAll(), strictPool?.closeAll()]);
  await new Promise((resolve) => server.close(resolve));
});

describe('sessions', () => {
  it('launches lazily and opens a context per task', async () => {
    expect(pool.stats()).toMatchObject({ running: false, launches: 0, sessions: 0 });
    const session = await pool.open('task-basic');
    await session.page.goto(`${base}/hello?token=s3cret`);
    await expect(session.page.locator('#where').textContent()).resolves.toBe('127.0.0.1/hello');
    expect(session.lastUrl()).toBe(`${base}/hello?token=s3cret`);
    expect(session.page.viewportSize()).toEqual({ width: 1280, height: 900 });
    expect(pool.get('task-basic')).toBe(session);
    expect(pool.stats()).toMatchObject({ running: true, launches: 1, sessions: 1 });
    expect(pool.stats().pid).toBeGreaterThan(0);
  });

  it('sends a real Chrome user agent, not HeadlessChrome, and the chosen locale', async () => {
    const session = await pool.open('task-ua', { locale: 'fr-FR' });
    await session.page.goto(`${base}/headers`);
    const headers = JSON.parse((await session.page.locator('body').textContent()) ?? '{}') as Record<string, string>;
    expect(headers['user-agent']).toMatch(/^Mozilla\/5\.0 \(X11; Linux x86_64\) .* Chrome\/\d+\.0\.0\.0 Safari\/537\.36$/);
    expect(JSON.stringify(headers)).not.toMatch(/headless/i);
    expect(headers['accept-language']).toMatch(/^fr-FR/);
    await pool.close('task-ua');
  });

  it('opening a task again replaces its context', async () => {
    const first = await pool.open('task-again');
    const second = await pool.open('task-again');
    expect(pool.get('task-again')).toBe(second);
    await expect(first.context.newPage()).rejects.toThrow();
    await pool.close('task-again');
    expect(pool.get('task-again')).toBeUndefined();
  });

  it('follows popups and new tabs: the newest page is current', async () => {
    const session = await pool.open('task-popup');
    await session.page.goto(`${base}/opener`);
    const opener = session.page;
    await Promise.all([session.context.waitForEvent('page'), opener.click('#pop')]);
    expect(session.page).not.toBe(opener);
    await session.page.waitForLoadState();
    expect(new URL(session.page.url()).pathname).toBe('/popped');
    await session.page.close();
    expect(session.page).toBe(opener);
    await pool.close('task-popup');
  });

  it('takes a viewport JPEG screenshot', async () => {
    const session = pool.get('task-basic')!;
    const jpeg = await session.screenshot();
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]); // JPEG start-of-image
    // The frame header (SOF0/SOF2) holds height then width.
    const sof = [...jpeg.entries()].find(([i, b]) => b === 0xff && (jpeg[i + 1] === 0xc0 || jpeg[i + 1] === 0xc2))![0];
    expect([jpeg.readUInt16BE(sof + 7), jpeg.readUInt16BE(sof + 5)]).toEqual([1280, 900]);
    expect(jpeg.length).toBeLessThan(300 * 1024);
  });
});

describe('storage state', () => {
  it('round-trips cookies and local storage into a new context, and into another worker', async () => {
    const first = await pool.open('task-state');
    await first.page.goto(`${base}/login`);
    const state = await first.exportStorageState();
    await pool.close('task-state');

    const again = await pool.open('task-state', { storageState: state });
    await again.page.goto(`${base}/whoami`);
    await expect(again.page.locator('#cookie').textContent()).resolves.toBe('sid=abc123');
    await expect(again.page.evaluate(() => localStorage.getItem('draft'))).resolves.toBe('kept');

    // Another worker (its own browser) restores the same state.
    const elsewhere = await strictPool.open('task-state', { storageState: state });
    expect(await elsewhere.context.cookies(base)).toEqual([expect.objectContaining({ name: 'sid', value: 'abc123', httpOnly: true })]);
    await strictPool.close('task-state');
  });

  it('refuses a storage state that is not one', async () => {
    await expect(pool.open('task-bad-state', { storageState: 'nope' })).rejects.toThrow('storageState is not valid JSON');
    await expect(pool.open('task-bad-state', { storageState: '{"cookies":1}' })).rejects.toThrow(/not a Playwright storage state/);
  });
});

describe('egress guard', () => {
  it('never reaches the metadata address, even with private targets allowed', async () => {
    const session = await pool.open('task-meta');
    await expect(session.page.goto('http://169.254.169.254/latest/meta-data/')).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
    await expect(session.page.goto('http://0xa9fea9fe/')).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
    await expect(session.page.goto('http://metadata.google.internal/computeMetadata/v1/')).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
    expect(session.blockedRequests.map((b) => b.origin)).toEqual([
      'http://169.254.169.254',
      'http://169.254.169.254',
      'http://metadata.google.internal',
    ]);
    expect(session.blockedRequests[0]).toMatchObject({ reason: 'target_not_allowed', navigation: true });
    await pool.close('task-meta');
  });

  it('refuses loopback when private targets are not allowed, and records the origin only', async () => {
    const session = await strictPool.open('task-strict');
    const before = hits.length;
    await expect(session.page.goto(`${base}/reset?token=s3cret`)).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
    await expect(session.page.goto(at('shop.localhost'))).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/);
    await expect(session.page.goto(at('pinned.test'))).rejects.toThrow(/ERR_BLOCKED_BY_CLIENT/); // resolves to 127.0.0.1
    expect(hits.length).toBe(before);
    expect(session.blockedRequests.map((b) => b.origin)).toEqual([base, at('shop.localhost'), at('pinned.test')]);
    expect(JSON.stringify(session.blockedRequests)).not.toContain('s3cret');
    expect(logLines.join('')).not.toContain('s3cret');
    await strictPool.close('task-strict');
  });

  it('blocks a redirect from an allowed page to a refused address (route never sees the hop)', async () => {
    const session = await pool.open('task-redirect');
    for (const to of ['http://169.254.169.254/latest/meta-data/', 'http://0251.0376.0251.0376/', 'http://metadata.google.internal/']) {
      await expect(session.page.goto(`${base}/redirect?to=${encodeURIComponent(to)}`)).rejects.toThrow(/net::ERR_/);
    }
    expect(session.blockedRequests.map((b) => b.origin)).toEqual([
      'http://169.254.169.254',
      'http://169.254.169.254',
      'http://metadata.google.internal',
    ]);
    await pool.close('task-redirect');
  });

  it('connects to the address it checked, not to whatever Chromium would resolve', async () => {
    const session = await pool.open('task-pinned');
    await session.page.goto(at('pinned.test', '/pinned'));
    await expect(session.page.locator('#where').textContent()).resolves.toBe('pinned.test/pinned');
    await pool.close('task-pinned');
  });

  it('guards WebSockets too: they reach the proxy as CONNECT tunnels', async () => {
    const session = await pool.open('task-ws');
    await session.page.goto(`${base}/ws`);
    // A string, so no bundler helper leaks into the page.
    const outcomes = await session.page.evaluate(`Promise.all(
      ['ws://127.0.0.1:${port}/sock', 'ws://169.254.169.254/x', 'wss://169.254.169.254/x'].map((u) => new Promise((done) => {
        const ws = new WebSocket(u);
        ws.onopen = () => done('open');
        ws.onerror = () => done('error');
      })))`);
    expect(outcomes).toEqual(['error', 'error', 'error']); // the local server refuses the upgrade itself
    expect(hits).toContain('upgrade /sock');
    expect(session.blockedRequests.map((b) => b.origin)).toEqual(['http://169.254.169.254', 'https://169.254.169.254']);
    await pool.close('task-ws');
  });
});

describe('egress proxy', () => {
  let proxy: EgressProxy;
  const refused: string[] = [];
  beforeAll(async () => {
    proxy = await startEgressProxy({
      checkHost: (host) => assertAllowedHost(host, { allowPrivate: true }),
      onRefused: (origin) => refused.push(origin),
    });
  });
  afterAll(() => proxy.close());

  /** Sends a raw request line to the proxy and returns what comes back first. */
  const ask = (head: string, after = '') =>
    new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(new URL(proxy.url).port), '127.0.0.1');
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString();
        if (!after && received.includes('\r\n\r\n')) socket.end();
        if (after && received.includes('200 Connection Established') && !socket.writableEnded) {
          received = '';
          socket.write(after);
        }
      });
      socket.on('end', () => resolve(received));
      socket.on('close', () => resolve(received));
      socket.on('error', reject);
      socket.write(head);
    });

  it('tunnels CONNECT to an allowed host', async () => {
    const reply = await ask(`CONNECT 127.0.0.1:${port} HTTP/1.1\r\n\r\n`, `GET /tunnelled HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(reply).toContain('127.0.0.1/tunnelled');
  });

  it('answers 403 to a refused CONNECT and 400 to a malformed one', async () => {
    await expect(ask('CONNECT 169.254.169.254:443 HTTP/1.1\r\n\r\n')).resolves.toMatch(/^HTTP\/1\.1 403/);
    await expect(ask('CONNECT [fd00:ec2::254]:443 HTTP/1.1\r\n\r\n')).resolves.toMatch(/^HTTP\/1\.1 403/);
    await expect(ask('CONNECT nonsense HTTP/1.1\r\n\r\n')).resolves.toMatch(/^HTTP\/1\.1 400/);
    expect(refused).toEqual(['https://169.254.169.254', 'https://[fd00:ec2::254]']);
  });

  it('answers 400 to a request that is not for a proxy', async () => {
    await expect(ask('GET /not-absolute HTTP/1.1\r\nHost: x\r\n\r\n')).resolves.toMatch(/^HTTP\/1\.1 400/);
  });
});

describe('restrictTo', () => {
  it('keeps main-frame navigations on the given hosts while subresources may come from anywhere', async () => {
    const session = await pool.open('task-restrict');
    await session.page.goto(at('site.localhost', '/start'));
    session.restrictTo(['site.localhost']); // not awaited, as activities call it

    // Subresources of other hosts (a CDN) still load.
    await session.page.goto(at('site.localhost', '/with-cdn'));
    await expect(session.page.locator('#px').evaluate((img: HTMLImageElement) => img.naturalWidth)).resolves.toBe(1);
    expect(hits).toContain('cdn.localhost/pixel.gif');

    // Subdomains of an allowed host are fine.
    await session.page.goto(at('www.site.localhost', '/sub'));

    // A foreign host: directly, by a server redirect hop that route never sees, and by script.
    const page = session.page;
    await refused(page, () => page.goto(at('other.localhost', '/direct')));
    const bounce = at('other.localhost', '/bounced');
    await refused(page, () => page.goto(at('site.localhost', `/redirect?to=${encodeURIComponent(bounce)}`)));
    await page.goto(at('site.localhost', '/again'));
    // From a timer, so evaluate returns before the refused navigation replaces the document.
    await refused(page, () => page.evaluate((to) => void setTimeout(() => (location.href = to)), at('other.localhost', '/scripted')), null);
    const restricted = session.blockedRequests.filter((b) => b.reason === 'restricted_host');
    expect(restricted).toHaveLength(3);
    expect(hits.filter((h) => h.startsWith('other.localhost'))).toEqual([]);
    expect(restricted.every((b) => b.origin === at('other.localhost') && b.navigation)).toBe(true);

    // Lifted: anywhere allowed again.
    session.restrictTo(null);
    await session.page.goto(bounce);
    expect(hits).toContain('other.localhost/bounced');
    await pool.close('task-restrict');
  });
});

describe('lifecycle', () => {
  it('relaunches the browser after it crashes', async () => {
    const session = await pool.open('task-crash');
    const { pid } = pool.stats();
    process.kill(pid!, 'SIGKILL');
    await expect.poll(() => pool.stats().running, { timeout: 15_000 }).toBe(false);
    expect(pool.get('task-crash')).toBeUndefined(); // its context died with the browser
    expect(session.context.pages()).toEqual([]);

    const after = await pool.open('task-crash');
    await after.page.goto(`${base}/back`);
    expect(pool.stats()).toMatchObject({ running: true, launches: 2, crashes: 1 });
    expect(pool.stats().pid).not.toBe(pid);
    await expect.poll(() => isAlive(pid!), { timeout: 15_000 }).toBe(false);
  });

  it('closeAll leaves no Chromium process behind', async () => {
    await pool.open('task-last');
    const { pid } = pool.stats();
    const profile = userDataDir(pid!);
    expect(processesMatching(profile).length).toBeGreaterThan(1); // browser, renderer, GPU…
    await pool.closeAll();
    expect(pool.stats()).toMatchObject({ running: false, sessions: 0, pid: null });
    await expect.poll(() => processesMatching(profile), { timeout: 15_000 }).toEqual([]);
    await expect.poll(() => isAlive(pid!), { timeout: 15_000 }).toBe(false);
  });
});

describe('findChromium', () => {
  it('uses the configured path, then the Debian paths', () => {
    expect(findChromium(chromiumPath)).toBe(chromiumPath);
    expect(findChromium(undefined)).toBe('/usr/bin/chromium');
  });

  it('says how to install Chromium when there is none', () => {
    expect(() => findChromium('/nope/chromium')).toThrow(ChromiumNotFoundError);
    expect(() => findChromium('/nope/chromium')).toThrow(/CHROMIUM_PATH is \/nope\/chromium.*apt-get install -y chromium/);
    expect(() => findChromium(undefined, ['/nope/a', '/nope/b'])).toThrow(/looked for \/nope\/a, \/nope\/b.*apt-get install -y chromium/);
  });
});

/**
 * Runs `navigate`, which must end in a refused main-frame navigation, and waits for
 * Chromium's error page to commit. For a refused redirect hop that commit comes after
 * goto has rejected, and would interrupt the next navigation if we did not wait.
 */
async function refused(page: Page, navigate: () => Promise<unknown>, error: RegExp | null = /ERR_BLOCKED_BY_CLIENT/) {
  const errorPage = page.waitForEvent('framenavigated', {
    predicate: (frame) => frame === page.mainFrame() && frame.url().startsWith('chrome-error:'),
    timeout: 15_000,
  });
  if (error) await expect(navigate()).rejects.toThrow(error);
  else await navigate();
  await errorPage;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    // A zombie still answers signal 0; it is dead for our purposes.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** The temporary profile Playwright gives the browser; every Chromium process of it names it. */
function userDataDir(pid: number): string {
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const flag = args.find((a) => a.startsWith('--user-data-dir='));
  if (!flag) throw new Error('no --user-data-dir on the browser command line');
  return flag.slice('--user-data-dir='.length);
}

function processesMatching(text: string): string[] {
  try {
    return execFileSync('pgrep', ['-f', text], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}
