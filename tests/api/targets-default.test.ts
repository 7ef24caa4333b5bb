// The API with a fresh deployment's configuration (NODE_ENV, REKEY_SANDBOX and
// REKEY_ALLOW_PRIVATE_TARGETS all unset): a reset, webhook or mailbox on a
// private address is refused with 400 target_not_allowed, except the
// sandbox's own listeners (SPEC "Reset targets").
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { forEachDatabase } from '../support/test-db.js';
import { testConfig } from '../support/test-config.js';
import { APP_ORIGIN, createResetApi, errorOf, request, signedInPerson, type ResetApi } from './tasks-support.js';

const DEFAULTS = { NODE_ENV: undefined, REKEY_SANDBOX: undefined, REKEY_ALLOW_PRIVATE_TARGETS: undefined, REKEY_WORKER_CHECK: 'false' };

forEachDatabase('private targets with the default configuration', (get) => {
  let api: ResetApi;
  beforeAll(() => {
    const queue = `targets-default-${randomBytes(4).toString('hex')}`; // no worker polls it
    api = createResetApi({ config: testConfig({ DATABASE_URL: get().url, TEMPORAL_TASK_QUEUE: queue, ...DEFAULTS }), db: get().db });
  });
  afterAll(() => api?.close());

  it('the configuration is the one a deployment gets when it sets nothing', () => {
    expect(api.deps.config.env).toBe('development');
    expect(api.deps.config.allowPrivateTargets).not.toBe(true);
  });

  describe('POST /api/tasks/reset', () => {
    it('400 target_not_allowed for loopback and private targets that are not the sandbox', async () => {
      for (const serviceUrl of ['http://127.0.0.1:5432/', 'http://localhost:8233/', 'http://10.0.0.1/', 'http://papercrane.localhost:4601/', 'http://[::1]:4600/']) {
        const person = await signedInPerson(get().db);
        const res = await request(api, 'POST', '/api/tasks/reset', { person, origin: APP_ORIGIN, body: { serviceUrl, email: person.email } });
        expect(res.status, serviceUrl).toBe(400);
        expect(await errorOf(res), serviceUrl).toMatchObject({ code: 'target_not_allowed', field: 'serviceUrl' });
      }
      expect(await get().db.task.count({ where: { serviceUrl: { contains: '5432' } } })).toBe(0);
    });

    it('201 for a sandbox site on the sandbox web port', async () => {
      const person = await signedInPerson(get().db);
      const res = await request(api, 'POST', '/api/tasks/reset', { person, origin: APP_ORIGIN, body: { serviceUrl: 'http://papercrane.localhost:4600/', email: person.email } });
      expect(res.status).toBe(201);
    });
  });

  it('POST /api/webhooks: 400 for a loopback receiver', async () => {
    const person = await signedInPerson(get().db);
    const res = await request(api, 'POST', '/api/webhooks', { person, origin: APP_ORIGIN, body: { url: 'http://127.0.0.1:9000/hook', events: ['reset.failed'] } });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'target_not_allowed', field: 'url' });
  });

  it('PUT /api/mailbox: 400 for a loopback IMAP server other than the sandbox’s; the sandbox mailbox is accepted', async () => {
    const person = await signedInPerson(get().db, undefined, { mailbox: false });
    const settings = { host: '127.0.0.1', secure: false, user: 'demo@sandbox.local', password: 'not a real password' };
    const refused = await request(api, 'PUT', '/api/mailbox', { person, origin: APP_ORIGIN, body: { ...settings, port: 143 } });
    expect(refused.status).toBe(400);
    expect(await errorOf(refused)).toMatchObject({ code: 'target_not_allowed', field: 'host' });
    const sandbox = await request(api, 'PUT', '/api/mailbox', { person, origin: APP_ORIGIN, body: { ...settings, port: 4143 } });
    expect(sandbox.status).toBe(200);
  });
});
