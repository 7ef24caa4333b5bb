// /codec/* for the Temporal Web UI: a staff API key always works; the loopback
// bypass (no key, a request from this machine with the UI's Origin) only with
// the explicit development setting REKEY_CODEC_DEV_BYPASS, never by default,
// never in production, never behind a proxy. The Origin header is the client's
// to choose, and behind a reverse proxy every request comes from loopback.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../lib/config.js';
import { hashToken } from '../../lib/crypto.js';
import { forEachDatabase } from '../support/test-db.js';
import { createHarness, type Harness } from './auth-support.js';

const UI_ORIGIN = 'http://localhost:8233';
const PAYLOADS = { payloads: [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"hello"').toString('base64') }] };
// What a deployment that sets nothing gets: NODE_ENV unset is development.
const UNSET = { NODE_ENV: undefined, REKEY_CODEC_DEV_BYPASS: undefined, REKEY_TRUST_PROXY: undefined };

forEachDatabase('/codec/*', (get) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const decode = (opts: { ip?: string; origin?: string; headers?: Record<string, string> } = {}) =>
    h!.app.request(
      '/codec/decode',
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(opts.origin ? { origin: opts.origin } : {}), ...opts.headers },
        body: JSON.stringify(PAYLOADS),
      },
      { incoming: { socket: { remoteAddress: opts.ip ?? '127.0.0.1' } } },
    );

  it('by default (NODE_ENV unset): a loopback caller with the UI’s Origin and no key gets 401', async () => {
    h = createHarness({ db: get().db, url: get().url, env: UNSET });
    expect(h.deps.config.env).toBe('development');
    const res = await decode({ origin: UI_ORIGIN });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });

  it('a staff API key decodes from anywhere; a key of someone who is not staff gets 403', async () => {
    h = createHarness({ db: get().db, url: get().url, env: UNSET });
    const key = async (role: 'staff' | 'user') => {
      const user = await get().db.user.create({ data: { email: `codec-${randomBytes(4).toString('hex')}@example.com`, role } });
      const secret = `rk_${randomBytes(24).toString('base64url')}`;
      await get().db.apiKey.create({ data: { userId: user.id, name: 'temporal ui', prefix: secret.slice(0, 8), keyHash: hashToken(secret) } });
      return { authorization: `Bearer ${secret}` };
    };
    const staff = await decode({ ip: '203.0.113.9', origin: UI_ORIGIN, headers: await key('staff') });
    expect(staff.status).toBe(200);
    expect(((await staff.json()) as typeof PAYLOADS).payloads).toHaveLength(1);
    expect((await decode({ ip: '203.0.113.9', headers: await key('user') })).status).toBe(403);
  });

  it('REKEY_CODEC_DEV_BYPASS=on: loopback with the UI’s Origin only, and no proxy header', async () => {
    h = createHarness({ db: get().db, url: get().url, env: { ...UNSET, REKEY_CODEC_DEV_BYPASS: 'on' } });
    expect((await decode({ origin: UI_ORIGIN })).status).toBe(200);
    expect((await decode({ ip: '::1', origin: UI_ORIGIN })).status).toBe(200);
    // A foreign Origin is stopped before the codec even looks (CSRF: 403).
    expect([401, 403]).toContain((await decode({ origin: 'http://evil.localhost:8233' })).status);
    expect((await decode({})).status).toBe(401);
    expect((await decode({ ip: '203.0.113.9', origin: UI_ORIGIN })).status).toBe(401);
    // A proxy on this machine in front of the app: the socket is loopback, the caller is not.
    expect((await decode({ origin: UI_ORIGIN, headers: { 'x-forwarded-for': '198.51.100.7' } })).status).toBe(401);
    expect((await decode({ origin: UI_ORIGIN, headers: { forwarded: 'for=198.51.100.7' } })).status).toBe(401);
  });

  it('the bypass is refused with REKEY_TRUST_PROXY and in production, naming the variable', () => {
    const base = { REKEY_MASTER_KEY: Buffer.alloc(32, 1).toString('base64'), REKEY_CODEC_DEV_BYPASS: 'on' };
    expect(() => loadConfig({ ...base, REKEY_TRUST_PROXY: '1' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, REKEY_TRUST_PROXY: '1' })).toThrow(/REKEY_CODEC_DEV_BYPASS/);
    expect(() => loadConfig({ ...base, NODE_ENV: 'production' })).toThrow(/REKEY_CODEC_DEV_BYPASS/);
  });
});
