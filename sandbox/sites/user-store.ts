import { createHash, randomBytes, randomInt, scryptSync, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock, CreateUserInput, OnConflict, UserView } from './types.js';

export interface UserRecord {
  id: string;
  email: string;
  passwordHash: string;
  totpSecret?: string;
  phone?: string;
  displayName?: string;
  createdAt: number;
  passwordChanges: number;
  passwordChangedAt?: number;
  lastLoginAt?: number;
}

/**
 * - `reset-link`: secret in an emailed link
 * - `reset-code`: 6-digit code emailed instead of a link
 * - `sms-code`: 6-digit code texted to the account's phone
 * - `recovery`: a grant given after a link/code was checked, kept in a cookie or hidden field
 */
export type TokenPurpose = 'reset-link' | 'reset-code' | 'sms-code' | 'recovery';

export interface TokenRecord {
  id: string;
  purpose: TokenPurpose;
  userId: string;
  secretHash: string;
  createdAt: number;
  expiresAt: number;
  usedAt?: number;
  revokedAt?: number;
  attempts: number;
  data: Record<string, string | number | boolean>;
}

export type TokenStatus = 'valid' | 'expired' | 'used' | 'revoked' | 'unknown';
export type CodeCheck = TokenStatus | 'wrong' | 'locked';

export interface TokenLookup {
  status: TokenStatus;
  token?: TokenRecord;
  user?: UserRecord;
}

export class UserExistsError extends Error {
  readonly code = 'user_exists';
  constructor(email: string) {
    super(`a user with email ${email} already exists`);
  }
}

interface StoreFile {
  version: 1;
  users: UserRecord[];
  tokens: TokenRecord[];
}

