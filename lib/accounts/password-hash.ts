// Account passwords: argon2id with the configured cost (strong by default,
// see lib/config.ts). Unknown accounts are "checked" against a dummy hash of
// the same cost, so a sign-in takes as long whether or not the account exists.
import * as argon2 from 'argon2';
import { randomToken } from '../crypto.js';

export interface PasswordHashCost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/**
 * The argon2 work of sign-up and sign-in, as a dependency (AccountDeps) so a
 * test can count how many hashes and verifications a request pays for.
 */
export interface PasswordHasher {
  hash(cost: PasswordHashCost, password: string): Promise<string>;
  verify(hash: string | null | undefined, password: string): Promise<boolean>;
}

export function hashPassword(cost: PasswordHashCost, password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id, ...cost });
}

export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  if (!hash) return false;
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false; // not an argon2 hash: nothing matches it
  }
}

/** True when the stored hash was made with another cost (or algorithm) than today's. */
export function passwordNeedsRehash(hash: string, cost: PasswordHashCost): boolean {
  try {
    return !hash.startsWith('$argon2id$') || argon2.needsRehash(hash, cost);
  } catch {
    return true;
  }
}

export const argon2Hasher: PasswordHasher = { hash: hashPassword, verify: verifyPassword };

const dummyHashes = new WeakMap<PasswordHasher, Map<string, Promise<string>>>();

/** Spends the time of one verification and always fails: for accounts that do not exist. */
export async function verifyAgainstDummy(hasher: PasswordHasher, cost: PasswordHashCost, password: string): Promise<false> {
  const id = `${cost.memoryCost}:${cost.timeCost}:${cost.parallelism}`;
  let byCost = dummyHashes.get(hasher);
  if (!byCost) dummyHashes.set(hasher, (byCost = new Map()));
  let dummy = byCost.get(id);
  if (!dummy) {
    dummy = hasher.hash(cost, randomToken(24));
    byCost.set(id, dummy);
  }
  await hasher.verify(await dummy, password);
  return false;
}
