// Revoking a key: the next request using it is refused. Another person's key
// id reads as not found.
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { notFound } from '../errors.js';
import type { AccountDeps, RequestMeta } from './deps.js';

export async function revokeApiKey(deps: Pick<AccountDeps, 'db' | 'now'>, opts: { userId: string; apiKeyId: string; meta: RequestMeta }): Promise<void> {
  const { count } = await deps.db.apiKey.updateMany({
    where: { id: opts.apiKeyId, userId: opts.userId, revokedAt: null },
    data: { revokedAt: deps.now() },
  });
  if (count === 0) throw notFound('API key');
  await recordAuditEvent(deps.db, { userId: opts.userId, action: 'api_key.revoked', ...opts.meta, detail: { apiKeyId: opts.apiKeyId } });
}
