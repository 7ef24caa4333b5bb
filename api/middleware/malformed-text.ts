// Text that is not text never reaches a route: a NUL byte or an unpaired
// UTF-16 surrogate in any JSON string (value or key), a path segment or a
// query value, and a body or URL that is not valid UTF-8, get 400 with the
// field named (SPEC, "Bad input"). Checked once here, before any route runs,
// because such strings pass zod's `z.string()` and then break further down:
// PostgreSQL refuses NUL in text, the drivers cannot encode a lone surrogate,
// and the answer would be a 500 on every route that stores a string.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../../lib/errors.js';

const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const REPLACEMENT = '\uFFFD';
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lenientUtf8 = new TextDecoder('utf-8');

/** A NUL or an unpaired surrogate: not something a person typed. */
export function isMalformedText(s: string): boolean {
  return s.includes('\u0000') || UNPAIRED_SURROGATE.test(s);
}

const invalid = (field: string, what: string) => new AppError('validation_failed', `${field}: ${what}`, { field });
const NOT_TEXT = 'must be text without NUL characters or unpaired surrogates';
const NOT_UTF8 = 'must be valid UTF-8';

export function rejectMalformedText(): MiddlewareHandler {
  return async (c, next) => {
    checkUrl(new URL(c.req.url));
    const type = c.req.header('content-type') ?? '';
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD' && /^application\/([\w.+-]*\+)?json\b/i.test(type)) {
      // Hono keeps the bytes read here: the route's validator parses them again.
      checkJsonBody(new Uint8Array(await c.req.arrayBuffer()));
    }
    await next();
  };
}

function checkUrl(url: URL): void {
  for (const segment of url.pathname.split('/')) {
    const decoded = decodeStrict(segment);
    if (decoded === null) throw invalid('path', NOT_UTF8);
    if (isMalformedText(decoded)) throw invalid('path', NOT_TEXT);
  }
  for (const pair of url.search.slice(1).split('&')) {
    if (!pair) continue;
    const [rawName = '', ...rest] = pair.split('=');
    const name = decodeStrict(rawName.replace(/\+/g, ' '));
    const value = decodeStrict(rest.join('=').replace(/\+/g, ' '));
    const field = name !== null && !isMalformedText(name) ? name : 'query';
    if (name === null || value === null) throw invalid(field, NOT_UTF8);
    if (isMalformedText(name) || isMalformedText(value)) throw invalid(field, NOT_TEXT);
  }
}

function decodeStrict(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null; // a percent-encoded byte sequence that is not UTF-8
  }
}

function checkJsonBody(bytes: Uint8Array): void {
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    // Name the string the bad bytes are in: where the lenient decoder put its replacement characters.
    const lenient = parseJson(lenientUtf8.decode(bytes));
    const field = lenient === undefined ? undefined : findString(lenient, (s) => s.includes(REPLACEMENT));
    throw invalid(field || 'body', NOT_UTF8);
  }
  const body = parseJson(text);
  if (body === undefined) return; // not JSON: the route's validator answers that
  const field = findString(body, isMalformedText);
  if (field !== undefined) throw invalid(field || 'body', NOT_TEXT);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The dotted path (`items.0.name`) of the first string, value or key, that `bad` flags. Iterative: bodies may nest deeply. */
function findString(root: unknown, bad: (s: string) => boolean): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'string') {
      if (bad(value)) return path;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], path: join(path, String(i)) });
    } else if (value && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      for (const [key] of entries) if (bad(key)) return join(path, key.replace(/[\uD800-\uDFFF\u0000]/g, REPLACEMENT));
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], path: join(path, entries[i]![0]) });
    }
  }
  return undefined;
}
