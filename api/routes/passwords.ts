// The person's vault: entries (site, login, optional TOTP secret) with an
// encrypted password history (lib/vault/vault-store.ts). Secrets go in, and
// come out only through POST /api/passwords/{id}/reveal, which needs a sudo
// grant and is audited. Another person's id is a 404, like one that does not exist.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { Secret, TOTP, URI } from 'otpauth';
import type { Catalog } from '../../catalog/index.js';
import { recordAuditEvent, type AuditAction } from '../../lib/audit/record-audit-event.js';
import type { Db } from '../../lib/db/index.js';
import { AppError } from '../../lib/errors.js';
import { createVaultStore, type PasswordState } from '../../lib/vault/vault-store.js';
import { afterCursor, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageOf, pageOrder, pageSize } from '../../lib/accounts/paginate.js';
import { terminalStatuses } from '../../workflows/reset-password.messages.js';
import type { AppEnv } from '../context.js';
import { createApi } from '../create-api.js';
import { principalOf, requestMetaOf, requireSudo, requireUser } from '../middleware/auth.js';
import { browserSession, Email, errorResponse, signedIn } from './auth.js';

const REVEAL_AUDIT_ACTION: AuditAction = 'vault.password_revealed';

// ---- TOTP secrets: base32, or an otpauth:// URI ------------------------------

/** What resets can use: the activity generates SHA-1, 6-digit, 30-second codes from a base32 secret. */
export type TotpParse = { ok: true; secret: string } | { ok: false; message: string };

/** Base32 (spaces, dashes, padding and case ignored) or `otpauth://totp/…`; normalised to upper-case base32. */
export function parseTotpSecret(input: string): TotpParse {
  const value = input.trim();
  if (/^otpauth:/i.test(value)) {
    let otp: TOTP | unknown;
    try {
      otp = URI.parse(value);
    } catch (err) {
      return { ok: false, message: `not a valid otpauth:// URI (${(err as Error).message})` };
    }
    if (!(otp instanceof TOTP)) return { ok: false, message: 'only time-based (otpauth://totp/…) secrets are supported' };
    if (otp.algorithm !== 'SHA1' || otp.digits !== 6 || otp.period !== 30) {
      return { ok: false, message: 'only SHA1, 6-digit, 30-second TOTP secrets are supported' };
    }
    return checkedBase32(otp.secret.base32);
  }
  return checkedBase32(value.replace(/[\s-]+/g, '').replace(/=+$/, '').toUpperCase());
}

function checkedBase32(secret: string): TotpParse {
  if (!/^[A-Z2-7]+$/.test(secret)) return { ok: false, message: 'must be base32 (letters A–Z and digits 2–7) or an otpauth:// URI' };
  if (secret.length < 16) return { ok: false, message: 'is too short for a TOTP secret (at least 16 base32 characters)' };
  if (secret.length > 256) return { ok: false, message: 'is too long for a TOTP secret' };
  try {
    Secret.fromBase32(secret);
  } catch {
    return { ok: false, message: 'is not valid base32' };
  }
  return { ok: true, secret };
}

// ---- schemas: validation and the OpenAPI document ----------------------------

const isHttpUrl = (value: string) => {
  try {
    const url = new URL(value);
    // Credentials in the URL would be a secret in a column every listing shows.
    return (url.protocol === 'http:' || url.protocol === 'https:') && !!url.hostname && !url.username && !url.password;
  } catch {
    return false;
  }
};

const SiteUrl = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .refine(isHttpUrl, 'must be an http or https URL without a user name or password in it')
  .openapi({ description: 'The site (http or https)', example: 'https://www.netflix.com/login' });
const Username = z.string().trim().min(1).max(320).openapi({ example: 'ada@example.com' });
const Password = z.string().min(1).max(1024).openapi({ description: 'Becomes the current password; write-only' });
const TotpSecretInput = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .superRefine((value, ctx) => {
    const parsed = parseTotpSecret(value);
    if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.message });
  })
  .openapi({ description: 'Base32 secret or an `otpauth://totp/…` URI (SHA1, 6 digits, 30 s); write-only', example: 'JBSWY3DPEHPK3PXP' });
const ServiceId = z.string().trim().min(1).max(100).openapi({ description: 'A catalog id (GET /api/services); guessed from the URL when left out', example: 'netflix' });
const Label = z.string().trim().max(100).openapi({ example: 'Family account' });

