import { compilePattern } from './html-pattern.js';
import { countRequiredClasses, type PasswordPolicy } from './password-policy.js';

export type PolicyViolation =
  | { rule: 'min_length'; expected: number }
  | { rule: 'max_length'; expected: number }
  | { rule: 'not_allowed' }
  | { rule: 'required_class'; chars: string; count: number }
  | { rule: 'max_consecutive'; expected: number }
  | { rule: 'pattern'; pattern: string };

/** Every way `password` breaks `policy`; empty when it complies. Never echoes the password. */
export function checkPassword(password: string, policy: PasswordPolicy): PolicyViolation[] {
  const chars = [...password];
  const violations: PolicyViolation[] = [];
  if (chars.length < policy.minLength) violations.push({ rule: 'min_length', expected: policy.minLength });
  if (policy.maxLength !== null && chars.length > policy.maxLength) {
    violations.push({ rule: 'max_length', expected: policy.maxLength });
  }

  const refused = (char: string) => !policy.allowedChars.includes(char) || (policy.forbidden ?? '').includes(char);
  if (chars.some(refused)) violations.push({ rule: 'not_allowed' });

  for (const [required, count] of countRequiredClasses(policy.requiredClasses)) {
    if (chars.filter((char) => required.includes(char)).length < count) {
      violations.push({ rule: 'required_class', chars: required, count });
    }
  }

  if (policy.maxConsecutive !== null && longestRun(chars) > policy.maxConsecutive) {
    violations.push({ rule: 'max_consecutive', expected: policy.maxConsecutive });
  }

  for (const pattern of policy.patterns ?? []) {
    const regex = compilePattern(pattern);
    if (regex && !regex.test(password)) violations.push({ rule: 'pattern', pattern });
  }
  return violations;
}

function longestRun(chars: readonly string[]): number {
  let longest = 0;
  let run = 0;
  chars.forEach((char, i) => {
    run = i > 0 && chars[i - 1] === char ? run + 1 : 1;
    longest = Math.max(longest, run);
  });
  return longest;
}
