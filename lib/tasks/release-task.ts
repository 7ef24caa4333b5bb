// What a reset leaves behind once it has ended, whoever notices the end (the
// workflow's last activity, or the reconciler for one that could not write it):
// the link, codes and browser state have done their job, and the account is
// free again for its next reset.
import type { Db } from '../db/index.js';

export async function releaseTask(db: Db, taskId: string): Promise<void> {
  await db.taskSecret.deleteMany({ where: { taskId } });
  await db.resetLock.deleteMany({ where: { taskId } });
  await db.otpToken.updateMany({ where: { taskId, usedAt: null }, data: { expiresAt: new Date() } });
}
