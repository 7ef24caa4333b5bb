// Keyset pagination for the person's lists (`?limit=&cursor=` → `{items,
// nextCursor}`): newest first by (createdAt, id); the cursor is opaque.
import { AppError } from '../errors.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export function encodeCursor(row: { createdAt: Date; id: string }): string {
  return Buffer.from(`${row.createdAt.toISOString()}|${row.id}`, 'utf8').toString('base64url');
}

/** A Prisma `where` fragment for rows after the cursor (older, or same time and smaller id). */
export function afterCursor(cursor: string | undefined) {
  if (!cursor) return {};
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  if (!id || Number.isNaN(createdAt.getTime())) throw new AppError('validation_failed', 'cursor: not a cursor from this list', { field: 'cursor' });
  return { OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] };
}

export const pageOrder = [{ createdAt: 'desc' as const }, { id: 'desc' as const }];

/** Takes `limit + 1` rows: the extra one says whether there is a next page. */
export function pageOf<T extends { createdAt: Date; id: string }>(rows: T[], limit: number): { rows: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: encodeCursor(page[page.length - 1]!) };
}

export const pageSize = (limit: number | undefined) => Math.min(Math.max(limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
