// What the browser tests share: the real app served over HTTP on a free port
// (so the browser sees real cookies, CSP and SSE), one Chromium per file,
// axe-core checks and screenshots under test-results/web/.
import { serve, type ServerType } from '@hono/node-server';
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { AppDeps } from '../../api/context.js';
import type { Catalog } from '../../catalog/index.js';
import { projectRoot, type Config } from '../../lib/config.js';
import type { Db } from '../../lib/db/index.js';
import { ensureWebBuilt } from '../../scripts/build-web.js';
import { launchBrowser } from '../support/chromium.js';
import { createTestApp } from '../support/test-app.js';

export const screenshotDir = path.join(projectRoot, 'test-results', 'web');

export interface ServedApp {
  origin: string;
  deps: AppDeps;
  close(): Promise<void>;
}

/** createApp with the real deps, listening on 127.0.0.1:port (config.appOrigin: http://127.0.0.1:port, or http://localhost:port outside production). */
export async function serveApp(opts: { config: Config; db: Db; catalog?: Catalog; port: number }): Promise<ServedApp> {
  await ensureWebBuilt({ log: () => undefined });
  const { app, deps, close } = createTestApp({ config: opts.config, db: opts.db, catalog: opts.catalog });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: '127.0.0.1' }, () => resolve(s));
  });
  return {
    origin: `http://127.0.0.1:${opts.port}`,
    deps,
    async close() {
      // Open SSE streams would hold close() forever.
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await close();
    },
  };
}

export { launchBrowser };

/**
 * A context whose pages fail the test on any CSP violation or uncaught page
 * error (the UI must run under the API's CSP as it is, with no inline script
 * or style).
 */
export async function newContext(browser: Browser, options: Parameters<Browser['newContext']>[0] = {}): Promise<BrowserContext & { problems: string[] }> {
  const context = (await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options })) as BrowserContext & { problems: string[] };
  context.problems = [];
  context.on('page', (page) => watch(page, context.problems));
  return context;
}

function watch(page: Page, problems: string[]) {
  page.on('console', (msg) => {
    const text = msg.text();
    if (/content security policy/i.test(text)) problems.push(`CSP: ${text}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core in the page (evaluated through the DevTools protocol, which the page's CSP does not govern): no serious or critical violation. */
export async function expectAccessible(page: Page, name: string): Promise<void> {
  const hasAxe = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined');
  if (!hasAxe) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `${name}: ${JSON.stringify(bad, null, 2)}`).toEqual([]);
}

/** Nothing hostile ran and no script-bearing URL reached the DOM. */
export async function expectNoScriptInjection(page: Page): Promise<void> {
  const found = await page.evaluate(() => {
    const out: string[] = [];
    if ((window as unknown as { __xss?: unknown }).__xss !== undefined) out.push(`window.__xss = ${String((window as unknown as { __xss?: unknown }).__xss)}`);
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        const value = attr.value.replace(/[\s\u0000-\u001f]+/g, '').toLowerCase();
        if (/^(javascript|vbscript|data:text\/html)/.test(value) && ['href', 'src', 'action', 'formaction', 'xlink:href'].includes(attr.name)) {
          out.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value}">`);
        }
        if (attr.name.startsWith('on')) out.push(`<${el.tagName.toLowerCase()} ${attr.name}>`);
      }
    }
    const root = document.getElementById('root');
    for (const tag of ['script', 'iframe', 'object', 'embed', 'style']) {
      if (root?.querySelector(tag)) out.push(`a <${tag}> inside the app`);
    }
    if (root?.querySelector('img[src="x"]')) out.push('the hostile <img src=x> was rendered');
    return out;
  });
  expect(found).toEqual([]);
}

/** The page fits a phone screen: nothing wider than the viewport. */
export async function expectNoHorizontalScroll(page: Page): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, width: window.innerWidth }));
  expect(scroll, 'page is wider than the screen').toBeLessThanOrEqual(width);
}
