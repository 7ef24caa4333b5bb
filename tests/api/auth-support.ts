// Helpers for the account API tests: the real app over a real database, a
// movable clock, an outbox (nodemailer's jsonTransport, no server), and a
// tiny cookie-keeping client that can pretend to come from any address.
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type { AppDeps } from '../../api/context.js';
import { argon2Hasher, type PasswordHashCost, type PasswordHasher } from '../../lib/accounts/password-hash.js';
import { totpFor } from '../../lib/accounts/totp.js';
import type { Db } from '../../lib/db/index.js';
import { createMailer } from '../../lib/email/mailer.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';

export const PASSWORD = 'correct horse battery staple';

export interface SentEmail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export class TestClock {
  private offsetMs = 0;
  now = (): Date => new Date(Date.now() + this.offsetMs);
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/** One piece of argon2 work: `m=…,t=…,p=…` is its cost (for a verification, the cost of the hash checked against). */
export interface HashWork {
  kind: 'hash' | 'verify';
  cost: string;
}

export const costLabel = (cost: PasswordHashCost) => `m=${cost.memoryCost},t=${cost.timeCost},p=${cost.parallelism}`;

/** The cost a PHC-format argon2 hash was made with (its `$m=…,t=…,p=…$` part, in any order). */
function costOfHash(hash: string | null | undefined): string {
  const params = (hash ?? '').split('$').find((part) => /^([a-z]=\d+,)*m=\d+(,[a-z]=\d+)*$/.test(part));
  if (!params) return 'not an argon2 hash';
  const p = Object.fromEntries(params.split(',').map((kv) => kv.split('=')));
  return costLabel({ memoryCost: Number(p.m), timeCost: Number(p.t), parallelism: Number(p.p) });
}

/** Real argon2id that also writes down every hash and verification it does. */
export class CountingHasher implements PasswordHasher {
  readonly work: HashWork[] = [];
  hash = (cost: PasswordHashCost, password: string): Promise<string> => {
    this.work.push({ kind: 'hash', cost: costLabel(cost) });
    return argon2Hasher.hash(cost, password);
  };
  verify = (hash: string | null | undefined, password: string): Promise<boolean> => {
    this.work.push({ kind: 'verify', cost: costOfHash(hash) });
    return argon2Hasher.verify(hash, password);
  };
  /** The work done while `fn` ran. */
  async during(fn: () => Promise<unknown>): Promise<HashWork[]> {
    const from = this.work.length;
    await fn();
    return this.work.slice(from);
  }
}

export type TestApp = ReturnType<typeof createTestApp>['app'];

export interface Harness {
  app: TestApp;
  deps: AppDeps;
  clock: TestClock;
  outbox: SentEmail[];
  /** Every argon2 hash and verification of sign-up and sign-in. */
  hasher: CountingHasher;
  close(): Promise<void>;
  browser(opts?: { ip?: string; userAgent?: string; origin?: string }): Browser;
  /** A new account, signed in on a new browser. */
  signUp(opts?: { email?: string; password?: string; ip?: string }): Promise<{ browser: Browser; email: string; password: string; userId: string }>;
}

export function createHarness(opts: { db: Db; url: string; env?: Record<string, string | undefined>; mail?: boolean }): Harness {
  const config = testConfig({ DATABASE_URL: opts.url, ...opts.env });
  const t = createTestApp({ config, db: opts.db });
  const clock = new TestClock();
  const outbox: SentEmail[] = [];
  t.deps.now = clock.now;
  const hasher = new CountingHasher();
  t.deps.passwordHasher = hasher;
  if (opts.mail !== false && !opts.env?.SMTP_URL) {
    const transport = nodemailer.createTransport({ jsonTransport: true });
    const send = transport.sendMail.bind(transport);
    transport.sendMail = (async (message: Parameters<typeof send>[0]) => {
      const info = await send(message);
      const parsed = JSON.parse(info.message as unknown as string) as { to: { address: string }[]; subject: string; text: string; html: string };
      outbox.push({ to: parsed.to[0]!.address, subject: parsed.subject, text: parsed.text, html: parsed.html });
      return info;
    }) as typeof transport.sendMail;
    t.deps.mailer = createMailer({ from: config.smtp.from, transport });
  }
  const harness: Harness = {
    app: t.app,
    deps: t.deps,
    clock,
    outbox,
    hasher,
    close: t.close,
    browser: (o) => new Browser(t.app, o),
    async signUp(o = {}) {
      const email = o.email ?? uniqueEmail();
      const password = o.password ?? PASSWORD;
      const browser = new Browser(t.app, { ip: o.ip });
      const res = await browser.post('/api/auth/signup', { email, password });
      if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
      const { user } = (await res.json()) as { user: { id: string } };
      return { browser, email, password, userId: user.id };
    },
  };
  return harness;
}

export const uniqueEmail = () => `person-${randomBytes(5).toString('hex')}@example.com`;

/** A public-looking IPv4 address, different each call. */
export const randomIp = () => `203.0.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0]! % 254)}`;

export interface RequestOptions {
  headers?: Record<string, string>;
  /** Skip the cookie jar for this request. */
  noCookies?: boolean;
}

/** Keeps cookies like a browser (by name; attributes are checked by the tests themselves). */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly ip: string;
  readonly userAgent: string;
  readonly origin?: string;

