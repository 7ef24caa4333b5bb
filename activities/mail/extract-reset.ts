import type { ParsedMail } from 'mailparser';
import { normalizeHost } from '../../lib/domains.js';
import { htmlToLines, type HtmlLine } from './html-lines.js';

/** A link that reads like "reset your password"; `score` ranks candidates in one email. */
export interface ResetLinkCandidate {
  url: string;
  host: string;
  score: number;
  /** The href itself says reset/password/token, or its text names the reset action. */
  explicit: boolean;
}

export interface ExtractedReset {
  /** Best first, one entry per URL. */
  links: ResetLinkCandidate[];
  /** Best first. */
  codes: string[];
}

export type ParsedEmail = Pick<ParsedMail, 'subject' | 'text' | 'html' | 'textAsHtml'>;

// Matched against lower-cased text with diacritics removed ("réinitialiser" → "reinitialiser").
const RESET_ACTION = new RegExp(
  [
    'reset', 'recover', 'forgot', 'new password', 'change (?:your )?password', // en
    'reinitialis', 'recuper', 'nouveau mot de passe', 'changer (?:votre )?mot de passe', // fr
    'zurucksetz', 'wiederherstell', 'neues (?:passwort|kennwort)', '(?:passwort|kennwort) (?:andern|festlegen)', // de
    'restablec', 'nueva contrasena', 'cambiar (?:tu |su )?contrasena', // es
    'reimpost', 'ripristin', 'nuova password', // it
    'redefin', 'nova senha', 'repor (?:a |sua )*(?:palavra-passe|senha)', 'alterar (?:a )?senha', // pt
    'opnieuw instellen', 'herstel', 'resetten', 'nieuw wachtwoord', // nl
  ].join('|'),
);
const PASSWORD_WORD =
  /password|passwort|kennwort|mot de passe|contrasena|senha|palavra-passe|wachtwoord/;
const RESET_HREF =
  /reset|recover|passw|pwd|forgot|token|reinitiali|kennwort|contrasena|senha|wachtwoord|redefin|restablec|reimpost/;
// Links every email carries; a reset link never reads like these.
const NOT_RESET =
  /unsubscrib|unsub\b|opt-?out|preference|privacy|terms|\bhelp\b|support|contact|view (?:it )?(?:in|online)|browser|web version|report|not you|didn.?t request|desabonn|desinscri|abmeld|abbestell|datenschutz|impressum|darse de baja|privacidad|disiscri|annulla|descadastr|cancelar (?:a )?inscri|privacidade|uitschrijv|afmeld/;
// Anchor texts that say nothing by themselves: their line gives the meaning.
const GENERIC_WORDS = new Set(
  'click tap here this link button the on below cliquez ici ce lien hier klicken klik deze link haz clic aqui pulsa toca clique clicca qui questo'.split(' '),
);

const CODE_WORD =
  /code|codigo|codice|\botp\b|\bpin\b|passcode|one-time|verification|verificacion|verificacao|verifica|bestatigung|einmal/;

/** Extracts reset links and one-time codes from a parsed email. Pure: never fetches anything. */
export function extractReset(email: ParsedEmail): ExtractedReset {
  const lines = emailLines(email);
  return { links: extractResetLinks(lines.html), codes: extractResetCodes(email.subject ?? '', lines) };
}

interface EmailLines {
  /** Lines of the HTML part, or of the text part rendered as HTML (links found by mailparser). */
  html: HtmlLine[];
  /** Plain lines, for codes. */
  all: string[];
}

