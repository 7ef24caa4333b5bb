import { ASCII_PRINTABLE, toCharSet } from './char-set.js';
import { createDefaultPolicy, type PasswordPolicy } from './password-policy.js';

/**
 * The regex an `<input pattern>` stands for: anchored to the whole value. Chromium
 * compiles it with the `v` flag and ignores it when that fails; a site's own script may
 * still check the same text with older flags, so we fall back to `u`, then none — being
 * held to a pattern the browser skipped only makes us stricter. `undefined` when nothing
 * compiles.
 */
export function compilePattern(pattern: string): RegExp | undefined {
  for (const flags of ['v', 'u', '']) {
    try {
      return new RegExp(`^(?:${pattern})$`, flags);
    } catch {
      // try the next flavour
    }
  }
  return undefined;
}

// One character-matching atom: a class, an escape, or a plain character.
const ATOM = String.raw`\[(?:\\.|[^\]\\])+\]|\\.|[^()[\]\\.*+?{}|^$]|\.`;
const LOOKAHEAD = new RegExp(String.raw`^\(\?([=!])\.\*\??(${ATOM})\)`);
const BODY = new RegExp(String.raw`^(${ATOM})(\{(\d+)(?:,(\d*))?\}|\+|\*)$`);

/**
 * Constraints read off the common shapes of password patterns —
 * `(?=.*\d)(?=.*[a-z])(?!.*\s)[A-Za-z\d!@#]{8,64}` — so the generator draws from the
 * right characters instead of guessing until it matches. The pattern itself is always
 * kept: the generator still tests every password against it. Unknown shapes only keep it.
 */
export function policyFromPattern(pattern: string): PasswordPolicy {
  const policy = createDefaultPolicy();
  if (!compilePattern(pattern)) return policy;
  policy.patterns = [pattern];

  let rest = pattern.replace(/^\^/, '').replace(/(?<!\\)\$$/, '');
  const forbidden: string[] = [];
  for (let lookahead = LOOKAHEAD.exec(rest); lookahead; lookahead = LOOKAHEAD.exec(rest)) {
    const [whole, kind, atom = ''] = lookahead;
    const chars = charsMatching(atom);
    if (kind === '=') policy.requiredClasses.push(chars);
    else forbidden.push(chars);
    rest = rest.slice(whole.length);
  }
  if (forbidden.length) policy.forbidden = toCharSet(forbidden.join(''));

  const body = BODY.exec(rest);
  if (body) {
    const [, atom = '', quantifier, min, max] = body;
    policy.allowedChars = charsMatching(atom);
    if (quantifier === '+') policy.minLength = 1;
    if (min !== undefined) {
      policy.minLength = Number(min);
      policy.maxLength = max === undefined ? Number(min) : max === '' ? null : Number(max);
    }
  }
  return policy;
}

/** The printable ASCII characters a single atom matches (`.` matches all of them). */
function charsMatching(atom: string): string {
  const regex = compilePattern(atom);
  if (!regex) return '';
  return toCharSet([...ASCII_PRINTABLE].filter((char) => regex.test(char)));
}

/**
 * A pattern for "cannot start with a number" / "must end with a letter": a position is
 * not something a character class can say.
 */
export function positionalPattern(chars: string, position: 'start' | 'end', negated: boolean): string {
  // Hex escapes mean the same under the v, u and no flag.
  const set = `[${[...chars].map((char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}]`;
  if (position === 'start') return negated ? `(?!${set})[\\s\\S]*` : `${set}[\\s\\S]*`;
  return negated ? `[\\s\\S]*(?<!${set})` : `[\\s\\S]*${set}`;
}