const SCRYPT_N = 4096;
export const MAX_CODE_ATTEMPTS = 5;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, 32, { N: SCRYPT_N });
  return `scrypt$${SCRYPT_N}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function passwordMatches(password: string, stored: string): boolean {
  const [scheme, n, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const actual = scryptSync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n) });
  return timingSafeEqual(actual, expected);
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export function randomCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/**
 * One site's accounts and outstanding reset tokens. In memory; with `file`,
 * loaded at start and rewritten (atomically) after every change so a demo
 * restart keeps accounts and passwords.
 */
export class UserStore {
  private readonly users = new Map<string, UserRecord>();
  private readonly tokens = new Map<string, TokenRecord>();

  constructor(
    private readonly clock: Clock,
    private readonly file?: string,
  ) {
    if (file) this.load(file);
  }

  create(input: CreateUserInput, onConflict: OnConflict = 'error'): UserRecord {
    const email = normalizeEmail(input.email);
    const existing = this.findByEmail(email);
    if (existing) {
      if (onConflict === 'keep') return existing;
      if (onConflict === 'error') throw new UserExistsError(email);
      this.users.delete(existing.id);
      this.revokeTokens(existing.id);
    }
    const user: UserRecord = {
      id: randomBytes(6).toString('hex'),
      email,
      passwordHash: hashPassword(input.password),
      createdAt: this.clock.now(),
      passwordChanges: 0,
      ...(input.totpSecret ? { totpSecret: input.totpSecret.replace(/\s+/g, '').toUpperCase() } : {}),
      ...(input.phone ? { phone: input.phone } : {}),
      ...(input.displayName ? { displayName: input.displayName } : {}),
    };
    this.users.set(user.id, user);
    this.save();
    return user;
  }

  findByEmail(email: string): UserRecord | undefined {
    const wanted = normalizeEmail(email);
    for (const user of this.users.values()) if (user.email === wanted) return user;
    return undefined;
  }

  findById(id: string): UserRecord | undefined {
    return this.users.get(id);
  }

  /** The user when `password` is theirs; runs the hash either way. */
  authenticate(email: string, password: string): UserRecord | undefined {
    const user = this.findByEmail(email);
    const ok = passwordMatches(password, user?.passwordHash ?? 'scrypt$4096$AAAA$AAAA');
    return ok && user ? user : undefined;
  }

  passwordIs(userId: string, password: string): boolean {
    const user = this.users.get(userId);
    return !!user && passwordMatches(password, user.passwordHash);
  }

  recordLogin(userId: string): void {
    const user = this.users.get(userId);
    if (!user) return;
    user.lastLoginAt = this.clock.now();
    this.save();
  }

  /** Password changes of every account, together: tells whether a request changed one. */
  passwordChangeCount(): number {
    let count = 0;
    for (const user of this.users.values()) count += user.passwordChanges;
    return count;
  }

  /** Counts the change and voids every outstanding token of the user. */
  setPassword(userId: string, password: string): void {
    const user = this.users.get(userId);
    if (!user) throw new Error(`no user ${userId}`);
    user.passwordHash = hashPassword(password);
    user.passwordChanges += 1;
    user.passwordChangedAt = this.clock.now();
    this.revokeTokens(userId, undefined, false);
    this.save();
  }

  /**
   * Issues a token and revokes the user's earlier live tokens of the same
   * purpose, as real sites do. Link tokens get a random secret; codes pass theirs.
   */
  issueToken(options: {
    userId: string;
    purpose: TokenPurpose;
    ttlMs: number;
    secret?: string;
    data?: Record<string, string | number | boolean>;
  }): { token: TokenRecord; secret: string } {
    this.revokeTokens(options.userId, options.purpose, false);
    const id = randomBytes(9).toString('base64url');
    const secret = options.secret ?? randomBytes(24).toString('base64url');
    const now = this.clock.now();
    const token: TokenRecord = {
      id,
      purpose: options.purpose,
      userId: options.userId,
      secretHash: sha256(`${id}:${secret}`),
      createdAt: now,
      expiresAt: now + options.ttlMs,
      attempts: 0,
      data: { ...options.data },
    };
    this.tokens.set(id, token);
    this.save();
    return { token, secret };
  }

  /** Finds a link token by its secret (secrets are unique, so no id is needed). */
  findBySecret(purpose: TokenPurpose, secret: string): TokenLookup {
    for (const token of this.tokens.values()) {
      if (token.purpose === purpose && sameHash(token.secretHash, sha256(`${token.id}:${secret}`))) {
        return this.describe(token);
      }
    }
    return { status: 'unknown' };
  }

  getToken(id: string, purpose: TokenPurpose): TokenLookup {
    const token = this.tokens.get(id);
    if (!token || token.purpose !== purpose) return { status: 'unknown' };
    return this.describe(token);
  }

  /** Checks a code against token `id`; wrong guesses count, and the 5th voids the token. */
  checkCode(id: string, purpose: TokenPurpose, code: string): { result: CodeCheck; token?: TokenRecord; user?: UserRecord } {
    const found = this.getToken(id, purpose);
    if (found.status !== 'valid' || !found.token) return { result: found.status };
    const token = found.token;
    if (sameHash(token.secretHash, sha256(`${token.id}:${code.trim()}`))) return { result: 'valid', token, user: found.user };
    token.attempts += 1;
    if (token.attempts >= MAX_CODE_ATTEMPTS) token.revokedAt = this.clock.now();
    this.save();
    return { result: token.attempts >= MAX_CODE_ATTEMPTS ? 'locked' : 'wrong', token, user: found.user };
  }

  consumeToken(id: string): void {
    const token = this.tokens.get(id);
    if (!token || token.usedAt) return;
    token.usedAt = this.clock.now();
    this.save();
  }

  updateToken(id: string, data: Record<string, string | number | boolean>): void {
    const token = this.tokens.get(id);
    if (!token) return;
    Object.assign(token.data, data);
    this.save();
  }

  revokeTokens(userId: string, purpose?: TokenPurpose, persist = true): void {
    const now = this.clock.now();
    for (const token of this.tokens.values()) {
      if (token.userId !== userId || token.usedAt || token.revokedAt) continue;
      if (purpose && token.purpose !== purpose) continue;
      token.revokedAt = now;
    }
    if (persist) this.save();
  }

  view(user: UserRecord): UserView {
    return {
      id: user.id,
      email: user.email,
      ...(user.displayName ? { displayName: user.displayName } : {}),
      ...(user.phone ? { phone: user.phone } : {}),
      hasTotp: !!user.totpSecret,
      createdAt: new Date(user.createdAt).toISOString(),
      passwordChanges: user.passwordChanges,
      ...(user.passwordChangedAt ? { passwordChangedAt: new Date(user.passwordChangedAt).toISOString() } : {}),
      ...(user.lastLoginAt ? { lastLoginAt: new Date(user.lastLoginAt).toISOString() } : {}),
    };
  }

  private describe(token: TokenRecord): TokenLookup {
    const user = this.users.get(token.userId);
    if (!user) return { status: 'unknown' };
    let status: TokenStatus = 'valid';
    if (token.usedAt) status = 'used';
    else if (token.revokedAt) status = 'revoked';
    else if (this.clock.now() >= token.expiresAt) status = 'expired';
    return { status, token, user };
  }

  private load(file: string): void {
    let parsed: StoreFile;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as StoreFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const user of parsed.users ?? []) this.users.set(user.id, user);
    const now = this.clock.now();
    for (const token of parsed.tokens ?? []) {
      // Keep what can still matter; drop long-dead tokens so the file stays small.
      if (token.expiresAt > now - 24 * 3600_000) this.tokens.set(token.id, token);
    }
  }

  private save(): void {
    if (!this.file) return;
    const data: StoreFile = { version: 1, users: [...this.users.values()], tokens: [...this.tokens.values()] };
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(data, null, 2));
    renameSync(temp, this.file);
  }
}
