// What every handler can reach: the services (set once by app.ts) and the
// per-request values (request id, logger, the authenticated principal).
import type { Config } from '../lib/config.js';
import type { Keyring } from '../lib/crypto.js';
import type { Db } from '../lib/db/index.js';
import type { Logger } from '../lib/logger.js';
import type { TemporalGateway } from '../lib/temporal/connection.js';

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  keyring: Keyring;
  temporal: TemporalGateway;
  version: string;
}

export interface Principal {
  userId: string;
  role: 'user' | 'staff';
  /** How the request authenticated: CSRF applies to cookies only. */
  via: 'session' | 'api_key';
  sessionId?: string;
  apiKeyId?: string;
}

export type AppEnv = {
  Variables: {
    deps: AppDeps;
    requestId: string;
    log: Logger;
    principal?: Principal;
  };
};
