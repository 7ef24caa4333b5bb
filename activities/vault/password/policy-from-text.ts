import { ASCII_PRINTABLE, DIGIT, LETTER, LOWER, SPECIAL, UPPER, intersectChars, subtractChars, toCharSet, unionChars } from './char-set.js';
import { positionalPattern } from './html-pattern.js';
import { normalizePolicy, type PasswordPolicy } from './password-policy.js';
import * as words from './policy-text-lexicon.js';
import type { CharacterKind } from './policy-text-lexicon.js';
import { hasWord, indexOfWord, wordRegex } from './policy-text-regex.js';
import { readSymbolList, readSymbolTokens } from './read-symbol-list.js';

/*
 * Reads the password rules a page states in prose — "at least 12 characters, one
 * uppercase letter, a number, no spaces", "au moins 12 caractères", "mindestens 10
 * Zeichen", "entre 8 y 20 caracteres" — and the site's complaints after a rejected
 * attempt, which use the same phrasing. Pass the text shown near the password field,
 * not a whole page.
 *
 * The text is cut into sentences (a sentence with "only" restricts what is allowed) and
 * sentences into clauses (a clause with "no"/"not allowed" forbids what it names). Each
 * clause is read for a run limit first, then lengths, then character classes, each step
 * blanking what it used so the next does not read it again ("at most 2 identical
 * characters" is not a maximum length).
 */

interface Findings {
  minLengths: number[];
  maxLengths: number[];
  maxConsecutive: number[];
  required: string[];
  forbidden: string[];
  /** Set by "only …" sentences: everything that may appear. */
  allowedOnly?: string;
  /** Set by a complete list of accepted symbols. */
  allowedSymbols?: string;
  patterns: string[];
}

export function policyFromText(text: string): PasswordPolicy {
  const found: Findings = { minLengths: [], maxLengths: [], maxConsecutive: [], required: [], forbidden: [], patterns: [] };
  for (const sentence of splitSentences(foldPolicyText(text))) {
    const restrictive = hasWord(words.ONLY, sentence) || wordRegex('(?:be|etre|sein|ser)\\s+(?:\\S+\\s+)?alpha-?numeri').test(sentence);
    // "Passwords can include letters, numbers and symbols": the permission covers the list.
    const permissive = isPermissive(sentence);
    for (const clause of splitClauses(sentence)) {
      if (readRunLimit(clause, found)) continue;
      readClasses(readLengths(clause, found), { restrictive, permissive }, found);
    }
  }
  return toPolicy(found);
}

function toPolicy(found: Findings): PasswordPolicy {
  let allowed = found.allowedOnly ?? ASCII_PRINTABLE;
  if (found.allowedSymbols !== undefined) allowed = unionChars(subtractChars(allowed, SPECIAL), intersectChars(found.allowedSymbols, allowed));
  return normalizePolicy({
    minLength: Math.max(1, ...found.minLengths),
    maxLength: found.maxLengths.length ? Math.min(...found.maxLengths) : null,
    requiredClasses: found.required,
    allowedChars: allowed,
    maxConsecutive: found.maxConsecutive.length ? Math.min(...found.maxConsecutive) : null,
    forbidden: toCharSet(found.forbidden.join('')),
    patterns: found.patterns,
  });
}

/** Lower-case, no accents, plain quotes and dashes, abbreviation dots removed ("min. 8"). */
export function foldPolicyText(text: string): string {
  let folded = text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d\u00ab\u00bb]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u00a0\u2009\u202f]/g, ' ')
    .replace(/\b(e)\.(g)\.|\b(i)\.(e)\.|\b(z)\.\s?(b)\.|\b(p)\.\s?(ex|ej)\./g, (...groups: unknown[]) =>
      groups.slice(1, 9).filter((g) => typeof g === 'string').join(''),
    )
    .replace(/\b(min|max|mind|ca|bzw|inkl|incl|approx|env|etc|vs)\./g, '$1');
  for (const [pattern, replacement] of words.BOUND_REWRITES) folded = folded.replace(pattern, replacement);
  return folded;
}

