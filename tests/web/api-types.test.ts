// The web UI's API types are generated from the routes' own OpenAPI document
// (scripts/generate-api-types.ts) and committed; a route whose schema changed
// without `npm run api:types` fails here, before the UI reads a stale shape.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { apiTypesFile, apiTypesSource } from '../../scripts/generate-api-types.js';

describe('web/src/api/openapi.d.ts', () => {
  it('is what the routes generate now (else run `npm run api:types`)', async () => {
    const committed = readFileSync(apiTypesFile, 'utf8');
    const generated = await apiTypesSource();
    expect(committed, 'web/src/api/openapi.d.ts is out of date: run `npm run api:types`').toBe(generated);
    expect(generated).toContain('Job: {');
  });
});
