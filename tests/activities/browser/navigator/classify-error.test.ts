import { describe, expect, test } from 'vitest';
import { classifyError, type ErrorTopic } from '../../../../activities/browser/navigator/classify-error.js';
import type { ErrorReason } from '../../../../activities/browser/navigator/navigator.js';

// Error messages in sites' own words → what the workflow can do about them.
// The topic is the step that was submitted (or what the page shows).

const cases: [string, ErrorTopic | undefined, ErrorReason][] = [
  // Links and sessions that no longer work.
  ['This password reset token is invalid or has expired.', 'new_password', 'link_expired'],
  ['This reset link has already been used.', undefined, 'link_expired'],
  ['The link you followed has expired or is invalid. Please request a new one.', undefined, 'link_expired'],
  ['It looks like you clicked on an invalid password reset link. Please try again.', 'email', 'link_expired'],
  ['Your reset session has expired. Start again.', undefined, 'link_expired'],
  ['Ce lien de réinitialisation n’est plus valide ou a expiré.', undefined, 'link_expired'],
  ['Der Link zum Zurücksetzen ist abgelaufen.', undefined, 'link_expired'],
  ['El enlace ha caducado.', undefined, 'link_expired'],
  // Codes.
  ["That code isn't right. You have 4 attempts left.", 'code', 'wrong_code'],
  ['Two-factor authentication failed.', 'code', 'wrong_code'],
  ['Enter all 6 digits of the code.', 'code', 'wrong_code'],
  ['That code has expired. Send a new code.', 'code', 'wrong_code'],
  ['Der Bestätigungscode ist falsch.', undefined, 'wrong_code'],
  ['Código incorrecto.', undefined, 'wrong_code'],
  // Password policy.
  ['The password field must be at least 8 characters.', 'new_password', 'password_policy'],
  ['Password must contain at least one of these symbols: ! @ # $ %', 'new_password', 'password_policy'],
  ['Your new password must be different from your current password.', 'new_password', 'password_policy'],
  ['Password is too short (minimum is 8 characters)', undefined, 'password_policy'],
  ['Le mot de passe doit contenir au moins une majuscule.', 'new_password', 'password_policy'],
  ['Das Passwort muss mindestens 12 Zeichen lang sein.', undefined, 'password_policy'],
  ['The passwords do not match.', 'new_password', 'password_policy'],
  // Sign-in.
  ['These credentials do not match our records.', 'login', 'wrong_password'],
  ['Incorrect email or password.', undefined, 'wrong_password'],
  ['That email and password combination is not right.', 'login', 'wrong_password'],
  ["Those details don't match our records. Check them and try again.", 'login', 'wrong_password'],
  ['Adresse e-mail ou mot de passe incorrect.', undefined, 'wrong_password'],
  ['Falsches Passwort.', undefined, 'wrong_password'],
  ['Contraseña incorrecta.', undefined, 'wrong_password'],
  ['Wachtwoord onjuist.', undefined, 'wrong_password'],
  // Accounts.
  ["We couldn't find a Nimbus account with that email.", 'email', 'account_not_found'],
  ['No account found for that address.', 'email', 'account_not_found'],
  ['Aucun compte ne correspond à cette adresse.', undefined, 'account_not_found'],
  ['Kein Konto mit dieser E-Mail-Adresse.', undefined, 'account_not_found'],
  // Throttling.
  ['Too many attempts. Send a new code and try again.', 'code', 'rate_limited'],
  ['Too many failed two-factor attempts. Sign in again.', 'login', 'rate_limited'],
  ['Trop de tentatives. Réessayez plus tard.', undefined, 'rate_limited'],
  // Unreadable.
  ['Something went wrong. Please try again.', 'email', 'unknown'],
  ['Enter a valid email address.', 'email', 'unknown'],
];

describe('classifyError', () => {
  test.each(cases)('%s (%s) → %s', (text, topic, reason) => {
    expect(classifyError(text, topic)).toBe(reason);
  });

  test('the step decides what an unreadable message under its form means', () => {
    expect(classifyError('Please try again.', 'code')).toBe('wrong_code');
    expect(classifyError('Please try again.', 'login')).toBe('wrong_password');
    expect(classifyError('Please try again.', 'new_password')).toBe('unknown');
  });
});
