import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { createControlApp } from './control.js';
import { sandboxFetch, type SandboxRequestInit } from './http-client.js';
import { buildMimeMessage, formatAddress } from './mail.js';
import { SessionStore } from './site-kit.js';
import { siteDefinitions } from './sites/index.js';
import type {
  BuiltSite,
  Clock,
  CreateUserInput,
  OnConflict,
  RequestLogEntry,
  SiteContext,
  SiteDefinition,
  SiteInfo,
  SiteQuirks,
  UserView,
} from './types.js';
import { normalizeEmail, UserStore } from './user-store.js';

export type * from './types.js';
export { sandboxFetch, localhostLookup } from './http-client.js';
export { UserExistsError } from './user-store.js';
export { createSandboxClient, SandboxControlError, type SandboxClient } from './control-client.js';

export interface SandboxOptions {
  /** 0 or absent: a free port. */
  port?: number;
  /** Interface to bind; loopback unless told otherwise. */
  hostname?: string;
  /** Called with each site email as a raw RFC 5322 message (e.g. Dovecot's APPEND). */
  deliver: (to: string, raw: string) => Promise<void>;
  /** Called when a site "texts" a code to a phone. */
  sms?: (phone: string, text: string) => void;
  /** When set, each site's users and tokens persist in `<dataDir>/<slug>.json`. */
  dataDir?: string;
  /** Lifetime of reset links and emailed codes; default 30 minutes. */
  tokenTtlMs?: number;
  /** Lifetime of texted codes; default 10 minutes. */
  smsTtlMs?: number;
  /** Serve only these slugs (default: all). */
  sites?: string[];
}

export interface Sandbox {
  port: number;
  /** `http://<slug>.localhost:<port>` */
  origin(slug: string): string;
  /** Base URL of the JSON control API reachable without `*.localhost` resolution. */
  controlUrl: string;
  sites: SiteInfo[];
  site(slug: string): SiteInfo;
  createUser(slug: string, input: CreateUserInput, options?: { onConflict?: OnConflict }): UserView;
  getUser(slug: string, email: string): UserView | undefined;
  checkPassword(slug: string, email: string, password: string): boolean;
  /** The newest code texted to the user (site 7); never emailed. */
  lastSmsCode(slug: string, email: string): string | undefined;
  /** CAPTCHA sites: tile indices that solve the newest open challenge, as a person would see them. */
  captchaSolution(slug: string): number[] | undefined;
  /** Requests received for a host: a slug (`papercrane`) or any hostname (`evil-papercrane.localhost`). */
  requestLog(slugOrHost: string): RequestLogEntry[];
  clearRequestLog(slugOrHost?: string): void;
  /** Moves the sandbox clock (token and code expiry) forward. TOTP keeps wall-clock time. */
  advanceClock(ms: number): void;
  /** Replaces a site's quirks (`{}` clears them). */
  setQuirks(slug: string, quirks: SiteQuirks): void;
  now(): number;
  /** Node-side request to a sandbox URL (`*.localhost` → 127.0.0.1, no redirects followed). */
  fetch(url: string, init?: SandboxRequestInit): Promise<Response>;
  stop(): Promise<void>;
}

const MAX_LOG_ENTRIES = 5000;
const CONTROL_HOST = 'control.localhost';

function hostnameOf(hostHeader: string | undefined): string {
  if (!hostHeader) return '';
  const host = hostHeader.trim().toLowerCase();
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  return host.replace(/:\d+$/, '').replace(/\.$/, '');
}

