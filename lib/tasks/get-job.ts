// GET /api/jobs/{id}: one of the person's tasks with its steps. The hottest
// read of the reset API (UIs poll it), so it is one SQL query (task LEFT JOIN
// steps) run as a prepared statement on the driver (lib/db/prepared-reads.ts)
// rather than two Prisma model queries: ~0.03 ms of CPU instead of ~2 ms
// (bench/api.ts). The SQL is the same on SQLite and PostgreSQL.
import { preparedReads, type Db } from '../db/index.js';
import { readDate } from '../db/prepared-reads.js';
import { notFound } from '../errors.js';
import { jobView, type JobRow, type JobView } from './job-view.js';

/** A task row joined with one of its steps (step columns null when it has none). */
interface JobJoinRow extends JobRow {
  userId: string;
  stepName: string | null;
  stepStatus: string | null;
  durationMs: number | null;
  position: number | null;
}

/** Another person's id reads as not found, the same as an unknown one. */
export async function getJob(db: Db, args: { userId: string; taskId: string }): Promise<JobView> {
  const rows = await preparedReads(db).all<JobJoinRow>(
    `SELECT t."id", t."userId", t."status", t."serviceId", t."serviceName", t."createdAt", t."startedAt", t."completedAt",
            t."failureType", t."failureReason", t."retryOfId", t."confirmed",
            s."name" AS "stepName", s."status" AS "stepStatus", s."durationMs", s."position"
     FROM "Task" t LEFT JOIN "TaskStep" s ON s."taskId" = t."id"
     WHERE t."id" = $1 AND t."userId" = $2`,
    [args.taskId, args.userId],
  );
  const task = rows[0];
  if (!task) throw notFound('Job');
  const steps = rows
    .filter((r) => r.stepName !== null)
    .map((r) => ({ name: r.stepName!, status: r.stepStatus!, durationMs: r.durationMs === null ? null : Number(r.durationMs), position: Number(r.position) }));
  // SQLite gives a boolean column as 0/1.
  const confirmed = task.confirmed === null ? null : Boolean(task.confirmed);
  return jobView({ ...task, confirmed, createdAt: readDate(task.createdAt)!, startedAt: readDate(task.startedAt), completedAt: readDate(task.completedAt) }, steps);
}

