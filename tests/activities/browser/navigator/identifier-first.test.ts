// Identifier-first sign-ins: the email alone, "Continue", then the password
// step, which alone shows "Forgot password?". From the service URL (no
// catalog URLs) the navigator passes the first step with the account's email
// to find the reset page, and never presses a button that would email a
// sign-in link instead. Two small local sites, real Chromium.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createNavigator } from '../../../../activities/browser/navigator/index.js';
import { launchBrowser, newContext } from './helpers.js';
import type { Browser } from 'playwright-core';

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;

const readBody = (req: IncomingMessage) =>
  new Promise<URLSearchParams>((resolve) => {
    let raw = '';
    req.on('data', (d) => (raw += d));
    req.on('end', () => resolve(new URLSearchParams(raw)));
  });

type Route = (req: IncomingMessage, path: string) => Promise<string | undefined> | string | undefined;

/** A small local site from its pages; it records every request (method and path). Anything else is 404. */
function localSite(route: Route) {
  const seen: string[] = [];
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url ?? '/', 'http://x');
    seen.push(`${req.method} ${pathname}`);
    res.setHeader('content-type', 'text/html; charset=utf-8');
    const body = await route(req, `${req.method} ${pathname}`);
    if (body === undefined) res.statusCode = 404;
    res.end(body ?? page('Not found', ''));
  });
  return { server, seen };
}

/** Quarry: sign-in asks for the email, then the password; "Forgot password?" is on the password step only. */
const twoStepSite = () =>
  localSite(async (req, at) => {
    switch (at) {
      case 'GET /':
        return page('Quarry', '<p>Storage for your photos.</p><a href="/signin">Sign in</a>');
      case 'GET /signin':
        return page('Sign in to Quarry', '<form method="post" action="/signin"><label for="u">Email address</label><input id="u" name="email" type="email" autocomplete="username"><button type="submit">Continue</button></form>');
      case 'POST /signin': {
        const email = (await readBody(req)).get('email') ?? '';
        return page(
          'Enter your password',
          `<form method="post" action="/signin/password"><input type="hidden" name="email" value="${encodeURIComponent(email)}"><label for="p">Password</label><input id="p" name="password" type="password" autocomplete="current-password"><button type="submit">Sign in</button></form><p><a href="/account/recovery?e=${encodeURIComponent(email)}">Forgot password?</a></p>`,
        );
      }
      case 'GET /account/recovery':
        return page('Reset your password', '<p>We will email you a link to choose a new password.</p><form method="post" action="/account/recovery"><label for="e">Email</label><input id="e" name="email" type="email"><button type="submit">Send reset link</button></form>');
    }
    return undefined;
  });

/** Murmur: sign-in is by emailed link only; its one button sends one. */
const magicLinkSite = () =>
  localSite((req, at) => {
    if (at === 'GET /') return page('Murmur', '<p>Chat for small teams.</p><a href="/signin">Sign in</a>');
    if (at === 'GET /signin') {
      return page('Sign in to Murmur', '<form method="post" action="/signin/link"><label for="u">Work email</label><input id="u" name="email" type="email" autocomplete="username"><button type="submit">Email me a sign-in link</button></form>');
    }
    if (req.method === 'POST') return page('Check your email', '<p>We sent you a sign-in link.</p>');
    return undefined;
  });

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe('navigator: identifier-first sign-in', { timeout: 60_000 }, () => {
  const quarry = twoStepSite();
  const murmur = magicLinkSite();
  let quarryUrl: string;
  let murmurUrl: string;
  let browser: Browser;
  const navigator = createNavigator({ timeouts: { navigation: 15_000 } });

  beforeAll(async () => {
    quarryUrl = await listen(quarry.server);
    murmurUrl = await listen(murmur.server);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => quarry.server.close(r));
    await new Promise((r) => murmur.server.close(r));
  });

  const open = async (serviceUrl: string, accountEmail?: string) => {
    const context = await newContext(browser);
    try {
      const p = await context.newPage();
      const state = await navigator.openResetEntry(p, { serviceUrl, ...(accountEmail ? { accountEmail } : {}) });
      return { state, url: context.pages().at(-1)!.url() };
    } finally {
      await context.close();
    }
  };

  test('passes the email step with the account email, then follows the password step’s "Forgot password?"', async () => {
    const { state, url } = await open(`${quarryUrl}/`, 'ada@example.com');
    expect(state.kind).toBe('email_form');
    expect(url).toBe(`${quarryUrl}/account/recovery?e=ada%40example.com`);
    expect(quarry.seen).toContain('POST /signin');
  });

  test('without the account email it stops at the sign-in page, having submitted nothing', async () => {
    quarry.seen.length = 0;
    const { state } = await open(`${quarryUrl}/`);
    expect(state.kind).not.toBe('email_form');
    expect(quarry.seen.filter((s) => s.startsWith('POST'))).toEqual([]);
  });

  test('never presses "Email me a sign-in link" to get past a sign-in page', async () => {
    const { state } = await open(`${murmurUrl}/`, 'ada@example.com');
    expect(state.kind).not.toBe('email_sent');
    expect(murmur.seen.filter((s) => s.startsWith('POST'))).toEqual([]);
  });
});
