// Every resource's sub-app, mounted in one place. The order does not matter:
// each sub-app declares full paths.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import { healthRoutes } from './health.js';

export function mountRoutes(app: OpenAPIHono<AppEnv>) {
  app.route('/', healthRoutes);
  // mount:accounts
  // mount:webhooks
  // mount:reset
  return app;
}
