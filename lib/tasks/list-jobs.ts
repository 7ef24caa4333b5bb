// The person's tasks, newest first, `?limit=&cursor=` → `{items, nextCursor}`
// with an opaque keyset cursor (createdAt, id): rows added while paging
// neither repeat nor go missing.
import { afterCursor, pageOf, pageOrder, pageSize, type PageRequest } from '../accounts/paginate.js';
import type { Db } from '../db/index.js';
import { jobColumns, jobView, type JobView } from './job-view.js';

export async function listJobs(db: Db, args: { userId: string } & PageRequest): Promise<{ items: JobView[]; nextCursor: string | null }> {
  const limit = pageSize(args.limit);
  const found = await db.task.findMany({
    where: { userId: args.userId, ...afterCursor(args.cursor) },
    orderBy: pageOrder,
    take: limit + 1,
    select: jobColumns,
  });
  const { rows, nextCursor } = pageOf(found, limit);
  return { items: rows.map((row) => jobView(row, row.steps)), nextCursor };
}
