import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../lib/config.js';

const base = { REKEY_MASTER_KEY: Buffer.alloc(32, 1).toString('base64') };

describe('account settings in the config', () => {
  it('strong argon2id defaults outside tests, cheap ones in tests', () => {
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).passwordHashing).toEqual({ memoryCost: 65_536, timeCost: 3, parallelism: 1 });
    expect(loadConfig({ ...base, NODE_ENV: 'development' }).passwordHashing.memoryCost).toBe(65_536);
    expect(loadConfig({ ...base, NODE_ENV: 'test' }).passwordHashing.memoryCost).toBeLessThan(19_456);
  });

  it('refuses a weak argon2 cost outside tests', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', REKEY_ARGON2_MEMORY_KIB: '1024' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, NODE_ENV: 'development', REKEY_ARGON2_TIME_COST: '1' })).toThrow(ConfigError);
    expect(loadConfig({ ...base, NODE_ENV: 'production', REKEY_ARGON2_MEMORY_KIB: '19456', REKEY_ARGON2_TIME_COST: '2' }).passwordHashing.memoryCost).toBe(19_456);
  });

  it('REKEY_TRUST_PROXY: off by default; true = 1 hop; a number of hops', () => {
    expect(loadConfig({ ...base }).trustProxyHops).toBe(0);
    expect(loadConfig({ ...base, REKEY_TRUST_PROXY: 'true' }).trustProxyHops).toBe(1);
    expect(loadConfig({ ...base, REKEY_TRUST_PROXY: 'false' }).trustProxyHops).toBe(0);
    expect(loadConfig({ ...base, REKEY_TRUST_PROXY: '2' }).trustProxyHops).toBe(2);
    expect(() => loadConfig({ ...base, REKEY_TRUST_PROXY: 'maybe' })).toThrow(/REKEY_TRUST_PROXY/);
  });
});