function listen(options: { port: number; hostname: string; fetch: (request: Request) => Promise<Response> | Response }): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: options.fetch, port: options.port, hostname: options.hostname }, () => resolve(server));
    server.once('error', reject);
  });
}

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const definitions: SiteDefinition[] = options.sites
    ? options.sites.map((slug) => siteDefinitions.find((d) => d.slug === slug) ?? fail(`unknown sandbox site ${slug}`))
    : siteDefinitions;
  let clockOffset = 0;
  const clock: Clock = { now: () => Date.now() + clockOffset };
  const requestLogs = new Map<string, RequestLogEntry[]>();
  const smsCodes = new Map<string, string>();
  const built = new Map<string, { definition: SiteDefinition; site: BuiltSite; users: UserStore; info: SiteInfo }>();
  let control: Hono | undefined;
  let controlUnderPrefix: Hono | undefined;
  const quirksBySlug = new Map<string, SiteQuirks>();
  // Stalled requests are answered when the client gives up or the sandbox stops.
  const stalled = new Set<() => void>();
  const stall = (request: Request) =>
    new Promise<Response>((resolve) => {
      const release = () => {
        stalled.delete(release);
        resolve(new Response('stalled', { status: 504 }));
      };
      stalled.add(release);
      request.signal.addEventListener('abort', release, { once: true });
    });

  const record = (entry: RequestLogEntry) => {
    let log = requestLogs.get(entry.host);
    if (!log) requestLogs.set(entry.host, (log = []));
    log.push(entry);
    if (log.length > MAX_LOG_ENTRIES) log.splice(0, log.length - MAX_LOG_ENTRIES);
  };

  const foreign = (host: string) =>
    new Response(`<!DOCTYPE html><title>Not found</title><h1>Not found</h1><p>No site is configured for ${host.replace(/[<>&"]/g, '')}.</p>`, {
      status: 404,
      headers: { 'Content-Type': 'text/html; charset=utf-8' },
    });

  const dispatch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const host = hostnameOf(request.headers.get('host') ?? url.host);
    const at = Date.now();
    let response: Response;
    const slug = host.endsWith('.localhost') ? host.slice(0, -'.localhost'.length) : undefined;
    const site = slug ? built.get(slug) : undefined;
    const quirks = slug ? quirksBySlug.get(slug) : undefined;
    if (site && quirks?.stallPathPrefix && request.method === 'GET' && url.pathname.startsWith(quirks.stallPathPrefix)) {
      // Logged as it arrives: the answer (504) comes only when the client gives up, maybe never.
      record({ host, method: request.method, path: `${url.pathname}${url.search}`, status: 504, at });
      return stall(request);
    }
    if (site && quirks?.captchaOnSignIn && request.method === 'GET' && url.pathname === site.definition.loginPath) {
      response = captchaOnlyPage(site.definition.name);
    } else if (site) {
      const changesBefore = site.users.passwordChangeCount();
      response = await site.site.app.fetch(request);
      if (quirks?.holdAnswerAfterPasswordSet && site.users.passwordChangeCount() > changesBefore) {
        record({ host, method: request.method, path: `${url.pathname}${url.search}`, status: 504, at });
        return stall(request);
      }
      if (quirks?.readonlyNewPasswordUntilFocus) response = await readonlyUntilFocus(response);
      if (quirks?.silentAfterPasswordSet && request.method === 'POST') response = await silentSuccess(response, site.definition);
    }
    else if (host === CONTROL_HOST && control) response = await control.fetch(request);
    else if ((host === '127.0.0.1' || host === 'localhost' || host === '[::1]') && controlUnderPrefix) {
      response = url.pathname === '/' ? Response.redirect(`${url.origin}/_sandbox/sites`, 302) : await controlUnderPrefix.fetch(request);
    } else response = foreign(host);
    record({ host, method: request.method, path: `${url.pathname}${url.search}`, status: response.status, at });
    return response;
  };

  const server = await listen({ port: options.port ?? 0, hostname: options.hostname ?? '127.0.0.1', fetch: dispatch });
  const port = (server.address() as AddressInfo).port;
  const origin = (slug: string) => `http://${slug}.localhost:${port}`;

  for (const definition of definitions) {
    const host = `${definition.slug}.localhost`;
    const users = new UserStore(clock, options.dataDir ? join(options.dataDir, `${definition.slug}.json`) : undefined);
    const mailFrom = formatAddress(definition.name, `no-reply@${host}`);
    const context: SiteContext = {
      slug: definition.slug,
      name: definition.name,
      origin: origin(definition.slug),
      host,
      language: definition.language,
      users,
      sessions: new SessionStore(definition.sessionCookie, clock),
      clock,
      tokenTtlMs: options.tokenTtlMs ?? 30 * 60_000,
      smsTtlMs: options.smsTtlMs ?? 10 * 60_000,
      mailFrom,
      sendMail: async (mail) => {
        const raw = buildMimeMessage({
          from: mailFrom,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          encoding: mail.encoding,
          headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All', ...mail.headers },
        });
        await options.deliver(mail.to, raw);
      },
      sendSms: (email, phone, code, text) => {
        smsCodes.set(`${definition.slug}:${normalizeEmail(email)}`, code);
        options.sms?.(phone, text);
      },
    };
    const info: SiteInfo = {
      slug: definition.slug,
      name: definition.name,
      description: definition.description,
      kind: definition.kind,
      origin: context.origin,
      domains: [host],
      homeUrl: `${context.origin}/`,
      loginUrl: `${context.origin}${definition.loginPath}`,
      ...(definition.resetPath ? { resetUrl: `${context.origin}${definition.resetPath}` } : {}),
      ...(definition.changePasswordPath ? { changePasswordUrl: `${context.origin}/.well-known/change-password` } : {}),
      language: definition.language,
      ...(definition.passwordPolicy ? { passwordPolicy: definition.passwordPolicy } : {}),
      captcha: definition.captcha ?? false,
      otp: definition.otp,
      emailFrom: `no-reply@${host}`,
      successText: definition.successText,
    };
    built.set(definition.slug, { definition, site: definition.build(context), users, info });
  }

  const entry = (slug: string) => built.get(slug) ?? fail(`unknown sandbox site ${slug}`);
  const logKey = (slugOrHost: string) => {
    const key = slugOrHost.toLowerCase();
    return key.includes('.') || key.includes(':') ? hostnameOf(key) : `${key}.localhost`;
  };

  const sandbox: Sandbox = {
    port,
    origin,
    controlUrl: `http://127.0.0.1:${port}/_sandbox`,
    sites: [...built.values()].map((b) => b.info),
    site: (slug) => entry(slug).info,
    createUser: (slug, input, createOptions) => {
      const { users } = entry(slug);
      return users.view(users.create(input, createOptions?.onConflict));
    },
    getUser: (slug, email) => {
      const { users } = entry(slug);
      const user = users.findByEmail(email);
      return user ? users.view(user) : undefined;
    },
    checkPassword: (slug, email, password) => !!entry(slug).users.authenticate(email, password),
    lastSmsCode: (slug, email) => smsCodes.get(`${slug}:${normalizeEmail(email)}`),
    captchaSolution: (slug) => entry(slug).site.captchaSolution?.(),
    requestLog: (slugOrHost) => [...(requestLogs.get(logKey(slugOrHost)) ?? [])],
    clearRequestLog: (slugOrHost) => {
      if (slugOrHost) requestLogs.delete(logKey(slugOrHost));
      else requestLogs.clear();
    },
    advanceClock: (ms) => {
      clockOffset += ms;
    },
    now: () => clock.now(),
    setQuirks: (slug, quirks) => {
      entry(slug);
      quirksBySlug.set(slug, { ...quirks });
    },
    fetch: (url, init) => sandboxFetch(url, init),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        for (const release of [...stalled]) release();
        server.close((error) => (error ? reject(error) : resolve()));
        (server as { closeAllConnections?: () => void }).closeAllConnections?.();
      }),
  };

  control = createControlApp(sandbox);
  controlUnderPrefix = new Hono().route('/_sandbox', control);
  return sandbox;
}

