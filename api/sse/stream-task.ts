// GET /api/tasks/{id}/stream: a finished task replays its final state from the
// database at once (no worker needed); a running one joins the task's shared
// poller until the reset ends or the client leaves.
import type { Db } from '../../lib/db/index.js';
import { readTaskProgress } from '../../lib/tasks/read-task-progress.js';
import { terminalStatuses, type ResetProgress, type TaskStatus } from '../../workflows/reset-password.messages.js';
import type { SseSink } from './sse.js';
import { createTaskEventWriter, statusEventData } from './task-events.js';
import { followTask, type TaskStreamHub, type TaskUpdate } from './task-progress-hub.js';

export interface StreamedTask {
  id: string;
  workflowId: string;
  status: string;
}

export async function streamTask(opts: {
  db: Db;
  hub: TaskStreamHub;
  waits: { otpMs: number; captchaMs: number };
  task: StreamedTask;
  sink: SseSink;
  /** Last-Event-ID, or −1 for a fresh stream. */
  resumeFrom: number;
}): Promise<void> {
  const { sink, task } = opts;
  const write = createTaskEventWriter(sink, opts.resumeFrom);

  if (terminalStatuses.includes(task.status as TaskStatus)) {
    const progress = await readTaskProgress(opts.db, task.id, { otpWaitMs: opts.waits.otpMs, captchaWaitMs: opts.waits.captchaMs });
    if (progress) await write(await finalUpdate(opts.db, progress));
    return;
  }

  await followTask(opts.hub, task, sink.closed, (update) => write(update));
}

async function finalUpdate(db: Db, progress: ResetProgress): Promise<TaskUpdate> {
  const status = statusEventData(progress);
  const shot = progress.screenshotId ? await db.screenshot.findFirst({ where: { id: progress.screenshotId, taskId: progress.taskId } }) : null;
  return {
    progress,
    terminal: true,
    status,
    statusKey: JSON.stringify(status),
    statusSince: progress.seq,
    ...(shot ? { screenshot: { id: shot.id, dataUrl: `data:${shot.mime};base64,${Buffer.from(shot.data).toString('base64')}`, since: progress.seq } } : {}),
    source: 'db',
  };
}
