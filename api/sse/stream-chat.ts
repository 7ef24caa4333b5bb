// The chat stream of one reset: the header, then the narrator's sections for
// every change the task's shared poller sees, until the result.
import { escapeMarkdown, renderSection, type ChatSection } from '../../lib/chat/markdown.js';
import { createResetNarrator } from '../../lib/chat/narrate-reset.js';
import type { SseSink } from './sse.js';
import { followTask, type TaskStreamHub, type WatchedTask } from './task-progress-hub.js';

export async function writeSections(sink: SseSink, sections: readonly ChatSection[]): Promise<void> {
  for (const section of sections) await sink.event({ data: renderSection(section) });
}

export async function streamChatReset(opts: { hub: TaskStreamHub; sink: SseSink; task: WatchedTask; serviceName: string }): Promise<void> {
  const { sink, task } = opts;
  await writeSections(sink, [{ name: 'header', lines: [`## Resetting ${escapeMarkdown(opts.serviceName)} password`] }]);
  const narrator = createResetNarrator({
    serviceName: opts.serviceName,
    taskId: task.id,
    screenshotPath: (id) => `/api/tasks/${encodeURIComponent(task.id)}/screenshots/${encodeURIComponent(id)}`,
  });
  await followTask(opts.hub, task, sink.closed, async (update) => {
    await writeSections(sink, narrator.next(update));
    return update.terminal;
  });
}
