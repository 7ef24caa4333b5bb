import { randomInt } from 'node:crypto';
import { DIGIT, LOWER, SAFE_SYMBOLS, UPPER, intersectChars, isSubsetOf, subtractChars, unionChars } from './char-set.js';
import { checkPassword } from './check-password.js';
import { compilePattern } from './html-pattern.js';
import { normalizePolicy, type PasswordPolicy } from './password-policy.js';
import { PasswordPolicyUnsatisfiable } from './password-policy-unsatisfiable.js';

export interface GeneratePasswordOptions {
  /** A uniform integer in [0, maxExclusive). Defaults to node:crypto's `randomInt`; tests pass a seeded one. */
  random?: (maxExclusive: number) => number;
  /** Wanted length before the policy clamps it. Default 20. */
  length?: number;
}

export const DEFAULT_PASSWORD_LENGTH = 20;
/** Enough for any satisfiable policy we have seen; bounds the work on impossible ones. */
const MAX_ATTEMPTS = 1000;

interface Plan {
  length: number;
  /** What unconstrained positions draw from. */
  alphabet: string;
  /** One set per guaranteed character: the policy's requirements, then our defaults. */
  slots: string[];
  maxConsecutive: number | null;
  patterns: RegExp[];
}

/**
 * A random password that satisfies `policy`. Every position is uniform over its set:
 * one position per required class (positions chosen at random), the rest over the
 * allowed characters — narrowed to letters, digits and `-_.!@#$%^&*+=?` when the site
 * allows those, since some sites that claim to accept any symbol do not. Upper, lower,
 * digit and symbol are included by default whenever the policy allows them and length
 * leaves room. Throws `PasswordPolicyUnsatisfiable` instead of looping on an impossible
 * policy.
 */
export function generatePassword(policy: PasswordPolicy, options: GeneratePasswordOptions = {}): string {
  const normalized = normalizePolicy(policy);
  const plan = planPassword(normalized, options.length ?? DEFAULT_PASSWORD_LENGTH);
  const random = options.random ?? ((maxExclusive: number) => randomInt(maxExclusive));
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const candidate = drawPassword(plan, random);
    if (candidate === undefined || !plan.patterns.every((pattern) => pattern.test(candidate))) continue;
    // Belt and braces: never hand out a password the policy would refuse.
    if (checkPassword(candidate, normalized).length === 0) return candidate;
  }
  throw plan.patterns.length
    ? new PasswordPolicyUnsatisfiable('pattern', `No password matched the page's pattern in ${MAX_ATTEMPTS} attempts`)
    : new PasswordPolicyUnsatisfiable('max_consecutive', `No arrangement met the run limit in ${MAX_ATTEMPTS} attempts`);
}

function planPassword(policy: PasswordPolicy, wantedLength: number): Plan {
  const allowed = policy.allowedChars;
  if (!allowed) throw new PasswordPolicyUnsatisfiable('empty_alphabet', 'The policy allows no character');
  if (policy.requiredClasses.some((chars) => !chars)) {
    throw new PasswordPolicyUnsatisfiable('required_class_not_allowed', 'A required character class has no allowed character');
  }
  const maxLength = policy.maxLength ?? Number.POSITIVE_INFINITY;
  if (policy.minLength > maxLength) {
    throw new PasswordPolicyUnsatisfiable('length_range', `Minimum length ${policy.minLength} exceeds maximum ${maxLength}`);
  }
  if (policy.requiredClasses.length > maxLength) {
    throw new PasswordPolicyUnsatisfiable('too_many_required', `${policy.requiredClasses.length} required characters do not fit in ${maxLength}`);
  }
  if (policy.maxConsecutive !== null && policy.maxConsecutive < 1) {
    throw new PasswordPolicyUnsatisfiable('max_consecutive', 'The run limit allows no character at all');
  }

  const length = Math.min(Math.max(Math.floor(wantedLength), policy.minLength, policy.requiredClasses.length, 1), maxLength);
  const preferred = intersectChars(allowed, unionChars(UPPER, LOWER, DIGIT, SAFE_SYMBOLS));
  const alphabet = preferred.length >= 2 ? preferred : allowed;
  const slots = policy.requiredClasses.map((chars) => intersectChars(chars, alphabet) || chars);
  for (const defaultClass of [UPPER, LOWER, DIGIT, SAFE_SYMBOLS]) {
    const chars = intersectChars(defaultClass, alphabet);
    const covered = slots.some((slot) => isSubsetOf(slot, chars));
    if (chars && !covered && slots.length < length) slots.push(chars);
  }

  const everyChar = unionChars(alphabet, ...slots);
  if (policy.maxConsecutive !== null && everyChar.length === 1 && length > policy.maxConsecutive) {
    throw new PasswordPolicyUnsatisfiable('max_consecutive', `One allowed character cannot make ${length} without repeating`);
  }

  const patterns = (policy.patterns ?? []).map(compilePattern).filter((regex): regex is RegExp => regex !== undefined);
  return { length, alphabet, slots, maxConsecutive: policy.maxConsecutive, patterns };
}

/** One try; `undefined` when the run limit boxed a position in. */
function drawPassword(plan: Plan, random: (maxExclusive: number) => number): string | undefined {
  const positions = shuffle(
    Array.from({ length: plan.length }, (_, i) => i),
    random,
  );
  const slotAt = new Map(plan.slots.map((slot, i) => [positions[i] ?? -1, slot]));
  const chars: string[] = [];
  for (let position = 0; position < plan.length; position++) {
    let pool = slotAt.get(position) ?? plan.alphabet;
    const repeated = runToAvoid(chars, plan.maxConsecutive);
    if (repeated) pool = subtractChars(pool, repeated);
    if (!pool) return undefined;
    chars.push(pool[random(pool.length)] ?? '');
  }
  return chars.join('');
}

/** The character that may not come next because its run is already at the limit. */
function runToAvoid(chars: readonly string[], maxConsecutive: number | null): string | undefined {
  if (maxConsecutive === null || chars.length < maxConsecutive) return undefined;
  const tail = chars.slice(-maxConsecutive);
  return tail.every((char) => char === tail[0]) ? tail[0] : undefined;
}

/** Fisher–Yates with the injected randomness. */
function shuffle<T>(items: T[], random: (maxExclusive: number) => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