  constructor(
    private readonly app: TestApp,
    opts: { ip?: string; userAgent?: string; origin?: string } = {},
  ) {
    this.ip = opts.ip ?? randomIp();
    this.userAgent = opts.userAgent ?? 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
    this.origin = opts.origin;
  }

  async request(path: string, init: RequestInit & RequestOptions = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('user-agent', this.userAgent);
    if (this.origin && !headers.has('origin')) headers.set('origin', this.origin);
    if (!init.noCookies && this.cookies.size > 0 && !headers.has('cookie')) {
      headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    }
    const res = await this.app.request(path, { ...init, headers }, { incoming: { socket: { remoteAddress: this.ip } } });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string, opts: RequestOptions = {}) {
    return this.request(path, { method: 'GET', ...opts });
  }

  post(path: string, body?: unknown, opts: RequestOptions = {}) {
    return this.send('POST', path, body, opts);
  }

  delete(path: string, opts: RequestOptions = {}) {
    return this.request(path, { method: 'DELETE', ...opts });
  }

  send(method: string, path: string, body?: unknown, opts: RequestOptions = {}) {
    return this.request(path, {
      method,
      ...opts,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  /** Sudo for this browser (5 minutes). */
  async sudo(password = PASSWORD): Promise<void> {
    const res = await this.post('/api/auth/sudo', { password });
    if (res.status !== 200) throw new Error(`sudo failed: ${res.status} ${await res.text()}`);
  }
}

export function totpCode(secret: string, at: Date): string {
  return totpFor(secret, 'test').generate({ timestamp: at.getTime() });
}

/** Turns 2FA on for a signed-in browser; returns the secret and recovery codes. */
export async function enableTwoFactor(h: Harness, browser: Browser): Promise<{ secret: string; recoveryCodes: string[] }> {
  const setup = (await (await browser.post('/api/account/2fa/setup')).json()) as { secret: string };
  const res = await browser.post('/api/account/2fa/enable', { secret: setup.secret, code: totpCode(setup.secret, h.clock.now()) });
  if (res.status !== 200) throw new Error(`enable failed: ${res.status} ${await res.text()}`);
  const { recoveryCodes } = (await res.json()) as { recoveryCodes: string[] };
  // The enabling code's step is used up: move on a step so sign-in codes are fresh.
  h.clock.advance(30_000);
  return { secret: setup.secret, recoveryCodes };
}

export async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

/** For expect.poll on background work (emails): generous, since test machines are busy. */
export const POLL = { timeout: 15_000, interval: 25 };