const CreatePasswordBody = z
  .strictObject({
    url: SiteUrl,
    username: Username,
    email: Email.optional().openapi({ description: 'The account email, when it differs from the username' }),
    password: Password,
    totpSecret: TotpSecretInput.optional(),
    serviceId: ServiceId.optional(),
    label: Label.optional(),
  })
  .openapi('CreatePassword');

const UpdatePasswordBody = z
  .strictObject({
    url: SiteUrl.optional(),
    username: Username.optional(),
    email: Email.nullable().optional(),
    label: Label.nullable().optional(),
    serviceId: ServiceId.nullable().optional(),
    password: Password.optional().openapi({ description: 'Replaces the current password (which becomes `previous`); write-only' }),
    totpSecret: TotpSecretInput.nullable().optional().openapi({ description: 'Replaces the TOTP secret; `null` removes it' }),
  })
  .openapi('UpdatePassword');

const EntryState = z.enum(['current', 'pending', 'empty']).openapi('VaultEntryState', {
  description: '`pending`: a reset stored a new password the site has not confirmed yet; `current`: a confirmed password; `empty`: none yet',
});

const VaultEntry = z
  .object({
    id: z.string(),
    serviceId: z.string().nullable(),
    url: z.string(),
    username: z.string(),
    email: z.string().nullable(),
    label: z.string().nullable(),
    hasTotp: z.boolean(),
    state: EntryState,
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('VaultEntry');

const VaultEntryPage = z.object({ items: z.array(VaultEntry), nextCursor: z.string().nullable() }).openapi('VaultEntryPage');

const Revealed = z
  .object({
    password: z.string(),
    state: z.enum(['current', 'pending']).openapi({
      description:
        '`pending`: a reset ended without the site confirming the change, so this new password is probably the one that works; ' +
        'try it, then confirm it (`/pending/confirm`) or go back to the previous one (`/pending/discard`)',
    }),
  })
  .openapi('RevealedPassword');

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path', description: 'The entry id' } }) });
const PageQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_PAGE_SIZE)
    .optional()
    .openapi({ param: { name: 'limit', in: 'query', description: `Page size (default ${DEFAULT_PAGE_SIZE})` }, example: 20 }),
  cursor: z.string().max(500).optional().openapi({ param: { name: 'cursor', in: 'query', description: '`nextCursor` of the previous page' } }),
});

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const common = { tags: ['Vault'], security: signedIn, middleware: requireUser() };
const unauthorized = { 401: errorResponse('Not signed in') };
const notFound = { 404: errorResponse('No such entry (or not yours)') };

// ---- routes -----------------------------------------------------------------

const listRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/passwords',
  summary: 'Your vault entries, newest first (no secrets)',
  request: { query: PageQuery },
  responses: { 200: json(VaultEntryPage, 'A page of entries'), 400: errorResponse('Bad query'), ...unauthorized },
});

const createEntryRoute = createRoute({
  ...common,
  method: 'post',
  path: '/api/passwords',
  summary: 'Add a site and its password to the vault',
  request: { body: { required: true, content: { 'application/json': { schema: CreatePasswordBody } } } },
  responses: { 201: json(VaultEntry, 'Created'), 400: errorResponse('Invalid body (the field is named)'), ...unauthorized },
});

const getRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/passwords/{id}',
  summary: 'One vault entry (no secrets)',
  request: { params: IdParam },
  responses: { 200: json(VaultEntry, 'The entry'), ...unauthorized, ...notFound },
});

const updateRoute = createRoute({
  ...common,
  method: 'patch',
  path: '/api/passwords/{id}',
  summary: 'Change an entry: its site, login, label, service, password or TOTP secret',
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: UpdatePasswordBody } } } },
  responses: { 200: json(VaultEntry, 'Updated'), 400: errorResponse('Invalid body (the field is named)'), ...unauthorized, ...notFound },
});

const deleteRoute = createRoute({
  ...common,
  method: 'delete',
  path: '/api/passwords/{id}',
  summary: 'Delete an entry and its password history',
  description: 'Refused (409) while a reset of this entry runs: its new password would have nowhere to go.',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...unauthorized, ...notFound, 409: errorResponse('A reset of this entry is running') },
});

