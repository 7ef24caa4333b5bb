/*
 * Parser for Apple's `passwordrules` syntax (https://developer.apple.com/password-rules/),
 * as found in password-rules.json and in `passwordrules` attributes on sign-up forms.
 *
 * Written here on purpose: Apple publishes its reference parser as a script in
 * password-manager-resources, not as a package, and the npm ports of it are unmaintained.
 * Semantics follow Apple's reference parser:
 * - several `minlength` take the largest, several `maxlength` / `max-consecutive` the
 *   smallest; a value of 0 is ignored;
 * - each `required` is one requirement (one character from the union of its classes);
 *   required characters are also allowed; with neither `allowed` nor `required`, all of
 *   ASCII printable is allowed;
 * - `special` is every printable ASCII symbol, space included; in a custom `[...]` set a
 *   `-` counts only as the first character and a `]` only as the last (`[abc]]`), and
 *   characters outside printable ASCII are dropped.
 * Deliberate differences: `unicode` is narrowed to ASCII printable, because we only use
 * a policy to generate passwords and never generate anything else; and whitespace
 * around `:` and before `;` is tolerated where Apple's parser gives up.
 */
import { ASCII_PRINTABLE, DIGIT, LOWER, SPECIAL, UPPER, toCharSet, unionChars } from './char-set.js';
import { normalizePolicy, type PasswordPolicy } from './password-policy.js';

export class PasswordRulesSyntaxError extends Error {
  override readonly name = 'PasswordRulesSyntaxError';

  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
  }
}

const NAMED_CLASSES: Readonly<Record<string, string>> = {
  upper: UPPER,
  lower: LOWER,
  digit: DIGIT,
  special: SPECIAL,
  'ascii-printable': ASCII_PRINTABLE,
  unicode: ASCII_PRINTABLE,
};

type Rule =
  | { name: 'minlength' | 'maxlength' | 'max-consecutive'; value: number }
  | { name: 'required' | 'allowed'; value: string };

/** `passwordrules` text → policy. Throws `PasswordRulesSyntaxError` on malformed input. */
export function parsePasswordRules(text: string): PasswordPolicy {
  const rules = new RulesReader(text).readAll();
  const numbers = (name: Rule['name']) =>
    rules.flatMap((rule) => (rule.name === name && typeof rule.value === 'number' && rule.value > 0 ? [rule.value] : []));
  const sets = (name: Rule['name']) =>
    rules.flatMap((rule) => (rule.name === name && typeof rule.value === 'string' && rule.value ? [rule.value] : []));

  const required = sets('required');
  const allowed = unionChars(...sets('allowed'), ...required);
  const minLengths = numbers('minlength');
  const maxLengths = numbers('maxlength');
  const maxConsecutive = numbers('max-consecutive');
  return normalizePolicy({
    minLength: minLengths.length ? Math.max(...minLengths) : 1,
    maxLength: maxLengths.length ? Math.min(...maxLengths) : null,
    requiredClasses: required,
    allowedChars: allowed || ASCII_PRINTABLE,
    maxConsecutive: maxConsecutive.length ? Math.min(...maxConsecutive) : null,
  });
}

/** A cursor over the text; each read method consumes what it recognises. */
class RulesReader {
  private position = 0;

  constructor(private readonly input: string) {}

  readAll(): Rule[] {
    const rules: Rule[] = [];
    this.skipSpace();
    while (!this.atEnd()) {
      if (this.peek() === ';') {
        this.position++;
      } else {
        const rule = this.readRule();
        if (rule) rules.push(rule);
        this.skipSpace();
        if (!this.atEnd() && this.peek() !== ';') this.fail('Expected ";" between rules');
      }
      this.skipSpace();
    }
    return rules;
  }

  private readRule(): Rule | undefined {
    const name = this.readIdentifier().toLowerCase();
    this.skipSpace();
    if (this.peek() !== ':') this.fail(`Expected ":" after "${name}"`);
    this.position++;
    this.skipSpace();
    if (this.atEnd() || this.peek() === ';') return undefined; // an empty value is ignored
    switch (name) {
      case 'minlength':
      case 'maxlength':
      case 'max-consecutive':
        return { name, value: this.readInteger() };
      case 'required':
      case 'allowed':
        return { name, value: this.readClasses() };
      default:
        return this.fail(`Unknown rule "${name}"`);
    }
  }

  private readClasses(): string {
    const sets: string[] = [];
    for (;;) {
      sets.push(this.peek() === '[' ? this.readCustomClass() : this.readNamedClass());
      this.skipSpace();
      if (this.peek() !== ',') return unionChars(...sets);
      this.position++;
      this.skipSpace();
    }
  }

  private readNamedClass(): string {
    const start = this.position;
    const name = this.readIdentifier().toLowerCase();
    const chars = NAMED_CLASSES[name];
    if (chars === undefined) {
      this.position = start;
      return this.fail(`Unknown character class "${name}"`);
    }
    return chars;
  }

  private readCustomClass(): string {
    const start = this.position + 1;
    const close = this.input.indexOf(']', start);
    if (close < 0) this.fail('Unterminated "[" character class');
    // "]]" means "]" is a member and the second one closes the set.
    const end = this.input[close + 1] === ']' ? close + 1 : close;
    const members = [...this.input.slice(start, end)].filter(
      (char, i) => char >= ' ' && char <= '~' && (char !== '-' || i === 0),
    );
    this.position = end + 1;
    return toCharSet(members);
  }

  private readIdentifier(): string {
    const match = /^[A-Za-z-]+/.exec(this.input.slice(this.position));
    if (!match) this.fail('Expected a name');
    this.position += match[0].length;
    return match[0];
  }

  private readInteger(): number {
    const match = /^\d+/.exec(this.input.slice(this.position));
    if (!match) this.fail('Expected a number');
    this.position += match[0].length;
    return Number(match[0]);
  }

  private skipSpace(): void {
    while (!this.atEnd() && /\s/.test(this.peek())) this.position++;
  }

  private peek(): string {
    return this.input[this.position] ?? '';
  }

  private atEnd(): boolean {
    return this.position >= this.input.length;
  }

  private fail(message: string): never {
    throw new PasswordRulesSyntaxError(message, this.position);
  }
}
