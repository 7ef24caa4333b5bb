// The defaults a fresh deployment gets when it sets nothing (NODE_ENV unset is
// development): private targets are refused except the sandbox's own
// listeners, exactly their address and port (SPEC "Reset targets").
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lib/config.js';
import { assertAllowedHost, assertAllowedTarget, MAILBOX_PROTOCOLS } from '../../lib/net/target-guard.js';

const base = { REKEY_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') };
const noDns = async () => Promise.reject(new Error('no DNS in this test'));

async function verdict(url: string, allowPrivate: ReturnType<typeof loadConfig>['allowPrivateTargets']): Promise<string> {
  const protocols = url.startsWith('imap') ? MAILBOX_PROTOCOLS : undefined;
  try {
    await assertAllowedTarget(url, { allowPrivate, resolver: noDns, protocols });
    return 'allowed';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  }
}

describe('private targets by default (REKEY_ALLOW_PRIVATE_TARGETS unset)', () => {
  it('NODE_ENV unset, sandbox on: only the sandbox web and IMAP listeners are reachable', async () => {
    const { allowPrivateTargets } = loadConfig({ ...base });
    const allowed = ['http://papercrane.localhost:4600/forgot', 'http://localhost:4600/', 'http://127.0.0.1:4600/', 'imap://127.0.0.1:4143', 'imap://localhost:4143'];
    const refused = [
      'http://127.0.0.1:5432/', // the database
      'http://localhost:8233/', // the Temporal UI
      'http://localhost:3000/api/health', // the app itself
      'http://papercrane.localhost:4601/', // a neighbour of the sandbox port
      'http://papercrane.localhost/', // port 80
      'http://10.0.0.1:4600/', // a private network at the sandbox's port
      'http://[::1]:4600/', // the sandbox listens on 127.0.0.1, not ::1
      'imap://127.0.0.1:993',
    ];
    for (const url of allowed) expect(await verdict(url, allowPrivateTargets), url).toBe('allowed');
    for (const url of refused) expect(await verdict(url, allowPrivateTargets), url).toBe('target_not_allowed');
    // A bare host (no port known) is never one of the listeners.
    await expect(assertAllowedHost('127.0.0.1', { allowPrivate: allowPrivateTargets })).rejects.toMatchObject({ code: 'target_not_allowed' });
    await expect(assertAllowedHost('127.0.0.1', { allowPrivate: allowPrivateTargets }, 4143)).resolves.toMatchObject({ addresses: ['127.0.0.1'] });
  });

  it('the listeners follow REKEY_SANDBOX_PORT / REKEY_SANDBOX_IMAP_PORT', async () => {
    const { allowPrivateTargets } = loadConfig({ ...base, REKEY_SANDBOX_PORT: '5700', REKEY_SANDBOX_IMAP_PORT: '5143' });
    expect(await verdict('http://papercrane.localhost:5700/', allowPrivateTargets)).toBe('allowed');
    expect(await verdict('imap://127.0.0.1:5143', allowPrivateTargets)).toBe('allowed');
    expect(await verdict('http://papercrane.localhost:4600/', allowPrivateTargets)).toBe('target_not_allowed');
  });

  it('sandbox off (production by default): nothing private at all', async () => {
    for (const env of [{ REKEY_SANDBOX: 'off' }, { NODE_ENV: 'production' }]) {
      const { allowPrivateTargets } = loadConfig({ ...base, ...env });
      expect(await verdict('http://papercrane.localhost:4600/', allowPrivateTargets)).toBe('target_not_allowed');
      expect(await verdict('imap://127.0.0.1:4143', allowPrivateTargets)).toBe('target_not_allowed');
    }
  });

  it('REKEY_ALLOW_PRIVATE_TARGETS=true allows every private target; metadata stays refused', async () => {
    const { allowPrivateTargets } = loadConfig({ ...base, REKEY_ALLOW_PRIVATE_TARGETS: 'true' });
    expect(await verdict('http://127.0.0.1:5432/', allowPrivateTargets)).toBe('allowed');
    expect(await verdict('http://169.254.169.254/', allowPrivateTargets)).toBe('target_not_allowed');
    const off = loadConfig({ ...base, REKEY_ALLOW_PRIVATE_TARGETS: 'false' }).allowPrivateTargets;
    expect(await verdict('http://papercrane.localhost:4600/', off)).toBe('target_not_allowed');
  });
});