const revealRoute = createRoute({
  method: 'post',
  path: '/api/passwords/{id}/reveal',
  tags: ['Vault'],
  summary: 'Show the password (needs sudo)',
  description:
    'The password to use: the new one a finished reset left unconfirmed (`state: "pending"`: try it first), else the current one. ' +
    'Needs a sudo grant (POST /api/auth/sudo) ' +
    'less than 5 minutes old, so only a browser session can reveal. Each reveal is written to the audit log. Empty body.',
  security: browserSession,
  middleware: [requireUser(), requireSudo()] as const,
  request: { params: IdParam },
  responses: {
    200: json(Revealed, 'The password'),
    ...unauthorized,
    403: errorResponse('`sudo_required`'),
    404: errorResponse('No such entry (or not yours), or no password stored yet'),
  },
});

const pendingRoute = (action: 'confirm' | 'discard') =>
  createRoute({
    method: 'post',
    path: `/api/passwords/{id}/pending/${action}`,
    ...common,
    summary: action === 'confirm' ? 'The new password works: make it current' : 'The new password does not work: keep the previous one',
    description:
      (action === 'confirm'
        ? 'After a reset that ended without the site confirming the change (its job says `confirmed: false`), the person signed in with the ' +
          'pending password: it becomes current and the old one previous.'
        : 'After such a reset, the pending password did not sign in: the current (old) password stays current; the pending one is set aside, not deleted.') +
      ' 409 when no finished reset left a pending password, or (discard) when there is no earlier password. Empty body.',
    request: { params: IdParam },
    responses: { 200: json(VaultEntry, 'The entry, updated'), ...unauthorized, ...notFound, 409: errorResponse('Nothing waits to be confirmed') },
  });
const confirmPendingRoute = pendingRoute('confirm');
const discardPendingRoute = pendingRoute('discard');

// ---- vault reads and writes the handlers share ------------------------------

type EntryRow = {
  id: string;
  serviceId: string | null;
  url: string;
  username: string;
  email: string | null;
  label: string | null;
  totpSecretEnc: Uint8Array | null;
  createdAt: Date;
  updatedAt: Date;
};

const storeOf = (c: Context<AppEnv>) => {
  const { db, keyring } = c.get('deps');
  return createVaultStore({ db, keyring });
};

