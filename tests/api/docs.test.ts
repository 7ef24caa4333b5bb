// GET /api/openapi.json lists every route the app serves; GET /docs renders
// every operation from it, and does so under the app's CSP (no inline styles
// or scripts): checked in real Chromium, which reports any CSP violation.
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/chromium.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';
import { onDatabase } from '../support/test-db.js';

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

interface OpenApi {
  paths: Record<string, Partial<Record<(typeof METHODS)[number], { summary?: string; requestBody?: unknown; responses?: Record<string, unknown> }>>>;
}

// The document and the page do not depend on the database: one is enough.
onDatabase('sqlite', 'API reference', (get) => {
  let t: ReturnType<typeof createTestApp>;
  let doc: OpenApi;

  beforeAll(async () => {
    const { db, url } = get();
    t = createTestApp({ config: testConfig({ DATABASE_URL: url }), db });
    const res = await t.app.request('/api/openapi.json');
    expect(res.status).toBe(200);
    doc = (await res.json()) as OpenApi;
  });
  afterAll(async () => {
    await t?.close();
  });

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) => METHODS.filter((m) => item[m]).map((method) => ({ method, path, op: item[method]! })));

  describe('GET /api/openapi.json', () => {
    it('lists every route the app serves', () => {
      const served = new Set(
        t.app.routes
          .filter((r) => r.method !== 'ALL' && !r.path.includes('*'))
          .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
      );
      const documented = new Set(operations().map((o) => `${o.method} ${o.path}`));
      expect([...served].filter((route) => !documented.has(route))).toEqual([]);
      expect([...documented].filter((route) => !served.has(route))).toEqual([]);
    });

    it('describes the vault, services, mailbox, discovery and docs routes with their schemas', () => {
      const expected = [
        'get /api/passwords',
        'post /api/passwords',
        'get /api/passwords/{id}',
        'patch /api/passwords/{id}',
        'delete /api/passwords/{id}',
        'post /api/passwords/{id}/reveal',
        'get /api/services',
        'get /api/mailbox',
        'put /api/mailbox',
        'delete /api/mailbox',
        'post /api/mailbox/test',
        'post /api/sign-in-discovery',
        'get /docs',
        'get /docs/docs.css',
      ];
      const documented = new Map(operations().map((o) => [`${o.method} ${o.path}`, o.op]));
      for (const route of expected) {
        const op = documented.get(route);
        expect(op, route).toBeDefined();
        expect(op!.summary, route).toBeTruthy();
        expect(Object.keys(op!.responses ?? {}).length, route).toBeGreaterThan(0);
      }
      for (const route of ['post /api/passwords', 'patch /api/passwords/{id}', 'put /api/mailbox', 'post /api/sign-in-discovery']) {
        expect(documented.get(route)!.requestBody, route).toBeDefined();
      }
      expect(Object.keys(documented.get('post /api/passwords/{id}/reveal')!.responses!)).toEqual(expect.arrayContaining(['200', '401', '403', '404']));
    });
  });

  describe('GET /docs', () => {
    it('renders every operation, with parameters, schemas and curl and fetch examples', async () => {
      const res = await t.app.request('/docs');
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await res.text();
      for (const { method, path } of operations()) {
        const id = `op-${method}-${path.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
        expect(html, `${method} ${path}`).toContain(`id="${id}"`);
        expect(html).toContain(`<code class="path">${path}</code>`);
      }
      const count = (needle: string) => html.split(needle).length - 1;
      expect(count('<p class="example-label">curl</p>')).toBe(operations().length);
      expect(count('<p class="example-label">TypeScript</p>')).toBe(operations().length);
      // One operation in full: the vault's create.
      const create = html.slice(html.indexOf('id="op-post-api-passwords"'), html.indexOf('</article>', html.indexOf('id="op-post-api-passwords"')));
      expect(create).toContain('<h4>Request body');
      expect(create).toContain('<code>totpSecret</code>');
      expect(create).toContain('curl -X POST &quot;$REKEY_URL/api/passwords&quot;');
      expect(create).toContain('Authorization: Bearer $REKEY_API_KEY');
      expect(create).toContain('await fetch(`${REKEY_URL}/api/passwords`');
      expect(create).toContain('<span class="status status-2xx">201</span>');
      // Path parameters and query parameters.
      const reveal = html.slice(html.indexOf('id="op-post-api-passwords-id-reveal"'));
      expect(reveal).toContain('$ID');
      expect(reveal).toContain('rekey.sudo=$SUDO');
      expect(html).toContain('<h4>Parameters</h4>');
      expect(html).toContain('id="schema-VaultEntry"');
    });

    it('is self-contained: one same-origin stylesheet, no scripts, no inline styles, no outside addresses', async () => {
      const res = await t.app.request('/docs');
      const html = await res.text();
      expect(html).toContain('<link rel="stylesheet" href="/docs/docs.css">');
      expect(html).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
      const attributes = [...html.matchAll(/\s(?:href|src)="([^"]*)"/g)].map((m) => m[1]!);
      // Same-origin paths and anchors only; the empty data: icon spares a /favicon.ico request.
      expect(attributes.filter((a) => !a.startsWith('#') && !a.startsWith('/') && a !== 'data:,')).toEqual([]);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("style-src 'self'");
      expect(csp).not.toContain('unsafe-inline');

      const css = await t.app.request('/docs/docs.css');
      expect(css.status).toBe(200);
      expect(css.headers.get('content-type')).toMatch(/^text\/css/);
      expect(await css.text()).toContain('.method-post');
    });

    it('shows styled in Chromium under the CSP, without a single violation', async () => {
      let server: ServerType | undefined;
      let browser: Browser | undefined;
      try {
        server = await new Promise<ServerType>((resolve) => {
          const s = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
        });
        const port = (server.address() as AddressInfo).port;
        browser = await launchBrowser();
        const page = await browser.newPage();
        const problems: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error') problems.push(`${m.text()} ${m.location().url}`);
        });
        page.on('requestfailed', (r) => problems.push(`failed: ${r.url()}`));
        const response = await page.goto(`http://127.0.0.1:${port}/docs`);
        expect(response?.status()).toBe(200);
        await page.waitForLoadState('load');
        const badge = await page.locator('.method-post').first().evaluate((el) => getComputedStyle(el).backgroundColor);
        expect(badge).toBe('rgb(47, 95, 208)');
        expect(await page.title()).toBe('Rekey API reference');
        expect(problems).toEqual([]);
      } finally {
        await browser?.close();
        server?.close();
      }
    });
  });
});
