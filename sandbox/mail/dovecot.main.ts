// Dev helper: `npx tsx sandbox/mail/dovecot.main.ts [--port 1143] [--base-dir data/dovecot] [--user name:password]…`
// Prints {"host","port","baseDir"} as one JSON line once the server answers; stops on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startDovecot } from './dovecot.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'base-dir': { type: 'string' },
    user: { type: 'string', multiple: true },
  },
});

const server = await startDovecot({
  ...(values.port ? { port: Number(values.port) } : {}),
  ...(values['base-dir'] ? { baseDir: values['base-dir'] } : {}),
});
for (const spec of values.user ?? []) {
  const separator = spec.indexOf(':');
  if (separator < 1) throw new Error('--user expects name:password');
  await server.addUser(spec.slice(0, separator), spec.slice(separator + 1));
}
process.stdout.write(`${JSON.stringify({ host: server.host, port: server.port, baseDir: server.baseDir })}\n`);

let stopping = false;
const shutdown = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
};
process.once('SIGINT', () => void shutdown());
process.once('SIGTERM', () => void shutdown());
