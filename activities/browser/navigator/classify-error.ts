// An error message, in the site's words, sorted into what the workflow can do
// about it. The step we were on breaks ties: an unreadable message under a
// code field is a wrong code, under a sign-in form a wrong password.
import type { ErrorReason } from './navigator.js';
import {
  ERROR_ACCOUNT_NOT_FOUND,
  ERROR_CODE_WORD,
  ERROR_EXPIRED,
  ERROR_LINK_INVALID,
  ERROR_LINK_WORD,
  ERROR_PASSWORD_MISMATCH,
  ERROR_PASSWORD_POLICY,
  ERROR_RATE_LIMITED,
  ERROR_WRONG,
  ERROR_WRONG_PASSWORD,
} from './vocabulary.js';

/** Which form the message is about: the step we submitted, or what the page shows. */
export type ErrorTopic = 'email' | 'code' | 'new_password' | 'login';

const PASSWORD_WORD = /password|passcode|mot\s+de\s+passe|passwort|kennwort|contrase[ñn]a|senha|palavra-passe|wachtwoord/i;

export function classifyError(text: string, topic?: ErrorTopic): ErrorReason {
  const t = text.replace(/\s+/g, ' ');
  if (ERROR_RATE_LIMITED.test(t)) return 'rate_limited';
  const aboutCode = ERROR_CODE_WORD.test(t) && !ERROR_LINK_WORD.test(t);
  if (!aboutCode && (ERROR_LINK_INVALID.test(t) || (ERROR_EXPIRED.test(t) && (ERROR_LINK_WORD.test(t) || topic !== 'code')))) return 'link_expired';
  if ((aboutCode || topic === 'code') && (ERROR_WRONG.test(t) || ERROR_EXPIRED.test(t))) return 'wrong_code';
  const policy = ERROR_PASSWORD_POLICY.test(t) || ERROR_PASSWORD_MISMATCH.test(t);
  if (topic === 'new_password' && policy) return 'password_policy';
  if (topic === 'login' || topic === undefined) {
    if (ERROR_WRONG_PASSWORD.test(t)) return 'wrong_password';
  }
  if (ERROR_ACCOUNT_NOT_FOUND.test(t)) return 'account_not_found';
  if (policy && PASSWORD_WORD.test(t) && topic !== 'login') return 'password_policy';
  if (ERROR_WRONG_PASSWORD.test(t) && topic !== 'new_password' && topic !== 'email') return 'wrong_password';
  switch (topic) {
    case 'code':
      return 'wrong_code';
    case 'login':
      return 'wrong_password';
    case 'new_password':
      return policy ? 'password_policy' : 'unknown';
    default:
      return 'unknown';
  }
}
