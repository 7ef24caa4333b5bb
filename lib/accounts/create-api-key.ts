// A long-lived credential for scripts: `rk_` + 256 random bits, shown once.
// Only its SHA-256 is stored, with a short prefix so lists can tell keys apart.
// Creation needs sudo (checked by the route), so only a browser session that
// just re-entered the password can mint one — never another API key.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { hashToken, randomToken } from '../crypto.js';
import { AppError } from '../errors.js';
import { apiKeyViewSelect, toApiKeyView, type ApiKeyView } from './api-key-view.js';
import type { AccountDeps, RequestMeta } from './deps.js';
import { API_KEY_PREFIX } from './policy.js';

export async function createApiKey(
  deps: Pick<AccountDeps, 'db' | 'now'>,
  opts: { userId: string; name: string; expiresAt?: Date | null; meta: RequestMeta },
): Promise<{ apiKey: ApiKeyView; key: string }> {
  const now = deps.now();
  if (opts.expiresAt && opts.expiresAt <= now) {
    throw new AppError('validation_failed', 'expiresAt: must be in the future', { field: 'expiresAt' });
  }
  const key = `${API_KEY_PREFIX}${randomToken(32)}`;
  const row = await deps.db.apiKey.create({
    data: {
      userId: opts.userId,
      name: opts.name.trim(),
      prefix: key.slice(0, API_KEY_PREFIX.length + 8),
      keyHash: hashToken(key),
      createdAt: now,
      expiresAt: opts.expiresAt ?? null,
    },
    select: apiKeyViewSelect,
  });
  await recordAuditEvent(deps.db, { userId: opts.userId, action: 'api_key.created', ...opts.meta, detail: { apiKeyId: row.id, name: row.name } });
  return { apiKey: toApiKeyView(row), key };
}
