// temporal-dev.yaml, parsed and validated. The file is the single source of
// the local dev server's settings; callers may override ports and the db file.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { projectRoot } from '../config.js';

const identifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/);
const settingsSchema = z.object({
  cli: z.object({ version: z.string().regex(/^\d+\.\d+\.\d+$/) }),
  server: z.object({
    ip: z.string().default('127.0.0.1'),
    port: z.number().int().min(1).max(65535),
    uiPort: z.number().int().min(1).max(65535),
    dbFile: z.string().min(1),
    logLevel: z.enum(['debug', 'info', 'warn', 'error', 'never']).default('warn'),
  }),
  namespace: z.string().min(1),
  searchAttributes: z.record(identifier, z.enum(['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'])),
  dynamicConfig: z.record(z.string(), z.unknown()).default({}),
  ui: z.object({ codecEndpoint: z.string().optional() }).default({}),
});

export type TemporalDevSettings = z.infer<typeof settingsSchema>;
export type SearchAttributeKind = TemporalDevSettings['searchAttributes'][string];

export function loadDevSettings(file = path.join(projectRoot, 'temporal-dev.yaml')): TemporalDevSettings {
  const parsed = settingsSchema.safeParse(parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`${path.relative(projectRoot, file)} is invalid:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
