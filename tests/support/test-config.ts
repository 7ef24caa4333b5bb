import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../lib/config.js';

/** A Config as the app would parse it, pointed at this run's services. */
export function testConfig(env: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_NAMESPACE: inject('temporalNamespace'),
    REKEY_MASTER_KEY: randomBytes(32).toString('base64'),
    REKEY_DATA_DIR: inject('workDir'),
    APP_ORIGIN: 'http://localhost:3000',
    LOG_LEVEL: 'silent',
    REKEY_ALLOW_PRIVATE_TARGETS: 'true',
    REKEY_SANDBOX: 'off',
    ...env,
  });
}
