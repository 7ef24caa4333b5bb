import type { CreateUserInput, OnConflict, RequestLogEntry, SiteInfo, SiteQuirks, UserView } from './types.js';

/** The sandbox controls from another process, over the JSON control API. */
export interface SandboxClient {
  sites(): Promise<SiteInfo[]>;
  createUser(slug: string, input: CreateUserInput, options?: { onConflict?: OnConflict }): Promise<UserView>;
  getUser(slug: string, email: string): Promise<UserView | undefined>;
  checkPassword(slug: string, email: string, password: string): Promise<boolean>;
  lastSmsCode(slug: string, email: string): Promise<string | undefined>;
  captchaSolution(slug: string): Promise<number[] | undefined>;
  requestLog(slugOrHost: string): Promise<RequestLogEntry[]>;
  clearRequestLog(slugOrHost?: string): Promise<void>;
  advanceClock(ms: number): Promise<void>;
  setQuirks(slug: string, quirks: SiteQuirks): Promise<void>;
}

export class SandboxControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `controlUrl` is `Sandbox.controlUrl` (`http://127.0.0.1:<port>/_sandbox`), printed by `main.ts`. */
export function createSandboxClient(controlUrl: string): SandboxClient {
  const base = controlUrl.replace(/\/+$/, '');
  const call = async <T>(method: string, path: string, body?: unknown, allow404 = false): Promise<T | undefined> => {
    const response = await fetch(`${base}${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (response.status === 404 && allow404) return undefined;
    if (response.status === 204) return undefined;
    const json = (await response.json()) as T & { error?: { code: string; message: string } };
    if (!response.ok) throw new SandboxControlError(response.status, json.error?.code ?? 'error', json.error?.message ?? response.statusText);
    return json;
  };
  const user = (slug: string, email: string) => `/sites/${encodeURIComponent(slug)}/users/${encodeURIComponent(email)}`;

  return {
    sites: async () => (await call<{ items: SiteInfo[] }>('GET', '/sites'))?.items ?? [],
    createUser: async (slug, input, options) =>
      (await call<UserView>('POST', `/sites/${encodeURIComponent(slug)}/users`, { ...input, ...(options?.onConflict ? { onConflict: options.onConflict } : {}) })) as UserView,
    getUser: (slug, email) => call<UserView>('GET', user(slug, email), undefined, true),
    checkPassword: async (slug, email, password) => (await call<{ ok: boolean }>('POST', `${user(slug, email)}/check-password`, { password }))?.ok ?? false,
    lastSmsCode: async (slug, email) => (await call<{ code: string }>('GET', `${user(slug, email)}/sms`, undefined, true))?.code,
    captchaSolution: async (slug) => (await call<{ solution: number[] }>('GET', `/sites/${encodeURIComponent(slug)}/captcha`, undefined, true))?.solution,
    requestLog: async (slugOrHost) => (await call<{ items: RequestLogEntry[] }>('GET', `/requests?host=${encodeURIComponent(slugOrHost)}`))?.items ?? [],
    clearRequestLog: async (slugOrHost) => {
      await call('DELETE', `/requests${slugOrHost ? `?host=${encodeURIComponent(slugOrHost)}` : ''}`);
    },
    advanceClock: async (ms) => {
      await call('POST', '/clock/advance', { ms });
    },
    setQuirks: async (slug, quirks) => {
      await call('PUT', `/sites/${encodeURIComponent(slug)}/quirks`, quirks);
    },
  };
}
