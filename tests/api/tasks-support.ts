// Helpers for the reset API tests: the real app whose Temporal client counts
// its workflow queries (a client interceptor), signed-in people made directly
// in the database, and an SSE reader that keeps the exact wire text.
import type { WorkflowClientInterceptor } from '@temporalio/client';
import { createApp } from '../../api/app.js';
import type { AppDeps } from '../../api/context.js';
import { configureTaskStreams, type TaskStreamOptions } from '../../api/sse/task-progress-hub.js';
import { createCatalog, type Catalog } from '../../catalog/index.js';
import { decodeMasterKey, type Config } from '../../lib/config.js';
import { createKeyring } from '../../lib/crypto.js';
import type { Db } from '../../lib/db/index.js';
import { createLogger } from '../../lib/logger.js';
import { createTemporalGateway } from '../../lib/temporal/connection.js';
import { signedIn, type SignedInPerson } from '../support/signed-in.js';

export const APP_ORIGIN = 'http://localhost:3000';
export const FOREIGN_ORIGIN = 'https://evil.example';

/** Counts the progress queries the API's Temporal client makes. */
export class QueryCounter {
  count = 0;
  readonly interceptor: WorkflowClientInterceptor = {
    query: (input, next) => {
      this.count++;
      return next(input);
    },
  };
}

export function createResetApi(opts: { config: Config; db: Db; catalog?: Catalog; streams?: Partial<TaskStreamOptions> }) {
  const keyring = createKeyring(decodeMasterKey(opts.config.masterKeySource!));
  const queries = new QueryCounter();
  const deps: AppDeps = {
    config: opts.config,
    db: opts.db,
    keyring,
    logger: createLogger({ level: 'silent' }),
    temporal: createTemporalGateway({
      config: opts.config,
      address: opts.config.temporal.address!,
      keyring,
      interceptors: { workflow: [queries.interceptor] },
    }),
    version: 'test',
    catalog: opts.catalog ?? createCatalog(),
  };
  const hub = configureTaskStreams(deps, opts.streams ?? {});
  const app = createApp(deps);
  return {
    app,
    deps,
    hub,
    queries,
    async close() {
      hub.close();
      // A query cut off by its deadline leaves the SDK's gRPC retry timer armed;
      // closing the channel under it throws "Channel has been shut down" later.
      await new Promise((r) => setTimeout(r, 2_000));
      await deps.temporal.close();
    },
  };
}

export type ResetApi = ReturnType<typeof createResetApi>;

export type Person = SignedInPerson;

/** Someone who can start resets: a new user gets mailbox settings unless `mailbox: false`. */
export const signedInPerson = (db: Db, existingUserId?: string, opts: { mailbox?: boolean } = {}) =>
  signedIn(db, existingUserId, { mailbox: opts.mailbox ?? !existingUserId });

export function request(
  api: { app: ResetApi['app'] },
  method: string,
  path: string,
  opts: { person?: Person; body?: unknown; origin?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.person) headers.cookie = opts.person.cookie;
  if (opts.origin) headers.origin = opts.origin;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  return Promise.resolve(
    api.app.request(path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body), signal: opts.signal }),
  );
}

export async function errorOf(res: Response): Promise<{ code: string; message: string; field?: string }> {
  return ((await res.json()) as { error: { code: string; message: string; field?: string } }).error;
}

export interface SseMessage {
  /** The message exactly as sent, without the blank line that ends it. */
  raw: string;
  event?: string;
  id?: string;
  data: string[];
  comment: boolean;
}

export function parseSseMessage(raw: string): SseMessage {
  const msg: SseMessage = { raw, data: [], comment: true };
  for (const line of raw.split('\n')) {
    if (line.startsWith(':')) continue;
    msg.comment = false;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') msg.event = value;
    else if (field === 'id') msg.id = value;
    else if (field === 'data') msg.data.push(value);
  }
  return msg;
}

/** Reads an event stream message by message (each ends with a blank line). */
export async function* readSse(res: Response): AsyncGenerator<SseMessage> {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const raw = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        yield parseSseMessage(raw);
      }
    }
    if (buffer.trim()) throw new Error(`stream ended inside a message: ${JSON.stringify(buffer)}`);
  } finally {
    await reader.cancel().catch(() => {});
  }
}

/** Every message of a stream that ends by itself (with a deadline). */
export async function collectSse(res: Response, opts: { timeoutMs?: number; until?: (m: SseMessage) => boolean } = {}): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  const it = readSse(res);
  try {
    for (;;) {
      const next = await Promise.race([
        it.next(),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`stream still open; got: ${out.map((m) => m.raw).join(' | ')}`)), Math.max(0, deadline - Date.now()))),
      ]);
      if (next.done) break;
      out.push(next.value);
      if (opts.until?.(next.value)) break;
    }
  } finally {
    await it.return(undefined);
  }
  return out;
}

export const statusEvents = (messages: SseMessage[]) =>
  messages.filter((m) => m.event === 'status').map((m) => ({ id: m.id, ...(JSON.parse(m.data.join('\n')) as Record<string, unknown>) }));
