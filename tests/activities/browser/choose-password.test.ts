import { describe, expect, it } from 'vitest';
import { choosePasswordForPage } from '../../../activities/browser/choose-password.js';
import { checkPassword, parsePasswordRules, policyFromText } from '../../../activities/vault/password/index.js';

describe('choosePasswordForPage', () => {
  it('satisfies page text and catalog rules together', () => {
    const serviceRules = 'minlength: 12; maxlength: 64; required: upper; required: digit; required: [!@#$%]; allowed: lower;';
    const pw = choosePasswordForPage({ hints: { policyText: 'At least 12 characters, one uppercase letter and one digit.' }, serviceRules });
    expect(checkPassword(pw, parsePasswordRules(serviceRules))).toEqual([]);
  });

  it('drops a partial passwordrules attribute that contradicts the catalog, keeping what the site says in words', () => {
    // Apple semantics: this attribute alone allows only upper case and digits…
    const hints = { passwordRules: 'minlength: 12; required: upper; required: digit;', policyText: 'Use 12 to 64 characters, including one of ! @ # $ %.' };
    // …while the catalog requires a symbol: no password satisfies both.
    const serviceRules = 'minlength: 12; required: upper; required: digit; required: [!@#$%]; allowed: lower;';
    const pw = choosePasswordForPage({ hints, serviceRules });
    expect(checkPassword(pw, parsePasswordRules(serviceRules))).toEqual([]);
    expect(checkPassword(pw, policyFromText(hints.policyText))).toEqual([]);
  });

  it('learns from a refusal', () => {
    const refused = 'abcdefghijklmnop';
    const pw = choosePasswordForPage({ hints: { policyText: '' }, refusals: [{ errorText: 'Password must contain a number and an uppercase letter', password: refused }] });
    expect(pw).toMatch(/\d/);
    expect(pw).toMatch(/[A-Z]/);
  });
});
