import { parse } from 'tldts';
import { normalizeHost, registrableDomain } from '../lib/domains.js';
import { damerauLevenshtein } from './damerau-levenshtein.js';
import { fillerWords } from './filler-words.js';
import type { Service } from './service.js';

export type ResolveResult =
  | { match: Service; confidence: number }
  | { candidates: Service[] }
  /** `domainGuess` only when the text held a domain or URL we do not know. */
  | { unknown: true; domainGuess?: string };

/** The part of a catalog the resolver needs. */
export interface ServiceLookup {
  all(): readonly Service[];
  byDomain(hostOrUrl: string): Service | undefined;
}

const MAX_CANDIDATES = 5;
/** Services scoring within this of the best one are too close to pick between. */
const TIE_WINDOW = 0.15;
/** Longest run of words a name or alias spans ("office 365", "prime video"). */
const MAX_WORDS = 3;

/**
 * Understands what people type to name a service: "Reset my Netflix password",
 * "reset netflx", "change my spotify pw", "github.com", a URL, an alias, in English,
 * French, German or Spanish phrasing.
 *
 * A domain or URL in the text decides on its own. Otherwise names and aliases are
 * matched exactly, then with a small edit distance after dropping filler words. We never
 * turn a bare unknown word into a domain guess: "netflxx" must not become netflxx.com.
 */
export function resolveService(text: string, catalog: ServiceLookup): ResolveResult {
  const byHost = resolveByHost(text, catalog);
  if (byHost) return byHost;
  // An e-mail address is the account, not the service: "spotify for me@gmail.com" is Spotify.
  const words = splitWords(foldText(text.replace(/\S+@\S+/g, ' ')));
  return pickBest(scoreServices(words, catalog.all()));
}

function resolveByHost(text: string, catalog: ServiceLookup): ResolveResult | undefined {
  const hosts = findHosts(text, catalog);
  if (!hosts.length) return undefined;
  const known = [...new Set(hosts.map((host) => catalog.byDomain(host)).filter((s): s is Service => !!s))];
  const [only] = known;
  if (known.length === 1 && only) return { match: only, confidence: 1 };
  if (known.length > 1) return { candidates: known.slice(0, MAX_CANDIDATES) };
  const [first] = hosts;
  const guess = first ? (registrableDomain(first) ?? first) : undefined;
  return guess ? { unknown: true, domainGuess: guess } : { unknown: true };
}

/** Host names written in the text, as URLs or bare domains; e-mail addresses are not hosts. */
function findHosts(text: string, catalog: ServiceLookup): string[] {
  const hosts: string[] = [];
  for (const chunk of text.toLowerCase().split(/\s+/)) {
    const word = chunk.replace(/^[(<"'[]+/, '').replace(/[)>"'\].,;:!?]+$/, '');
    if (!word || word.includes('@')) continue;
    const isUrl = /^https?:\/\//.test(word);
    // Scheme-less text must end in a letter label, so "v1.2.3" or "8.5" is not a host.
    if (!isUrl && !/^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}[\p{L}\p{N}-]*(?::\d+)?(?:[/?#]\S*)?$/u.test(word)) continue;
    const host = normalizeHost(word);
    if (host && isPlausibleHost(host, catalog)) hosts.push(host);
  }
  return [...new Set(hosts)];
}

function isPlausibleHost(host: string, catalog: ServiceLookup): boolean {
  if (catalog.byDomain(host)) return true;
  if (host.endsWith('.localhost')) return true;
  const parsed = parse(host);
  // "node.js" or "file.txt" end in something that is not a real top-level domain.
  return parsed.isIp === true || (parsed.isIcann === true && parsed.domain !== null);
}

/** Lower-case, accents removed: "Réinitialiser" and "reinitialiser" are the same word. */
export function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

function splitWords(folded: string): string[] {
  // "+" stays inside words so "disney+" is one word.
  return folded.split(/[^\p{L}\p{N}+]+/u).filter((word) => compact(word) !== '');
}

/** Letters and digits only: "Disney+" → "disney", "HBO Max" → "hbomax". */
function compact(text: string): string {
  return foldText(text).replace(/[^\p{L}\p{N}]/gu, '');
}

/** Best score per service: 1 for an exact name or alias, less for near misses. */
function scoreServices(words: readonly string[], services: readonly Service[]): Map<Service, number> {
  const keys = services.map((service) => ({
    service,
    keys: [...new Set([service.name, service.id, ...service.aliases].map(compact).filter(Boolean))],
  }));
  const scores = new Map<Service, number>();
  const record = (service: Service, score: number) => scores.set(service, Math.max(scores.get(service) ?? 0, score));

  // Exact pass over all words, filler included, so "apple id" and "microsoft account" hit.
  for (const gram of wordGrams(words)) {
    for (const { service, keys: serviceKeys } of keys) if (serviceKeys.includes(gram)) record(service, 1);
  }
  // Fuzzy pass only over what is left once filler is gone: "password" must not match anything.
  const meaningful = words.filter((word) => !fillerWords.has(word));
  for (const gram of wordGrams(meaningful)) {
    for (const { service, keys: serviceKeys } of keys) {
      for (const key of serviceKeys) {
        const score = fuzzyScore(gram, key);
        if (score > 0) record(service, score);
      }
    }
  }
  return scores;
}

/** Compacted runs of 1..MAX_WORDS consecutive words. */
function wordGrams(words: readonly string[]): string[] {
  const grams: string[] = [];
  for (let size = 1; size <= MAX_WORDS; size++) {
    for (let start = 0; start + size <= words.length; start++) grams.push(compact(words.slice(start, start + size).join('')));
  }
  return grams;
}

/**
 * Similarity in (0, 1) for a plausible typo of `key`, else 0. Short names need to be
 * nearly exact ("user" must not become Uber, "team" must not become Steam), and the first
 * letter must match or be swapped with the second — people rarely mistype that one.
 */
function fuzzyScore(gram: string, key: string): number {
  if (gram === key || gram.length < 4 || key.length < 4) return 0;
  const sameStart = gram[0] === key[0] || (gram[0] === key[1] && gram[1] === key[0]);
  if (!sameStart) return 0;
  if (key.length === 4 && !isAdjacentSwap(gram, key)) return 0;
  const allowed = key.length <= 7 ? 1 : 2;
  const distance = damerauLevenshtein(gram, key, allowed);
  if (distance > allowed) return 0;
  return 1 - distance / Math.max(gram.length, key.length);
}

function isAdjacentSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const diffs = [...a].flatMap((char, i) => (char === b[i] ? [] : [i]));
  const [first, second] = diffs;
  return diffs.length === 2 && first !== undefined && second === first + 1 && a[first] === b[second] && a[second] === b[first];
}

function pickBest(scores: Map<Service, number>): ResolveResult {
  const ranked = [...scores.entries()].sort((a, b) => b[1] - a[1]);
  const [best] = ranked;
  if (!best) return { unknown: true };
  const contenders = ranked.filter(([, score]) => score >= best[1] - TIE_WINDOW);
  if (contenders.length === 1) return { match: best[0], confidence: Math.round(best[1] * 100) / 100 };
  return { candidates: contenders.slice(0, MAX_CANDIDATES).map(([service]) => service) };
}
