// Work the response must not wait for (emails): timing stays the same whether
// or not there is anything to send, and a slow or dead SMTP server never
// changes an answer. Failures are logged, never thrown.
import type { Logger } from '../logger.js';

const pending = new Set<Promise<void>>();

export function runInBackground(logger: Logger, label: string, job: () => Promise<void>): void {
  const run = (async () => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      await job();
    } catch (err) {
      logger.warn({ err: { message: (err as Error).message, name: (err as Error).name }, job: label }, 'background job failed');
    }
  })();
  pending.add(run);
  void run.finally(() => pending.delete(run));
}

/** Resolves when every background job started so far has finished (shutdown, tests). */
export async function backgroundJobsSettled(): Promise<void> {
  while (pending.size > 0) await Promise.allSettled([...pending]);
}
