import { intersectChars, subtractChars, toCharSet, unionChars } from './char-set.js';
import { countRequiredClasses, createDefaultPolicy, normalizePolicy, type PasswordPolicy } from './password-policy.js';

/**
 * The strictest policy that satisfies all of `policies`: longest minimum, shortest
 * maximum and run limit, allowed characters intersected, forbidden ones united, every
 * requirement kept (a set required twice by one source and once by another: twice).
 */
export function mergePolicies(...policies: readonly PasswordPolicy[]): PasswordPolicy {
  if (!policies.length) return createDefaultPolicy();
  const forbidden = unionChars(...policies.map((policy) => policy.forbidden ?? ''));
  const allowedChars = subtractChars(policies.map((policy) => toCharSet(policy.allowedChars)).reduce(intersectChars), forbidden);

  // Cut each set to what stays allowed before counting, so "a special character" from
  // the page and "one of !#$" from Apple's rules become one requirement, not two.
  const requiredCounts = new Map<string, number>();
  for (const policy of policies) {
    for (const [chars, count] of countRequiredClasses(policy.requiredClasses.map((c) => intersectChars(toCharSet(c), allowedChars)))) {
      requiredCounts.set(chars, Math.max(requiredCounts.get(chars) ?? 0, count));
    }
  }

  return normalizePolicy({
    minLength: Math.max(...policies.map((policy) => policy.minLength)),
    maxLength: minOrNull(policies.map((policy) => policy.maxLength)),
    requiredClasses: [...requiredCounts].flatMap(([chars, count]) => Array<string>(count).fill(chars)),
    allowedChars,
    maxConsecutive: minOrNull(policies.map((policy) => policy.maxConsecutive)),
    forbidden,
    patterns: policies.flatMap((policy) => policy.patterns ?? []),
  });
}

function minOrNull(values: readonly (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length ? Math.min(...known) : null;
}
