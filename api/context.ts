// What every handler can reach: the services (set once by app.ts) and the
// per-request values (request id, logger, the authenticated principal).
import type { Catalog } from '../catalog/index.js';
import type { Config } from '../lib/config.js';
import type { Keyring } from '../lib/crypto.js';
import type { Db } from '../lib/db/index.js';
import type { Mailer } from '../lib/email/mailer.js';
import type { PasswordHasher } from '../lib/accounts/password-hash.js';
import type { Logger } from '../lib/logger.js';
import type { TemporalGateway } from '../lib/temporal/connection.js';

export interface AppDeps {
  config: Config;
  db: Db;
  logger: Logger;
  keyring: Keyring;
  temporal: TemporalGateway;
  version: string;
  /** The service catalog: built-in services, plus the sandbox sites in dev. */
  catalog: Catalog;
  /**
   * The clock for everything time-bound in accounts (sessions, sudo, tokens,
   * rate-limit windows). Unset: the system clock. Tests move it forward instead
   * of sleeping.
   */
  now?: () => Date;
  /** Account emails. Unset: built from `config.smtp` (SMTP_URL unset → not configured, nothing sent). */
  mailer?: Mailer;
  /** Sign-up and sign-in hashing. Unset: argon2id (tests wrap it to count hashes). */
  passwordHasher?: PasswordHasher;
  /** Calls into other parts of Rekey that account lifecycle events must reach. */
  accountHooks?: AccountHooks;
}

export interface AccountHooks {
  /**
   * Awaited by DELETE /api/account before any row is removed: cancel the
   * person's running reset workflows (e.g. `cancelRunningResets(userId)`) so
   * no activity writes to a vault that is being deleted. If it throws, the
   * deletion is refused (500) and nothing is removed; it may be retried.
   */
  beforeDelete?(userId: string): Promise<void>;
}

/** The request's notion of "now": AppDeps.now when injected, else the system clock. */
export const nowOf = (deps: Pick<AppDeps, 'now'>): Date => deps.now?.() ?? new Date();

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
