// Every sub-app is an OpenAPIHono built here, so they share the validation
// hook (400 with the field named) and feed one OpenAPI document.
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from './context.js';

export function createApi() {
  return new OpenAPIHono<AppEnv>({
    // Invalid bodies are 400 with the field named, in the one error shape.
    defaultHook: (result, c) => {
      if (result.success) return;
      const issue = result.error.issues[0];
      const field = issue?.path.join('.') || undefined;
      return c.json(
        { error: { code: 'validation_failed', message: field ? `${field}: ${issue!.message}` : (issue?.message ?? 'Invalid request'), field } },
        400,
      );
    },
  });
}
