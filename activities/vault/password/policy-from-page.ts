import { SPECIAL, intersectChars, toCharSet, unionChars } from './char-set.js';
import { policyFromPattern } from './html-pattern.js';
import { mergePolicies } from './merge-policies.js';
import { PasswordRulesSyntaxError, parsePasswordRules } from './parse-password-rules.js';
import { createDefaultPolicy, type PasswordPolicy } from './password-policy.js';
import { foldPolicyText, policyFromText } from './policy-from-text.js';

/** What a browser activity reads off the new-password field and around it. */
export interface PagePolicyHints {
  /** The input's `minlength` attribute, as `getAttribute` returns it. */
  minLength?: string | number | null;
  /** The input's `maxlength` attribute. */
  maxLength?: string | number | null;
  /** The input's `pattern` attribute. */
  pattern?: string | null;
  /** The input's `passwordrules` attribute (Apple syntax). */
  passwordRules?: string | null;
  /** The policy text shown near the field, in the page's language. */
  text?: string | null;
}

/**
 * Everything the page says about acceptable passwords, merged strictly. Malformed
 * `pattern` and `passwordrules` attributes are ignored, as browsers ignore them. Merge
 * with the catalog's `passwordRules` (via `mergePolicies`) when the service has some.
 */
export function policyFromPage(hints: PagePolicyHints): PasswordPolicy {
  const parts: PasswordPolicy[] = [createDefaultPolicy()];
  const minLength = parseAttributeInteger(hints.minLength);
  if (minLength !== undefined && minLength > 0) parts.push({ ...createDefaultPolicy(), minLength });
  const maxLength = parseAttributeInteger(hints.maxLength);
  // maxlength="0" would allow nothing; it is a broken page, not a policy.
  if (maxLength !== undefined && maxLength > 0) parts.push({ ...createDefaultPolicy(), maxLength });
  if (hints.pattern) parts.push(policyFromPattern(hints.pattern));
  if (hints.passwordRules) {
    const rules = tryParsePasswordRules(hints.passwordRules);
    if (rules) parts.push(rules);
  }
  if (hints.text) parts.push(policyFromText(hints.text));
  return mergePolicies(...parts);
}

const TOO_SHORT = /too short|trop court|zu kurz|demasiado cort|muy cort/;
const TOO_LONG = /too long|trop long|zu lang|demasiado larg|muy larg/;
const INVALID_CHARACTERS =
  /(?:invalid|illegal|unsupported|disallowed|forbidden|not allowed)\s+(?:characters?|symbols?)|(?:characters?|symbols?)\s+(?:(?:are|is|that are)\s+)?(?:not allowed|invalid|not supported|not permitted)|caracteres?\s+(?:invalides?|non autorises?|interdits?|no validos?|invalidos?|no permitidos?)|(?:ungultige|unzulassige|nicht erlaubte)\s+zeichen|zeichen\s+(?:sind\s+)?nicht erlaubt/;

/**
 * `policy` after the site refused a password with `errorText` ("Password must contain a
 * symbol"). The message is read like policy text; "too short"/"too long"/"invalid
 * characters" without details are judged against the refused password when given. What
 * the site asks for now beats older knowledge: a class it requires becomes allowed even
 * if our rules said otherwise.
 */
export function tightenPolicy(policy: PasswordPolicy, errorText: string, rejectedPassword?: string): PasswordPolicy {
  const fromError = policyFromText(errorText);
  const folded = foldPolicyText(errorText);
  const lessons = createDefaultPolicy();
  const rejectedLength = rejectedPassword === undefined ? undefined : [...rejectedPassword].length;
  if (rejectedLength !== undefined && TOO_SHORT.test(folded)) lessons.minLength = rejectedLength + 1;
  if (rejectedLength !== undefined && TOO_LONG.test(folded)) lessons.maxLength = Math.max(rejectedLength - 1, 0);
  if (INVALID_CHARACTERS.test(folded)) {
    lessons.forbidden = rejectedPassword === undefined ? SPECIAL : intersectChars(toCharSet(rejectedPassword), SPECIAL);
  }
  const widened = { ...policy, allowedChars: unionChars(policy.allowedChars, ...fromError.requiredClasses) };
  return mergePolicies(widened, fromError, lessons);
}

/** HTML's rule for non-negative integers: leading spaces, digits, anything after ignored. */
function parseAttributeInteger(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : undefined;
  const match = /^[\t\n\f\r ]*\+?(\d+)/.exec(value);
  return match?.[1] ? Number(match[1]) : undefined;
}

function tryParsePasswordRules(text: string): PasswordPolicy | undefined {
  try {
    return parsePasswordRules(text);
  } catch (error) {
    if (error instanceof PasswordRulesSyntaxError) return undefined;
    throw error;
  }
}
