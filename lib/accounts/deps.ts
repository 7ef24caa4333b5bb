// What account business functions receive: services plus a clock. Built per
// request from AppDeps (api/middleware/auth.ts: accountDepsOf), or by scripts.
import type { Config } from '../config.js';
import type { Keyring } from '../crypto.js';
import type { Db } from '../db/index.js';
import type { Mailer } from '../email/mailer.js';
import type { Logger } from '../logger.js';
import type { PasswordHasher } from './password-hash.js';

export interface AccountDeps {
  db: Db;
  config: Config;
  keyring: Keyring;
  logger: Logger;
  mailer: Mailer;
  now: () => Date;
  /** argon2id in production; a test wraps it to count the work a request does. */
  passwordHasher: PasswordHasher;
}

/** Where a request came from, for sessions, throttles and the audit log. */
export interface RequestMeta {
  ip?: string;
  userAgent?: string;
}
