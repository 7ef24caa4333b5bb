// The person's keys that still work or could: not revoked. Expired ones stay
// listed (with their expiry) until retention removes them.
import { apiKeyViewSelect, toApiKeyView, type ApiKeyView } from './api-key-view.js';
import type { AccountDeps } from './deps.js';
import { afterCursor, pageOf, pageOrder, pageSize, type PageRequest } from './paginate.js';

export async function listApiKeys(
  deps: Pick<AccountDeps, 'db'>,
  opts: { userId: string } & PageRequest,
): Promise<{ items: ApiKeyView[]; nextCursor: string | null }> {
  const limit = pageSize(opts.limit);
  const found = await deps.db.apiKey.findMany({
    where: { userId: opts.userId, revokedAt: null, ...afterCursor(opts.cursor) },
    orderBy: pageOrder,
    take: limit + 1,
    select: apiKeyViewSelect,
  });
  const { rows, nextCursor } = pageOf(found, limit);
  return { items: rows.map(toApiKeyView), nextCursor };
}