function splitSentences(text: string): string[] {
  return text
    // A full stop after a word, or glued to anything and followed by a word ("!@#$. No spaces").
    .split(/\r?\n|[•·▪●◦;]|(?<=[\p{L}\p{N})\]"'])[.!?](?=\s|$)|(?<=\S)\.(?=\s+\p{L}{2})/u)
    .map((sentence) => sentence.replace(/^\s*[-*]\s+/, '').trim())
    .filter(Boolean);
}

/** Commas before words, "but", and "and"/"or" followed by a new obligation or a negation. */
function splitClauses(sentence: string): string[] {
  const modal =
    "(?:must|should|may|can|cannot|can't|does|do|is|are|doit|doivent|peut|darf|muss|kann|debe|puede|no|not|never|sin|without|pas|sans|ohne|kein|keine|keinen|nicht)";
  return sentence
    .split(new RegExp(`,\\s+(?=\\p{L})|\\s+(?:but|mais|aber|pero)\\s+|\\s+(?:and|et|und|y|or|ou|oder|o)\\s+(?=${modal}(?![\\p{L}]))`, 'u'))
    .map((clause) => ` ${clause.trim()} `);
}

/** "no more than 2 identical characters in a row" and its translations. Consumes the clause. */
function readRunLimit(clause: string, found: Findings): boolean {
  if (!hasWord(words.REPEAT_CUE, clause)) return false;
  // SAME_CUE holds word stems, so it is matched without word boundaries.
  if (hasWord(words.SEQUENCE_CUE, clause) && !new RegExp(words.SAME_CUE).test(clause)) return false;
  const negated = hasWord(words.NEGATION, clause) || hasWord(words.NEGATION_AFTER, clause);
  const limit =
    numberAfter(`${words.MIN_EXCLUSIVE_CUE}\\s+`, clause) ??
    numberAfter(`${words.MAX_CUE}\\s*:?\\s*`, clause) ??
    minus1(numberBefore('\\s+(?:or more|ou plus|oder mehr|o mas)', clause)) ??
    (negated ? minus1(numberAfter('', clause)) ?? 1 : undefined);
  if (limit === undefined) return false;
  found.maxConsecutive.push(Math.max(1, limit));
  return true;
}

/** Lengths in every phrasing we know; returns the clause with the matched phrases blanked. */
function readLengths(clause: string, found: Findings): string {
  const { NUM, CHAR_NOUN } = words;
  const rules: Array<[source: string, apply: (a: number, b: number) => void]> = [
    [`${words.EXACT_CUE}\\s+${NUM}\\s+${CHAR_NOUN}`, (n) => (found.minLengths.push(n), found.maxLengths.push(n))],
    [`(?:${words.RANGE_START}\\s+)?${NUM}\\s*${words.RANGE_JOIN}\\s*${NUM}\\s+${CHAR_NOUN}`, (a, b) => pushRange(a, b, found)],
    [`(?:length|longueur|lange|longitud)\\D{0,25}?${NUM}\\s*${words.RANGE_JOIN}\\s*${NUM}`, (a, b) => pushRange(a, b, found)],
    [`${words.MIN_LENGTH_NOUN}\\s*(?:of|is|:|=|de|est de|von|betragt)?\\s*${NUM}`, (n) => found.minLengths.push(n)],
    [`${words.MAX_LENGTH_NOUN}\\s*(?:of|is|:|=|de|est de|von|betragt)?\\s*${NUM}`, (n) => found.maxLengths.push(n)],
    [`${words.MIN_CUE}\\s*:?\\s*${NUM}\\s+${CHAR_NOUN}`, (n) => found.minLengths.push(n)],
    [`${words.MIN_EXCLUSIVE_CUE}\\s+${NUM}\\s+${CHAR_NOUN}`, (n) => found.minLengths.push(n + 1)],
    [`${NUM}\\s*(?:\\+|or more|ou plus|oder mehr|o mas)\\s*${CHAR_NOUN}`, (n) => found.minLengths.push(n)],
    [`${words.MAX_CUE}\\s*:?\\s*${NUM}\\s+${CHAR_NOUN}`, (n) => found.maxLengths.push(n)],
    [`${words.MAX_EXCLUSIVE_CUE}\\s+${NUM}\\s+${CHAR_NOUN}`, (n) => found.maxLengths.push(n - 1)],
    [`${NUM}\\s+${CHAR_NOUN}\\s+${words.MIN_AFTER}`, (n) => found.minLengths.push(n)],
    [`${NUM}\\s+${CHAR_NOUN}\\s+${words.MAX_AFTER}`, (n) => found.maxLengths.push(n)],
  ];
  let rest = clause;
  for (const [source, apply] of rules) {
    rest = rest.replace(wordRegex(source, 'g'), (whole: string, a: string, b: unknown) => {
      const first = words.toNumber(a);
      const second = typeof b === 'string' ? words.toNumber(b) : undefined;
      if (first === undefined) return whole;
      apply(first, second ?? first);
      return ' '.repeat(whole.length);
    });
  }
  return rest;
}

function pushRange(a: number, b: number, found: Findings): void {
  if (a > b) return;
  found.minLengths.push(a);
  found.maxLengths.push(b);
}

interface Mention {
  kind: CharacterKind;
  start: number;
  end: number;
}

function readClasses(clause: string, sentence: { restrictive: boolean; permissive: boolean }, found: Findings): void {
  const { restrictive } = sentence;
  const mentions = findMentions(clause);
  const negatedAfter = indexOfWord(words.NEGATION_AFTER, clause);
  const negatedFrom = negatedAfter < 0 ? indexOfWord(words.NEGATION, clause) : -1;
  const isNegated = (at: number) => (negatedAfter >= 0 ? at < negatedAfter : negatedFrom >= 0 && at > negatedFrom);
  const permissive = sentence.permissive || isPermissive(clause);
  const atStart = hasWord(words.START_CUE, clause);
  const atEnd = hasWord(words.END_CUE, clause);

  for (const mention of mentions) {
    const symbols = mention.kind === 'special' ? readSymbolList(clause.slice(mention.end)) : undefined;
    const chars = symbols?.chars ?? charsOf(mention.kind);
    const negated = isNegated(mention.start);
    if (atStart || atEnd) {
      if (atStart) found.patterns.push(positionalPattern(chars, 'start', negated));
      if (atEnd) found.patterns.push(positionalPattern(chars, 'end', negated));
    } else if (negated) {
      found.forbidden.push(chars);
    } else if (restrictive) {
      found.allowedOnly = unionChars(found.allowedOnly ?? '', mention.kind === 'space' ? ' ' : chars);
    } else {
      // A complete list, or any list in "allowed symbols: …", says which symbols are accepted.
      if (symbols && (symbols.complete || permissive)) found.allowedSymbols = symbols.chars;
      if (!permissive) found.required.push(...requirementsOf(mention.kind, chars, countBefore(clause.slice(0, mention.start))));
    }
  }

  // Symbols named without a class word: "cannot contain < or >", "only letters, digits and - _".
  // After a special-character mention they belong to it instead.
  const stray = mentions.some((m) => m.kind === 'special') ? '' : readSymbolTokens(clause, { stopAtWord: false });
  if (stray && (negatedFrom >= 0 || negatedAfter >= 0)) found.forbidden.push(stray);
  else if (stray && restrictive) found.allowedOnly = unionChars(found.allowedOnly ?? '', stray);
}

/** Class words in the clause, most specific first, none overlapping. */
function findMentions(clause: string): Mention[] {
  let rest = clause;
  const mentions: Mention[] = [];
  for (const [kind, source] of words.CLASS_WORDS) {
    rest = rest.replace(wordRegex(source, 'g'), (whole: string, ...args: unknown[]) => {
      const start = args.find((arg): arg is number => typeof arg === 'number') ?? 0;
      mentions.push({ kind, start, end: start + whole.length });
      return ' '.repeat(whole.length);
    });
  }
  return mentions.sort((a, b) => a.start - b.start);
}

function charsOf(kind: CharacterKind): string {
  const sets: Record<CharacterKind, string> = {
    both: LETTER,
    special: SPECIAL,
    alnum: LETTER + DIGIT,
    upper: UPPER,
    lower: LOWER,
    digit: DIGIT,
    letter: LETTER,
    space: ' ',
  };
  return toCharSet(sets[kind]);
}

/** What must appear, `count` times each: "upper and lower case" is two requirements. */
function requirementsOf(kind: CharacterKind, chars: string, count: number): string[] {
  const sets = kind === 'both' ? [UPPER, LOWER] : kind === 'alnum' ? [LETTER, DIGIT] : kind === 'space' ? [] : [chars];
  return sets.flatMap((set) => Array<string>(count).fill(set));
}

/** "may contain", "are allowed" — and nothing that says "must". */
function isPermissive(text: string): boolean {
  return hasWord(words.PERMISSIVE, text) && !hasWord(words.OBLIGATION, text);
}

/** "2 digits", "one uppercase letter", "une majuscule": the count right before a class word. */
function countBefore(before: string): number {
  const match = wordRegex(`(${words.NUM_NC}|${words.ARTICLE})\\s+(?:(?:more|additional|extra|other|weitere[nrs]?)\\s+)?$`).exec(before);
  const count = match?.[1] ? (words.toNumber(match[1]) ?? 1) : 1;
  return Math.min(Math.max(count, 1), 10);
}

function numberAfter(cue: string, clause: string): number | undefined {
  const match = wordRegex(`${cue}${words.NUM}(?![\\p{L}\\p{N}])`).exec(clause);
  return match?.[1] ? words.toNumber(match[1]) : undefined;
}

function numberBefore(cue: string, clause: string): number | undefined {
  const match = wordRegex(`${words.NUM}${cue}`).exec(clause);
  return match?.[1] ? words.toNumber(match[1]) : undefined;
}

function minus1(value: number | undefined): number | undefined {
  return value === undefined ? undefined : value - 1;
}
