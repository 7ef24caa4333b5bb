import { ASCII_PRINTABLE, intersectChars, subtractChars, toCharSet } from './char-set.js';

/**
 * What a site accepts, normalized from every source we read (Apple's rules, input
 * attributes, policy text, error messages). Plain JSON: character sets are sorted strings.
 */
export interface PasswordPolicy {
  minLength: number;
  /** `null`: no known limit. */
  maxLength: number | null;
  /**
   * Sets of characters that must each appear at least once. A set listed n times must
   * appear n times ("at least 2 digits"). Different sets are independent requirements:
   * one character may satisfy several.
   */
  requiredClasses: string[];
  /** Every character the site accepts. */
  allowedChars: string;
  /** Longest run of one repeated character; `null`: no limit. */
  maxConsecutive: number | null;
  /** Characters the site refuses; kept apart so merging cannot bring them back. */
  forbidden?: string;
  /** HTML `pattern` attributes the whole password must match. */
  patterns?: string[];
}

/** Nothing known yet: any printable ASCII, any length. */
export function createDefaultPolicy(): PasswordPolicy {
  return { minLength: 1, maxLength: null, requiredClasses: [], allowedChars: ASCII_PRINTABLE, maxConsecutive: null };
}

/**
 * Canonical form: forbidden characters removed from the allowed set, required sets cut
 * down to what is allowed (possibly to nothing — the generator reports that), sets sorted.
 */
export function normalizePolicy(policy: PasswordPolicy): PasswordPolicy {
  const forbidden = toCharSet(policy.forbidden ?? '');
  const allowedChars = subtractChars(toCharSet(policy.allowedChars), forbidden);
  return {
    minLength: Math.max(0, Math.floor(policy.minLength)),
    maxLength: policy.maxLength === null ? null : Math.max(0, Math.floor(policy.maxLength)),
    requiredClasses: policy.requiredClasses.map((chars) => intersectChars(toCharSet(chars), allowedChars)),
    allowedChars,
    maxConsecutive: policy.maxConsecutive === null ? null : Math.max(0, Math.floor(policy.maxConsecutive)),
    ...(forbidden ? { forbidden } : {}),
    ...(policy.patterns?.length ? { patterns: [...new Set(policy.patterns)] } : {}),
  };
}

/** How many times each distinct required set must appear. */
export function countRequiredClasses(requiredClasses: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const chars of requiredClasses) counts.set(chars, (counts.get(chars) ?? 0) + 1);
  return counts;
}
