// Bad input as an attacker sends it: strings holding a lone UTF-16 surrogate
// or a NUL byte, and bodies that are not valid UTF-8, in every string field of
// every route — found by walking the OpenAPI document, so a new route is
// covered the day it is added. Each gets 400 with the field named, never a 5xx
// (SPEC, "Bad input"). On SQLite and PostgreSQL: their drivers choke on
// different things.
import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, afterAll, expect, it } from 'vitest';
import { hashToken } from '../../lib/crypto.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';
import { forEachDatabase } from '../support/test-db.js';

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  const?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minLength?: number;
  minimum?: number;
};
type Operation = {
  parameters?: { name: string; in: string; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
type OpenApiDoc = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

/** One kind of bad text, as it appears inside a JSON body. */
interface BadText {
  name: string;
  /** The JSON body's bytes with `marker` (a JSON string literal) replaced by the bad string. */
  body(json: string, marker: string): Buffer;
  /** The same thing in a URL (path segment or query value), percent-encoded. */
  url: string;
}

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const BAD: BadText[] = [
  { name: 'lone high surrogate', body: (json, m) => utf8(json.replace(m, '"a\\ud800b"')), url: '' },
  { name: 'lone low surrogate', body: (json, m) => utf8(json.replace(m, '"\\udfff"')), url: '' },
  { name: 'NUL byte', body: (json, m) => utf8(json.replace(m, '"a\\u0000b"')), url: 'a%00b' },
  {
    name: 'invalid UTF-8',
    body: (json, m) => {
      const [before, after] = json.split(m) as [string, string];
      // A lone continuation byte, a truncated sequence and an encoded surrogate (CESU-8).
      return Buffer.concat([utf8(`${before}"a`), Buffer.from([0x80, 0xc3, 0x28, 0xed, 0xa0, 0x80]), utf8(`b"${after}`)]);
    },
    url: 'a%C3%28%ED%A0%80b',
  },
];

const MARKER = '__bad_text_goes_here__';

forEachDatabase('bad text in every string field', (get) => {
  let t: ReturnType<typeof createTestApp>;
  let doc: OpenApiDoc;
  let cookie: string;

  beforeAll(async () => {
    const { db } = get();
    t = createTestApp({ config: testConfig({ CRON_SECRET: randomBytes(24).toString('hex') }), db });
    doc = (await (await t.app.request('/api/openapi.json')).json()) as OpenApiDoc;
    // Signed in, with a sudo grant: the requests get as far as a person's can.
    const user = await db.user.create({ data: { email: `${randomUUID()}@example.com` } });
    const token = randomBytes(32).toString('base64url');
    const sudo = randomBytes(32).toString('base64url');
    await db.session.create({
      data: { userId: user.id, tokenHash: hashToken(token), expiresAt: new Date(Date.now() + 3_600_000), sudoHash: hashToken(sudo), sudoUntil: new Date(Date.now() + 300_000) },
    });
    cookie = `authjs.session-token=${token}; rekey.sudo=${sudo}`;
  });
  afterAll(async () => {
    await t?.close();
  });

  const resolve = (schema: Schema | undefined): Schema => {
    let s = schema ?? {};
    while (s.$ref) s = doc.components?.schemas?.[s.$ref.split('/').pop()!] ?? {};
    if (s.allOf?.length) s = s.allOf.reduce<Schema>((acc, part) => ({ ...acc, ...resolve(part), properties: { ...acc.properties, ...resolve(part).properties } }), {});
    const variants = s.anyOf ?? s.oneOf;
    if (variants) s = resolve(variants.find((v) => resolve(v).type !== 'null') ?? variants[0]);
    return s;
  };
  const typeOf = (s: Schema) => (Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type);

  /** A body that passes validation where it can: the bad string is then the only thing wrong with it. */
  function sample(schema: Schema | undefined, name = ''): unknown {
    const s = resolve(schema);
    if (s.const !== undefined) return s.const;
    if (s.enum?.length) return s.enum[0];
    switch (typeOf(s)) {
      case 'object':
        return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, sample(v, k)]));
      case 'array':
        return [sample(s.items, name)];
      case 'integer':
      case 'number':
        return Math.max(1, s.minimum ?? 1);
      case 'boolean':
        return true;
      case 'string':
        // Formats first, then what the field's name says it holds (private targets are allowed here: no DNS needed).
        if (s.format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
        if (s.format === 'email' || /email/i.test(name)) return 'someone@example.com';
        if (s.format === 'uri' || s.format === 'url' || /url/i.test(name)) return 'http://127.0.0.1:9/';
        if (/host/i.test(name)) return '127.0.0.1';
        if (/secret/i.test(name)) return 'JBSWY3DPEHPK3PXP';
        if (/code/i.test(name)) return '123456';
        return 'x'.repeat(Math.max(8, s.minLength ?? 0));
      default:
        return 'x';
    }
  }

  /** Paths (property names and array indexes) of every string in a body shaped like `schema`. */
  function stringFields(schema: Schema | undefined, at: string[] = []): string[][] {
    const s = resolve(schema);
    switch (typeOf(s)) {
      case 'object':
        return Object.entries(s.properties ?? {}).flatMap(([k, v]) => stringFields(v, [...at, k]));
      case 'array':
        return stringFields(s.items, [...at, '0']);
      case 'string':
        return [at];
      default:
        return [];
    }
  }

  function withMarker(body: unknown, field: string[]): unknown {
    if (field.length === 0) return MARKER;
    const [head, ...rest] = field as [string, ...string[]];
    if (Array.isArray(body)) return body.map((v, i) => (String(i) === head ? withMarker(v, rest) : v));
    return { ...(body as Record<string, unknown>), [head]: withMarker((body as Record<string, unknown>)[head], rest) };
  }

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item)
        .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
    );
  const jsonSchemaOf = (op: Operation) => op.requestBody?.content?.['application/json']?.schema;
  const urlFor = (path: string, params: Record<string, string> = {}) => path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? randomUUID());

  async function send(method: string, url: string, body?: Buffer) {
    const headers: Record<string, string> = { cookie, authorization: `Bearer ${t.deps.config.cronSecret}` };
    if (url.startsWith('/api/cron') || url.startsWith('/codec')) delete headers.cookie;
    else delete headers.authorization;
    if (body) headers['content-type'] = 'application/json';
    const res = await t.app.request(url, { method, headers, body: body ? new Uint8Array(body).buffer : undefined });
    const text = await res.text();
    let field: string | undefined;
    try {
      field = (JSON.parse(text) as { error?: { field?: string } }).error?.field;
    } catch {
      field = undefined;
    }
    return { status: res.status, field, text };
  }

  it('GET /api/openapi.json is in the OpenAPI document', () => {
    expect(doc.paths['/api/openapi.json']?.get).toBeDefined();
  });

  it('every string field of every JSON body: lone surrogates, NUL bytes and invalid UTF-8 get 400 with the field named', async () => {
    const wrong: string[] = [];
    let cases = 0;
    const routes = new Set<string>();
    for (const { method, path, op } of operations()) {
      const schema = jsonSchemaOf(op);
      if (!schema) continue;
      const base = sample(schema);
      for (const field of stringFields(schema)) {
        const json = JSON.stringify(withMarker(base, field));
        for (const bad of BAD) {
          const got = await send(method, urlFor(path), bad.body(json, JSON.stringify(MARKER)));
          cases++;
          routes.add(`${method} ${path}`);
          if (got.status !== 400 || got.field !== field.join('.')) wrong.push(`${method} ${path} ${field.join('.')} (${bad.name}): ${got.status} ${got.text.slice(0, 160)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    // The walk found the routes the issue named, and many more.
    expect(routes).toContain('POST /api/passwords');
    expect(routes).toContain('POST /api/chat/reset');
    expect(routes.size).toBeGreaterThan(20);
    expect(cases).toBeGreaterThan(200);
  }, 300_000);

  it('every path and query parameter: NUL bytes and invalid UTF-8 get 400 with the parameter named', async () => {
    const wrong: string[] = [];
    let cases = 0;
    for (const { method, path, op } of operations()) {
      const params = (op.parameters ?? []).filter((p) => (p.in === 'path' || p.in === 'query') && typeOf(resolve(p.schema)) === 'string');
      const schema = jsonSchemaOf(op);
      const body = schema ? utf8(JSON.stringify(sample(schema))) : undefined;
      for (const param of params) {
        for (const bad of BAD.filter((b) => b.url)) {
          const url = param.in === 'path' ? urlFor(path, { [param.name]: bad.url }) : `${urlFor(path)}?${param.name}=${bad.url}`;
          const got = await send(method, url, body);
          cases++;
          const expected = param.in === 'path' ? 'path' : param.name;
          if (got.status !== 400 || got.field !== expected) wrong.push(`${method} ${url} (${bad.name}): ${got.status} ${got.text.slice(0, 160)}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(cases).toBeGreaterThan(20);
  }, 300_000);
});