function entryJson(row: EntryRow, state: PasswordState | 'empty') {
  return {
    id: row.id,
    serviceId: row.serviceId,
    url: row.url,
    username: row.username,
    email: row.email,
    label: row.label,
    hasTotp: row.totpSecretEnc !== null,
    // Listings know pending, current or nothing; `previous`/`rejected` never head an entry.
    state: state === 'pending' || state === 'current' ? state : ('empty' as const),
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A page of entries, newest first, each with its state by the vault's one rule (VaultStore.entryStates). */
async function listEntries(c: Context<AppEnv>, userId: string, page: { limit?: number; cursor?: string }) {
  const limit = pageSize(page.limit);
  const rows = await c.get('deps').db.vaultEntry.findMany({ where: { userId, ...afterCursor(page.cursor) }, orderBy: pageOrder, take: limit + 1 });
  const { rows: entries, nextCursor } = pageOf(rows, limit);
  const states = await storeOf(c).entryStates(entries.map((e) => e.id));
  return { items: entries.map((row) => entryJson(row, states.get(row.id)!)), nextCursor };
}

function checkServiceId(catalog: Catalog, serviceId: string): string {
  if (!catalog.get(serviceId)) {
    throw new AppError('validation_failed', `serviceId: no service "${serviceId.slice(0, 100)}" in the catalog (GET /api/services)`, { field: 'serviceId' });
  }
  return serviceId;
}

function totpOf(value: string): string {
  const parsed = parseTotpSecret(value);
  // The body schema already refused bad secrets; this is the normalised form.
  if (!parsed.ok) throw new AppError('validation_failed', `totpSecret: ${parsed.message}`, { field: 'totpSecret' });
  return parsed.secret;
}

/** Writes the given details (undefined: unchanged) and bumps updatedAt, which a password or TOTP change counts as. */
async function updateEntryDetails(
  db: Db,
  entryId: string,
  details: { url?: string; username?: string; email?: string | null; label?: string | null; serviceId?: string | null },
) {
  const data = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
  return db.vaultEntry.update({ where: { id: entryId }, data: { ...data, updatedAt: new Date() } });
}

/** The entry and its password history (cascade); tasks keep their rows, without the entry. */
async function deleteEntry(db: Db, entryId: string): Promise<void> {
  await db.vaultEntry.delete({ where: { id: entryId } });
}

async function assertNoRunningReset(db: Db, entryId: string): Promise<void> {
  const running = await db.task.findFirst({ where: { vaultEntryId: entryId, status: { notIn: [...terminalStatuses] } }, select: { id: true } });
  if (running) throw new AppError('conflict', 'A reset of this entry is running; cancel it or wait for it to finish first');
}

// ---- handlers -----------------------------------------------------------------

export const passwordRoutes = createApi()
  .openapi(listRoute, async (c) => {
    const page = await listEntries(c, principalOf(c).userId, c.req.valid('query'));
    return c.json(page, 200);
  })
  .openapi(createEntryRoute, async (c) => {
    const { catalog } = c.get('deps');
    const body = c.req.valid('json');
    const serviceId = body.serviceId ? checkServiceId(catalog, body.serviceId) : (catalog.byDomain(body.url)?.id ?? null);
    const entry = await storeOf(c).createEntry(principalOf(c).userId, {
      url: body.url,
      username: body.username,
      email: body.email ?? null,
      password: body.password,
      totpSecret: body.totpSecret ? totpOf(body.totpSecret) : null,
      serviceId,
      label: body.label || null,
    });
    return c.json(entryJson(entry, 'current'), 201);
  })
  .openapi(getRoute, async (c) => {
    const store = storeOf(c);
    const entry = await store.ownedEntry(principalOf(c).userId, c.req.valid('param').id);
    return c.json(entryJson(entry, await store.entryState(entry.id)), 200);
  })
  .openapi(updateRoute, async (c) => {
    const { db, catalog } = c.get('deps');
    const userId = principalOf(c).userId;
    const store = storeOf(c);
    const entry = await store.ownedEntry(userId, c.req.valid('param').id);
    const body = c.req.valid('json');
    // Everything is checked before anything is written.
    const serviceId = body.serviceId ? checkServiceId(catalog, body.serviceId) : body.serviceId;
    const totpSecret = body.totpSecret ? totpOf(body.totpSecret) : body.totpSecret;

    if (totpSecret !== undefined) await store.setTotpSecret(userId, entry.id, totpSecret);
    if (body.password !== undefined) await store.setCurrentPassword(userId, entry.id, body.password);
    const updated = await updateEntryDetails(db, entry.id, {
      url: body.url,
      username: body.username,
      email: body.email,
      label: body.label === undefined ? undefined : body.label || null,
      serviceId,
    });
    return c.json(entryJson(updated, await store.entryState(entry.id)), 200);
  })
  .openapi(deleteRoute, async (c) => {
    const { db } = c.get('deps');
    const entry = await storeOf(c).ownedEntry(principalOf(c).userId, c.req.valid('param').id);
    await assertNoRunningReset(db, entry.id);
    await deleteEntry(db, entry.id);
    return c.body(null, 204);
  })
  .openapi(revealRoute, async (c) => {
    const { db } = c.get('deps');
    const userId = principalOf(c).userId;
    const entryId = c.req.valid('param').id;
    const current = await storeOf(c).passwordToUse(userId, entryId);
    if (!current) throw new AppError('not_found', 'This entry has no password yet');
    const meta = requestMetaOf(c);
    await recordAuditEvent(db, { userId, action: REVEAL_AUDIT_ACTION, ip: meta.ip, userAgent: meta.userAgent, detail: { entryId } });
    c.header('Cache-Control', 'no-store');
    return c.json({ password: current.password, state: current.state }, 200);
  })
  .openapi(confirmPendingRoute, async (c) => {
    const store = storeOf(c);
    const userId = principalOf(c).userId;
    const entryId = c.req.valid('param').id;
    await store.confirmPending(userId, entryId);
    return c.json(entryJson(await store.ownedEntry(userId, entryId), await store.entryState(entryId)), 200);
  })
  .openapi(discardPendingRoute, async (c) => {
    const store = storeOf(c);
    const userId = principalOf(c).userId;
    const entryId = c.req.valid('param').id;
    await store.discardPending(userId, entryId);
    return c.json(entryJson(await store.ownedEntry(userId, entryId), await store.entryState(entryId)), 200);
  });