// The HTML part wins when there is one: mailparser may have generated `text` from it,
// hidden elements included, and hidden content is what we want to leave out.
function emailLines(email: ParsedEmail): EmailLines {
  if (email.html) {
    const html = htmlToLines(email.html);
    return { html, all: html.map((line) => line.text) };
  }
  const html = email.textAsHtml ? htmlToLines(email.textAsHtml) : [];
  const all = (email.text ?? '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  return { html, all };
}

export function extractResetLinks(lines: HtmlLine[]): ResetLinkCandidate[] {
  const best = new Map<string, ResetLinkCandidate>();
  lines.forEach((line, index) => {
    for (const link of line.links) {
      const url = parseHttpUrl(link.href);
      if (!url) continue;
      const candidate = scoreLink(url, link.text, line.text, lines[index - 1]?.text ?? '');
      const previous = best.get(candidate.url);
      if (candidate.score >= 3 && (!previous || previous.score < candidate.score)) {
        best.set(candidate.url, candidate);
      }
    }
  });
  return [...best.values()].sort((a, b) => b.score - a.score);
}

function scoreLink(url: URL, anchorText: string, lineText: string, previousLine: string): ResetLinkCandidate {
  const anchor = foldText(anchorText);
  const href = foldText(safeDecode(`${url.pathname}${url.search}`));
  const anchorIsUrl = /^https?:\/\//.test(anchor) || anchor === '';
  const generic = anchorIsUrl || anchor.split(/[^a-z]+/).filter(Boolean).every((w) => GENERIC_WORDS.has(w));

  let score = 0;
  const anchorSaysReset = !anchorIsUrl && RESET_ACTION.test(anchor);
  if (anchorSaysReset) score += 3;
  if (!anchorIsUrl && PASSWORD_WORD.test(anchor)) score += 2;
  const hrefSaysReset = RESET_HREF.test(href);
  if (hrefSaysReset) score += 2;
  if (generic) {
    const context = foldText(`${previousLine} ${lineText}`);
    if (RESET_ACTION.test(context)) score += 2;
    if (PASSWORD_WORD.test(context)) score += 1;
  }
  if (NOT_RESET.test(anchor) || NOT_RESET.test(href) || NOT_RESET.test(url.hostname)) score -= 6;

  return { url: url.href, host: normalizeHost(url.href), score, explicit: anchorSaysReset || hrefSaysReset };
}

export function extractResetCodes(subject: string, lines: EmailLines): string[] {
  const all = [subject, ...lines.all].map((line) => line.replace(/\bhttps?:\/\/\S+/gi, ' '));
  const mentionsCode = all.some((line) => CODE_WORD.test(foldText(line)));
  const scores = new Map<string, number>();

  all.forEach((line, index) => {
    const previous = index > 0 ? (all[index - 1] ?? '') : '';
    for (const { code, at } of findCodeTokens(line)) {
      const before = foldText(line.slice(Math.max(0, at - 60), at));
      const nearWord = CODE_WORD.test(before) || (line.trim() === code && CODE_WORD.test(foldText(previous)))
        || (CODE_WORD.test(foldText(line)) && line.length <= 80);
      const alone = line.replace(/[\s:.\-–]/g, '') === code.replace(/[\s-]/g, '');
      const isDigits = /^\d[\d -]*$/.test(code);
      let score = nearWord ? 3 : alone && mentionsCode ? 2 : 0;
      if (!isDigits && !nearWord) score = 0; // letters-and-digits only count next to "code"
      if (isDigits && /^(19|20)\d\d$/.test(code) && !nearWord) score = 0; // years in footers
      const normalized = code.replace(/[\s-]/g, '');
      if (score > 0) scores.set(normalized, Math.max(scores.get(normalized) ?? 0, score));
    }
  });
  return [...scores.entries()].sort((a, b) => b[1] - a[1]).map(([code]) => code);
}

// A code is a whole token: not part of a price, a date, a phone number or a longer word.
const CODE_TOKEN =
  /(?<![\w.,/#+€$£%-])(\d{3}[ -]\d{3}|\d{4}[ -]\d{4}|\d{4,8}|(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{6,8})(?![\w%€$£]|[.,:/-]\d)/g;

function findCodeTokens(line: string): Array<{ code: string; at: number }> {
  return [...line.matchAll(CODE_TOKEN)].map((m) => ({ code: m[0], at: m.index ?? 0 }));
}

function parseHttpUrl(href: string): URL | null {
  try {
    const url = new URL(href);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url : null;
  } catch {
    return null;
  }
}

/** Lower case without diacritics, so one keyword list covers "réinitialiser" and "reinitialiser". */
export function foldText(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
