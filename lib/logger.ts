// Structured logs (pino). Secrets are redacted by key name wherever they
// appear, as a safety net: code should not log them in the first place.
import pino, { type Logger } from 'pino';

export const redactedKeys = [
  'password', 'newPassword', 'currentPassword', 'oldPassword', 'secret', 'totpSecret', 'token', 'code', 'otp',
  'link', 'resetLink', 'body', 'html', 'text', 'authorization', 'cookie', 'set-cookie', 'apiKey', 'key', 'masterKey',
  'challengeToken', 'recovery', 'storageState',
];

export function createLogger(opts: { level?: string; name?: string; destination?: pino.DestinationStream } = {}): Logger {
  const paths = redactedKeys.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `req.headers.${k}`]);
  return pino(
    {
      name: opts.name ?? 'rekey',
      level: opts.level ?? 'info',
      redact: { paths, censor: '[redacted]' },
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  );
}

export type { Logger };
