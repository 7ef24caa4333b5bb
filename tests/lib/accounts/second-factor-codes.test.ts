import { describe, expect, it } from 'vitest';
import { generateRecoveryCode, hashRecoveryCode, looksLikeRecoveryCode, normalizeRecoveryCode } from '../../../lib/accounts/recovery-codes.js';
import { generateTotpSecret, matchTotpStep, openTotpSecret, sealTotpSecret, totpFor } from '../../../lib/accounts/totp.js';
import { createKeyring } from '../../../lib/crypto.js';
import { randomBytes } from 'node:crypto';

describe('recovery codes', () => {
  it('are 16 base32 characters (80 bits) in groups of four, all different', () => {
    const codes = Array.from({ length: 200 }, generateRecoveryCode);
    for (const c of codes) expect(c).toMatch(/^[0-9a-hjkmnp-tv-z]{4}(-[0-9a-hjkmnp-tv-z]{4}){3}$/);
    expect(new Set(codes).size).toBe(200);
  });

  it('hash the same whatever the case, spacing or dashes; differently per user and per key', () => {
    const keyring = createKeyring(randomBytes(32));
    const code = generateRecoveryCode();
    const h = hashRecoveryCode(keyring, 'u1', code);
    expect(hashRecoveryCode(keyring, 'u1', ` ${code.toUpperCase().replace(/-/g, ' ')} `)).toBe(h);
    expect(hashRecoveryCode(keyring, 'u2', code)).not.toBe(h);
    expect(hashRecoveryCode(createKeyring(randomBytes(32)), 'u1', code)).not.toBe(h);
    expect(normalizeRecoveryCode('ABCD-EFGH')).toBe('abcdefgh');
    expect(looksLikeRecoveryCode('123456')).toBe(false);
  });
});

describe('TOTP', () => {
  it('matches the current step and ±1, nothing further', () => {
    const secret = generateTotpSecret();
    const now = new Date('2026-03-01T12:00:10Z');
    const step = Math.floor(now.getTime() / 30_000);
    const at = (offsetSteps: number) => totpFor(secret, 'x').generate({ timestamp: now.getTime() + offsetSteps * 30_000 });
    expect(matchTotpStep(secret, at(0), now)).toBe(step);
    expect(matchTotpStep(secret, at(-1), now)).toBe(step - 1);
    expect(matchTotpStep(secret, at(1), now)).toBe(step + 1);
    expect(matchTotpStep(secret, at(-3), now)).toBeNull();
    expect(matchTotpStep(secret, 'abcdef', now)).toBeNull();
  });

  it('secrets are sealed to their user', () => {
    const keyring = createKeyring(randomBytes(32));
    const secret = generateTotpSecret();
    const sealed = sealTotpSecret(keyring, 'u1', secret);
    expect(openTotpSecret(keyring, 'u1', sealed)).toBe(secret);
    expect(() => openTotpSecret(keyring, 'u2', sealed)).toThrow();
  });
});
