// The password to submit: everything the page says about acceptable passwords
// (attributes, policy text), the catalog's rules for the service, and — after
// a refusal — what the site's error message taught us.
import {
  generatePassword,
  mergePolicies,
  parsePasswordRules,
  policyFromPage,
  tightenPolicy,
  type PasswordPolicy,
} from '../vault/password/index.js';
import type { PasswordHints } from './navigator/navigator.js';

export function passwordPolicyFor(args: { hints: PasswordHints; serviceRules?: string; refusals?: { errorText: string; password: string }[] }): PasswordPolicy {
  const { hints } = args;
  let policy = policyFromPage({
    minLength: hints.minLength,
    maxLength: hints.maxLength,
    pattern: hints.pattern,
    passwordRules: hints.passwordRules,
    text: hints.policyText,
  });
  if (args.serviceRules) {
    try {
      policy = mergePolicies(policy, parsePasswordRules(args.serviceRules));
    } catch {
      // Malformed catalog rules are ignored, as browsers ignore a malformed attribute.
    }
  }
  for (const refusal of args.refusals ?? []) policy = tightenPolicy(policy, refusal.errorText, refusal.password);
  return policy;
}

export function choosePasswordForPage(args: { hints: PasswordHints; serviceRules?: string; refusals?: { errorText: string; password: string }[] }): string {
  return generatePassword(passwordPolicyFor(args));
}
