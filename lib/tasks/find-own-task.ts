import type { Db } from '../db/index.js';
import { notFound } from '../errors.js';

/**
 * The fields a stream needs of one of the person's tasks. Another person's id
 * is the same 404 as an unknown one. (findUnique, then the owner check: Prisma
 * batches concurrent findUnique calls.)
 */
export async function findOwnTask(db: Db, args: { userId: string; taskId: string }) {
  const task = await db.task.findUnique({ where: { id: args.taskId }, select: { id: true, userId: true, workflowId: true, status: true, serviceName: true } });
  if (!task || task.userId !== args.userId) throw notFound('Task');
  return task;
}
