// The Temporal SDK logs through its Runtime, once per process. Route it into
// our pino logger (so redaction applies) at warn level and up by default:
// worker state changes at info would drown everything else.
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger.js';

let installed = false;

export function installTemporalRuntimeLogger(logger: Logger, level: LogLevel = 'WARN'): void {
  if (installed) return;
  installed = true;
  const sdk = logger.child({ component: 'temporal-sdk' });
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: l, message, meta }) => {
      const fields = { ...(meta ?? {}) };
      // A browser-only worker has no workflows by design.
      if (message.startsWith('No workflows registered')) return;
      if (l === 'ERROR') sdk.error(fields, message);
      else if (l === 'WARN') sdk.warn(fields, message);
      else sdk.info(fields, message);
    }),
  });
}
