// A task row as the reset API writes one (a Netflix reset unless told
// otherwise), for tests that need a task without running its workflow.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../../lib/db/index.js';

type TaskData = Parameters<Db['task']['create']>[0]['data'];

export async function insertTaskRow(db: Db, userId: string, data: Partial<TaskData> & { steps?: TaskData['steps'] } = {}) {
  const id = randomUUID();
  return db.task.create({
    data: {
      id,
      userId,
      serviceId: 'netflix',
      serviceName: 'Netflix',
      serviceUrl: 'https://www.netflix.com/LoginHelp',
      email: `${randomBytes(3).toString('hex')}@example.com`,
      accountKey: `netflix:${id}`,
      workflowId: `reset-netflix-${id}`,
      ...data,
    } as TaskData,
  });
}
