// api/routes/web.ts: the built UI served by the API — assets with their
// content types and long caching, index.html for the UI's own routes, and
// nothing taken from the API's paths.
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { webDistDir } from '../../api/routes/web.js';
import { ensureWebBuilt } from '../../scripts/build-web.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';
import { createTestDb, type TestDb } from '../support/test-db.js';

describe('the web UI served by the API', () => {
  let testDb: TestDb;
  let t: ReturnType<typeof createTestApp>;

  beforeAll(async () => {
    await ensureWebBuilt({ log: () => undefined });
    testDb = await createTestDb('sqlite');
    t = createTestApp({ config: testConfig({ DATABASE_URL: testDb.url, TEMPORAL_TASK_QUEUE: `web-${randomBytes(4).toString('hex')}` }), db: testDb.db });
  });
  afterAll(async () => {
    await t?.close();
    await testDb?.drop();
  });

  const get = (p: string) => t.app.request(p);

  it('index.html for / and the UI routes, revalidated each time, under the strict CSP', async () => {
    for (const p of ['/', '/chat', '/tasks/123', '/settings', '/index.html']) {
      const res = await get(p);
      expect(res.status, p).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('no-cache');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).not.toMatch(/unsafe-inline/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const html = await res.text();
      expect(html).toMatch(/<div id="root"><\/div>/);
      expect(html).not.toMatch(/<script>|<script(?![^>]*\bsrc=)[^>]*>|\sstyle=/); // no inline script or style
    }
  });

  it('hashed assets: their content type, cached for a year; a missing file is a 404, not the app', async () => {
    const assets = readdirSync(path.join(webDistDir, 'assets'));
    const js = assets.find((f) => f.endsWith('.js'))!;
    const css = assets.find((f) => f.endsWith('.css'))!;
    const jsRes = await get(`/assets/${js}`);
    expect(jsRes.status).toBe(200);
    expect(jsRes.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(jsRes.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const cssRes = await get(`/assets/${css}`);
    expect(cssRes.headers.get('content-type')).toBe('text/css; charset=utf-8');
    const missing = await get('/assets/nope-123.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/json/);
  });

  it('never serves a file outside web/dist', async () => {
    for (const p of ['/../package.json', '/..%2fpackage.json', '/%2e%2e/%2e%2e/package.json', '/assets/..%2f..%2f..%2fpackage.json', '/%00']) {
      const res = await get(p);
      const body = await res.text();
      expect(body, p).not.toMatch(/"name": "rekey"/);
    }
  });

  it('leaves the API, the phone page, the codec and the docs alone', async () => {
    const unknownApi = await get('/api/nope');
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
    const openapi = await get('/api/openapi.json');
    expect(openapi.status).toBe(200);
    expect(((await openapi.json()) as { openapi: string }).openapi).toBe('3.1.0');
    expect((await get('/otp/assets/phone-otp.css')).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await get('/otp/unknown-token')).status).toBe(404);
    expect((await get('/docs')).status).toBe(200);
    expect((await get('/codec/decode')).status).not.toBe(200);
    expect((await get('/health/live')).status).toBe(200);
  });
});
