// Screenshots live in the database with retention, never in workflow payloads
// (history is kept and payloads are capped at 2 MiB); workflows pass their ids.
import type { Db } from '../db/index.js';

export function createScreenshotStore(db: Db) {
  return {
    async save(taskId: string, step: string, image: Buffer, mime = 'image/png'): Promise<string> {
      const row = await db.screenshot.create({ data: { taskId, step, mime, data: new Uint8Array(image) } });
      return row.id;
    },
    /** Scoped to the owner: another person's screenshot id reads as not found. */
    async get(userId: string, id: string) {
      return db.screenshot.findFirst({ where: { id, task: { userId } } });
    },
    async latest(taskId: string) {
      return db.screenshot.findFirst({ where: { taskId }, orderBy: { createdAt: 'desc' } });
    },
    async pruneOlderThan(cutoff: Date): Promise<number> {
      const { count } = await db.screenshot.deleteMany({ where: { createdAt: { lt: cutoff } } });
      return count;
    },
  };
}

export type ScreenshotStore = ReturnType<typeof createScreenshotStore>;
