// The password to submit: everything the page says about acceptable passwords
// (attributes, policy text), the catalog's rules for the service, and — after
// a refusal — what the site's error message taught us.
//
// Sources can contradict each other: a partial `passwordrules` attribute
// (Apple's semantics: only the classes it names are allowed) next to a
// catalog rule requiring a symbol. Then the least trustworthy source is
// dropped first: the attribute, then the catalog's rules, then the pattern;
// what the site says in words (its policy text and its refusals) is kept.
import {
  PasswordPolicyUnsatisfiable,
  generatePassword,
  mergePolicies,
  parsePasswordRules,
  policyFromPage,
  tightenPolicy,
  type PasswordPolicy,
} from '../vault/password/index.js';
import type { PasswordHints } from './navigator/navigator.js';

interface ChooseArgs {
  hints: PasswordHints;
  serviceRules?: string;
  refusals?: { errorText: string; password: string }[];
}

type Source = 'passwordRules' | 'serviceRules' | 'pattern';

function policyWithout(args: ChooseArgs, dropped: ReadonlySet<Source>): PasswordPolicy {
  const { hints } = args;
  let policy = policyFromPage({
    minLength: hints.minLength,
    maxLength: hints.maxLength,
    pattern: dropped.has('pattern') ? undefined : hints.pattern,
    passwordRules: dropped.has('passwordRules') ? undefined : hints.passwordRules,
    text: hints.policyText,
  });
  if (args.serviceRules && !dropped.has('serviceRules')) {
    try {
      policy = mergePolicies(policy, parsePasswordRules(args.serviceRules));
    } catch {
      // Malformed catalog rules are ignored, as browsers ignore a malformed attribute.
    }
  }
  for (const refusal of args.refusals ?? []) policy = tightenPolicy(policy, refusal.errorText, refusal.password);
  return policy;
}

const fallbacks: Source[][] = [[], ['passwordRules'], ['passwordRules', 'serviceRules'], ['passwordRules', 'serviceRules', 'pattern']];

export function choosePasswordForPage(args: ChooseArgs): string {
  let last: unknown;
  for (const dropped of fallbacks) {
    try {
      return generatePassword(policyWithout(args, new Set(dropped)));
    } catch (err) {
      if (!(err instanceof PasswordPolicyUnsatisfiable)) throw err;
      last = err;
    }
  }
  throw last;
}
