// GET /docs: the API reference, rendered at request time from the same
// OpenAPI document GET /api/openapi.json serves (so it can never drift from
// the routes): every operation with its parameters, request and response
// schemas, and curl and TypeScript `fetch` examples. Plain HTML and one
// same-origin stylesheet (/docs/docs.css): the CSP allows no inline styles or
// scripts, and nothing is loaded from elsewhere.
import { createRoute, z } from '@hono/zod-openapi';
import { createApi } from '../create-api.js';

// ---- the slice of OpenAPI 3.1 the renderer reads -------------------------------

type Schema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  description?: string;
  enum?: unknown[];
  const?: unknown;
  example?: unknown;
  examples?: unknown[];
  default?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
};
type Media = Record<string, { schema?: Schema }>;
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema?: Schema };
type Operation = {
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Media; description?: string };
  responses?: Record<string, { description?: string; content?: Media }>;
};
export type OpenApiDocument = {
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, { type?: string; scheme?: string; in?: string; name?: string; description?: string }> };
};

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

// ---- small HTML helpers ---------------------------------------------------------

const esc = (value: unknown) =>
  String(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Escaped text with `code` spans: the only markup descriptions use. */
const prose = (text: string) => esc(text).replace(/`([^`]+)`/g, '<code>$1</code>');

const anchorOf = (method: string, path: string) => `op-${method}-${path.replace(/[^a-zA-Z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
const schemaAnchor = (name: string) => `schema-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`;

function refName(ref: string): string {
  return ref.split('/').pop() ?? ref;
}

// ---- schemas: types, property tables, examples --------------------------------

function createSchemaTools(doc: OpenApiDocument) {
  const components = doc.components?.schemas ?? {};
  const resolve = (s: Schema | undefined): Schema => {
    let current = s ?? {};
    for (let i = 0; i < 10 && current.$ref; i++) current = components[refName(current.$ref)] ?? {};
    return current;
  };
  const variants = (s: Schema) => s.anyOf ?? s.oneOf ?? null;

  function typeLabel(s: Schema | undefined, depth = 0): string {
    if (!s) return 'any';
    if (s.$ref) {
      const name = refName(s.$ref);
      return `<a href="#${schemaAnchor(name)}">${esc(name)}</a>`;
    }
    if (depth > 6) return '…';
    const options = variants(s);
    if (options) return options.map((o) => typeLabel(o, depth + 1)).join(' | ');
    if (s.allOf) return s.allOf.map((o) => typeLabel(o, depth + 1)).join(' &amp; ');
    if (s.const !== undefined) return `<code>${esc(JSON.stringify(s.const))}</code>`;
    if (s.enum) return s.enum.map((v) => `<code>${esc(JSON.stringify(v))}</code>`).join(' | ');
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    const label = types
      .map((t) => {
        if (t === 'array') return `array of ${typeLabel(s.items, depth + 1)}`;
        if (t === 'string' && s.format) return `string (${esc(s.format)})`;
        return esc(t);
      })
      .join(' | ');
    const base = label || (s.properties ? 'object' : 'any');
    return s.nullable ? `${base} | null` : base;
  }

  function constraints(s: Schema | undefined): string {
    if (!s) return '';
    const r = resolve(s);
    const parts: string[] = [];
    if (r.minLength !== undefined || r.maxLength !== undefined) parts.push(`length ${r.minLength ?? 0}–${r.maxLength ?? '∞'}`);
    if (r.minimum !== undefined || r.maximum !== undefined) parts.push(`${r.minimum ?? '−∞'} to ${r.maximum ?? '∞'}`);
    if (r.default !== undefined) parts.push(`default ${JSON.stringify(r.default)}`);
    return parts.length ? ` <span class="constraints">${esc(parts.join(', '))}</span>` : '';
  }

  /** The object's properties as a table; nested inline objects as nested tables. */
  function propertyTable(schema: Schema | undefined, opts: { markRequired: boolean }, depth = 0): string {
    const s = schema?.$ref ? resolve(schema) : (schema ?? {});
    const objectLike = s.properties ?? variants(s)?.map(resolve).find((v) => v.properties)?.properties;
    if (!objectLike) {
      return `<p class="schema-type">${typeLabel(schema)}${constraints(schema)}</p>`;
    }
    const required = new Set(s.required ?? []);
    const rows = Object.entries(objectLike).map(([name, prop]) => {
      const inner = prop.$ref ? undefined : prop.properties ? prop : prop.items && !prop.items.$ref && prop.items.properties ? prop.items : undefined;
      const nested = inner && depth < 3 ? propertyTable(inner, opts, depth + 1) : '';
      const description = prop.description ?? resolve(prop).description ?? '';
      const mark = opts.markRequired && required.has(name) ? ' <span class="required">required</span>' : '';
      return `<tr><td class="field"><code>${esc(name)}</code>${mark}</td><td>${typeLabel(prop)}${constraints(prop)}</td><td>${prose(description)}${nested}</td></tr>`;
    });
    return `<table class="props"><thead><tr><th>Field</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  }

  /** A plausible value for a schema: its example, else one made from its type and name. */
  function example(schema: Schema | undefined, opts: { request: boolean; name?: string }, depth = 0): unknown {
    if (!schema || depth > 6) return null;
    if (schema.example !== undefined) return schema.example;
    if (schema.examples?.length) return schema.examples[0];
    if (schema.$ref) return example(resolve(schema), opts, depth + 1);
    if (schema.const !== undefined) return schema.const;
    if (schema.enum?.length) return schema.enum[0];
    if (schema.default !== undefined) return schema.default;
    const options = variants(schema);
    if (options) return example(options.find((o) => resolve(o).type !== 'null') ?? options[0], opts, depth + 1);
    if (schema.allOf?.length) return example(schema.allOf[0], opts, depth + 1);
    const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
    const type = types.find((t) => t !== 'null') ?? (schema.properties ? 'object' : 'null');
    switch (type) {
      case 'object': {
        const out: Record<string, unknown> = {};
        const required = new Set(schema.required ?? []);
        for (const [name, prop] of Object.entries(schema.properties ?? {})) {
          const resolved = resolve(prop);
          const worthShowing = required.has(name) || prop.example !== undefined || resolved.example !== undefined;
          if (opts.request && !worthShowing) continue;
          out[name] = example(prop, { ...opts, name }, depth + 1);
        }
        return out;
      }
      case 'array':
        return [example(schema.items, opts, depth + 1)];
      case 'integer':
      case 'number':
        return schema.minimum ?? 1;
      case 'boolean':
        return true;
      case 'string':
        return stringExample(schema, opts.name);
      default:
        return null;
    }
  }

  return { resolve, typeLabel, constraints, propertyTable, example };
}

function stringExample(schema: Schema, name = ''): string {
  if (schema.format === 'date-time') return '2026-03-04T12:00:00Z';
  if (schema.format === 'email' || /email/i.test(name)) return 'ada@example.com';
  if (schema.format === 'uri' || schema.format === 'url' || /url$/i.test(name)) return 'https://example.com';
  if (/password/i.test(name)) return 'correct horse battery staple';
  if (/^id$|Id$/.test(name)) return '3f2b8c1e-5d4a-4f7e-9b61-0c2d7a8e9f10';
  return name || 'string';
}

// ---- examples: curl and fetch -----------------------------------------------------

type Auth = 'api_key' | 'session' | 'none';

function authOf(op: Operation): Auth {
  const schemes = new Set((op.security ?? []).flatMap((r) => Object.keys(r)));
  if (schemes.has('apiKey') || schemes.has('bearerAuth')) return 'api_key';
  if (schemes.has('sessionCookie')) return 'session';
  return 'none';
}

const needsSudo = (op: Operation) => Object.values(op.responses ?? {}).some((r) => /sudo_required/.test(r.description ?? ''));
const shellVar = (param: string) => param.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9_]/g, '_').toUpperCase();
const shellQuote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;

function curlExample(method: string, path: string, op: Operation, query: string, body: unknown): string {
  const url = path.replace(/\{([^}]+)\}/g, (_, p: string) => `$${shellVar(p)}`);
  const lines = [`curl -X ${method.toUpperCase()} "$REKEY_URL${url}${query}"`];
  const auth = authOf(op);
  if (auth === 'api_key') lines.push(`-H "Authorization: Bearer $REKEY_API_KEY"`);
  if (auth === 'session') lines.push(`-b "authjs.session-token=$SESSION${needsSudo(op) ? '; rekey.sudo=$SUDO' : ''}"`);
  if (body !== undefined) {
    lines.push(`-H "Content-Type: application/json"`);
    lines.push(`-d ${shellQuote(JSON.stringify(body))}`);
  }
  return lines.join(' \\\n  ');
}

function fetchExample(method: string, path: string, op: Operation, query: string, body: unknown, responseKind: 'json' | 'none' | 'stream' | 'text'): string {
  const ident = (param: string) => param.replace(/[^A-Za-z0-9_$]/g, '_');
  const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ident(m[1]!));
  const url = path.replace(/\{([^}]+)\}/g, (_, p: string) => `\${${ident(p)}}`);
  const auth = authOf(op);
  const headers: string[] = [];
  if (auth === 'api_key') headers.push('Authorization: `Bearer ${REKEY_API_KEY}`');
  if (body !== undefined) headers.push("'Content-Type': 'application/json'");
  const lines = [
    ...params.map((p) => `const ${p} = '…';`),
    `const res = await fetch(\`\${REKEY_URL}${url}${query}\`, {`,
    `  method: '${method.toUpperCase()}',`,
  ];
  if (headers.length) lines.push(`  headers: { ${headers.join(', ')} },`);
  if (auth === 'session') lines.push(`  credentials: 'include', // the browser session${needsSudo(op) ? ' and a sudo grant' : ''}`);
  if (body !== undefined) lines.push(`  body: JSON.stringify(${JSON.stringify(body, null, 2).replace(/\n/g, '\n  ')}),`);
  lines.push('});', 'if (!res.ok) throw new Error((await res.json()).error.message);');
  if (responseKind === 'json') lines.push('const data = await res.json();');
  if (responseKind === 'text') lines.push('const text = await res.text();');
  if (responseKind === 'stream') lines.push('const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader(); // Server-Sent Events');
  return lines.join('\n');
}

// ---- the page ------------------------------------------------------------------

interface Entry {
  method: string;
  path: string;
  op: Operation;
}

function operationsByTag(doc: OpenApiDocument): Map<string, Entry[]> {
  const groups = new Map<string, Entry[]>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'Other';
      if (!groups.has(tag)) groups.set(tag, []);
      groups.get(tag)!.push({ method, path, op });
    }
  }
  for (const entries of groups.values()) entries.sort((a, b) => a.path.localeCompare(b.path) || METHODS.indexOf(a.method as never) - METHODS.indexOf(b.method as never));
  return new Map([...groups].sort(([a], [b]) => a.localeCompare(b)));
}

function authText(op: Operation): string {
  switch (authOf(op)) {
    case 'api_key':
      return 'Session cookie or API key';
    case 'session':
      return needsSudo(op) ? 'Browser session with a sudo grant' : 'Browser session';
    default:
      return 'None';
  }
}

function renderOperation(entry: Entry, tools: ReturnType<typeof createSchemaTools>): string {
  const { method, path, op } = entry;
  const parts: string[] = [];
  parts.push(`<article class="operation" id="${anchorOf(method, path)}">`);
  parts.push(`<h3><span class="method method-${esc(method)}">${esc(method.toUpperCase())}</span> <code class="path">${esc(path)}</code></h3>`);
  if (op.summary) parts.push(`<p class="summary">${prose(op.summary)}</p>`);
  if (op.description) parts.push(`<p class="description">${prose(op.description)}</p>`);
  parts.push(`<p class="auth"><strong>Auth:</strong> ${esc(authText(op))}</p>`);

  const params = op.parameters ?? [];
  if (params.length) {
    const rows = params.map(
      (p) =>
        `<tr><td><code>${esc(p.name)}</code>${p.required ? ' <span class="required">required</span>' : ''}</td><td>${esc(p.in)}</td><td>${tools.typeLabel(p.schema)}${tools.constraints(p.schema)}</td><td>${prose(p.description ?? tools.resolve(p.schema).description ?? '')}</td></tr>`,
    );
    parts.push(`<h4>Parameters</h4><table class="params"><thead><tr><th>Name</th><th>In</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`);
  }

  const requestSchema = op.requestBody?.content?.['application/json']?.schema;
  let body: unknown;
  if (requestSchema) {
    body = tools.example(requestSchema, { request: true });
    parts.push(`<h4>Request body${op.requestBody?.required ? '' : ' <span class="optional">(optional)</span>'} <span class="media">application/json</span></h4>`);
    parts.push(tools.propertyTable(requestSchema, { markRequired: true }));
  }

  const responses = Object.entries(op.responses ?? {});
  if (responses.length) {
    parts.push('<h4>Responses</h4><dl class="responses">');
    for (const [status, response] of responses) {
      const media = Object.keys(response.content ?? {})[0];
      const schema = media ? response.content?.[media]?.schema : undefined;
      const badge = `<span class="status status-${esc(status.charAt(0))}xx">${esc(status)}</span> ${prose(response.description ?? '')}`;
      if (media && schema && media === 'application/json' && status.startsWith('2')) {
        parts.push(`<dt>${badge}</dt><dd><span class="media">${esc(media)}</span>${tools.propertyTable(schema, { markRequired: false })}</dd>`);
      } else {
        // Errors share one shape: name it on the same line.
        parts.push(`<dt>${badge}${media ? ` <span class="media">${esc(media)}${schema ? ` → ${tools.typeLabel(schema)}` : ''}</span>` : ''}</dt>`);
      }
    }
    parts.push('</dl>');
  }

  const success = responses.find(([s]) => s.startsWith('2'));
  const successMedia = success ? Object.keys(success[1].content ?? {})[0] : undefined;
  const responseKind = !successMedia ? 'none' : successMedia === 'application/json' ? 'json' : successMedia === 'text/event-stream' ? 'stream' : 'text';
  const exampleQuery = params
    .filter((p) => p.in === 'query' && (p.required || tools.resolve(p.schema).example !== undefined || p.schema?.example !== undefined))
    .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(String(tools.example(p.schema, { request: true, name: p.name })))}`);
  const query = exampleQuery.length ? `?${exampleQuery.join('&')}` : '';
  parts.push('<h4>Examples</h4>');
  parts.push(`<p class="example-label">curl</p><pre class="example"><code>${esc(curlExample(method, path, op, query, body))}</code></pre>`);
  parts.push(`<p class="example-label">TypeScript</p><pre class="example"><code>${esc(fetchExample(method, path, op, query, body, responseKind))}</code></pre>`);
  if (success && successMedia === 'application/json') {
    const schema = success[1].content?.[successMedia]?.schema;
    if (schema) parts.push(`<p class="example-label">Response ${esc(success[0])}</p><pre class="example"><code>${esc(JSON.stringify(tools.example(schema, { request: false }), null, 2))}</code></pre>`);
  }
  parts.push('</article>');
  return parts.join('\n');
}

export function renderDocs(doc: OpenApiDocument): string {
  const tools = createSchemaTools(doc);
  const groups = operationsByTag(doc);
  const title = doc.info?.title ?? 'API';
  const nav = [...groups]
    .map(
      ([tag, entries]) =>
        `<li><a href="#tag-${esc(tag.replace(/[^a-zA-Z0-9]+/g, '-'))}">${esc(tag)}</a><ul>${entries
          .map((e) => `<li><a href="#${anchorOf(e.method, e.path)}"><span class="method method-${esc(e.method)}">${esc(e.method.toUpperCase())}</span> ${esc(e.path)}</a></li>`)
          .join('')}</ul></li>`,
    )
    .join('');
  const sections = [...groups]
    .map(([tag, entries]) => `<section class="tag" id="tag-${esc(tag.replace(/[^a-zA-Z0-9]+/g, '-'))}"><h2>${esc(tag)}</h2>${entries.map((e) => renderOperation(e, tools)).join('\n')}</section>`)
    .join('\n');
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, schema]) => `<article class="schema" id="${schemaAnchor(name)}"><h3>${esc(name)}</h3>${schema.description ? `<p>${prose(schema.description)}</p>` : ''}${tools.propertyTable(schema, { markRequired: true })}</article>`)
    .join('\n');
  const schemes = Object.entries(doc.components?.securitySchemes ?? {})
    .map(([name, s]) => `<li><code>${esc(name)}</code>: ${esc(s.type === 'http' ? `HTTP ${s.scheme ?? ''}` : `${s.in ?? ''} ${s.name ?? ''}`)}${s.description ? ` — ${prose(s.description)}` : ''}</li>`)
    .join('');

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} reference</title>
<link rel="stylesheet" href="/docs/docs.css">
<link rel="icon" href="data:,">
</head>
<body>
<header class="top"><h1>${esc(title)} <span class="version">${esc(doc.info?.version ?? '')}</span></h1>
<p>${prose(doc.info?.description ?? '')} Generated from <a href="/api/openapi.json">/api/openapi.json</a>.</p></header>
<div class="layout">
<nav class="toc"><h2>Operations</h2><ul>${nav}</ul><h2><a href="#schemas">Schemas</a></h2></nav>
<main>
<section class="intro">
<h2>Using the API</h2>
<p>Set <code>REKEY_URL</code> to this server's address. Scripts authenticate with an API key (<code>Authorization: Bearer rk_…</code>, from POST /api/api-keys); the web app uses its session cookie, and its unsafe requests (POST, PUT, PATCH, DELETE) must come from the app's own origin. Revealing a password needs a sudo grant, which only a browser session can hold.</p>
<p>Errors are JSON: <code>{"error": {"code": "…", "message": "…", "field": "…"}}</code>; invalid bodies are 400 with the field named. Lists take <code>?limit=&amp;cursor=</code> and answer <code>{items, nextCursor}</code>. Another person's id answers 404, like one that does not exist.</p>
${schemes ? `<ul class="schemes">${schemes}</ul>` : ''}
</section>
${sections}
<section class="tag" id="schemas"><h2>Schemas</h2>${schemas}</section>
</main>
</div>
</body>
</html>`;
}

// ---- the stylesheet -------------------------------------------------------------

export const DOCS_CSS = `
:root{--ink:#1d2330;--muted:#5b6477;--line:#e3e6ee;--bg:#fbfcfe;--code:#f3f5f9;--accent:#2f5fd0}
*{box-sizing:border-box}
body{margin:0;font:15px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent);text-decoration:none}a:hover{text-decoration:underline}
code,pre{font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:var(--code);padding:1px 4px;border-radius:4px}
pre{background:#151a24;color:#e7ebf3;padding:12px 14px;border-radius:8px;overflow:auto}pre code{background:none;padding:0;color:inherit}
header.top{padding:20px 32px;border-bottom:1px solid var(--line);background:#fff}header.top h1{margin:0 0 4px;font-size:24px}
.version{font-size:14px;color:var(--muted);font-weight:normal}
.layout{display:grid;grid-template-columns:300px 1fr;align-items:start}
nav.toc{position:sticky;top:0;max-height:100vh;overflow:auto;padding:16px 20px;border-right:1px solid var(--line);background:#fff;font-size:13px}
nav.toc h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
nav.toc ul{list-style:none;margin:0;padding:0}nav.toc ul ul{margin:4px 0 10px}nav.toc li li{padding:2px 0}
main{padding:8px 36px 60px;max-width:1100px}
section.tag>h2{margin-top:36px;padding-bottom:6px;border-bottom:2px solid var(--line)}
article.operation,article.schema{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 20px;margin:18px 0}
article.operation h3{margin:0 0 6px;font-size:17px}
.summary{margin:4px 0;font-weight:600}.description{color:var(--muted)}.auth{font-size:13px;color:var(--muted)}
h4{margin:18px 0 6px;font-size:14px}
.method{display:inline-block;min-width:58px;text-align:center;border-radius:5px;padding:1px 6px;font:700 12px/1.6 ui-monospace,monospace;color:#fff;background:#6b7280}
.method-get{background:#1f7a4d}.method-post{background:#2f5fd0}.method-put{background:#a05a00}.method-patch{background:#7a4bc2}.method-delete{background:#b42318}
table{border-collapse:collapse;width:100%;font-size:13px;margin:4px 0}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}th{color:var(--muted);font-weight:600}
table table{margin-top:6px}td.field{white-space:nowrap}
.required{color:#b42318;font-size:11px;text-transform:uppercase}.optional,.constraints,.media{color:var(--muted);font-size:12px}
dl.responses dt{margin-top:8px}dl.responses dd{margin:4px 0 8px 18px}
.status{display:inline-block;border-radius:4px;padding:0 6px;font:700 12px/1.7 ui-monospace,monospace;background:#e5e7eb}
.status-2xx{background:#d1fae5}.status-4xx{background:#fee4e2}.status-5xx{background:#fde68a}
.example-label{margin:10px 0 4px;font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.05em}
@media (max-width:900px){.layout{grid-template-columns:1fr}nav.toc{position:static;max-height:none;border-right:0;border-bottom:1px solid var(--line)}main{padding:8px 16px}}
`;

// ---- routes ---------------------------------------------------------------------

const docsRoute = createRoute({
  method: 'get',
  path: '/docs',
  tags: ['Documentation'],
  summary: 'This API reference, as HTML',
  description: 'Generated at request time from GET /api/openapi.json.',
  responses: { 200: { description: 'The reference', content: { 'text/html': { schema: z.string() } } } },
});

const cssRoute = createRoute({
  method: 'get',
  path: '/docs/docs.css',
  tags: ['Documentation'],
  summary: 'The reference’s stylesheet',
  responses: { 200: { description: 'CSS', content: { 'text/css': { schema: z.string() } } } },
});

/** `app` is the whole API: the reference reads the document it serves at /api/openapi.json. */
export function createDocsRoutes(app: { request(path: string): Response | Promise<Response> }) {
  return createApi()
    .openapi(docsRoute, async (c) => {
      const res = await app.request('/api/openapi.json');
      if (!res.ok) throw new Error(`the OpenAPI document answered ${res.status}`);
      const doc = (await res.json()) as OpenApiDocument;
      return c.html(renderDocs(doc), 200);
    })
    .openapi(cssRoute, (c) => c.body(DOCS_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=3600' }));
}