const READONLY_UNTIL_FOCUS_SCRIPT = `<script>document.addEventListener('focusin',function(e){var t=e.target;if(t&&t.matches&&t.matches('input[autocomplete="new-password"]'))t.removeAttribute('readonly')})</script>`;

/** The page's new-password inputs made `readonly` until a person focuses them. */
/** A change the site took, answered with a bare redirect to its sign-in page instead of its success text. */
async function silentSuccess(response: Response, site: SiteDefinition): Promise<Response> {
  if (!(response.headers.get('content-type') ?? '').includes('text/html')) return response;
  const page = await response.text();
  if (!page.includes(site.successText)) return new Response(page, response);
  return new Response(null, { status: 303, headers: { Location: site.loginPath } });
}

function captchaOnlyPage(name: string): Response {
  const page =
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${name}: security check</title></head>` +
    `<body><main><h1>Security check</h1><p>Before you sign in, please verify that you are human.</p>` +
    `<label><input type="checkbox" name="not-a-robot"> I'm not a robot</label></main></body></html>`;
  return new Response(page, { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' } });
}

async function readonlyUntilFocus(response: Response): Promise<Response> {
  if (!(response.headers.get('content-type') ?? '').includes('text/html')) return response;
  const page = await response.text();
  if (!page.includes('autocomplete="new-password"')) return new Response(page, response);
  const changed = page.replace(/<input\b(?=[^>]*autocomplete="new-password")/g, '<input readonly');
  const body = changed.includes('</body>') ? changed.replace('</body>', `${READONLY_UNTIL_FOCUS_SCRIPT}</body>`) : changed + READONLY_UNTIL_FOCUS_SCRIPT;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(body, { status: response.status, statusText: response.statusText, headers });
}

function fail(message: string): never {
  throw new Error(message);
}
