// Every resource's sub-app, mounted in one place. The order does not matter:
// each sub-app declares full paths.
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../context.js';
import { accountRoutes } from './account.js';
import { apiKeyRoutes } from './api-keys.js';
import { authRoutes } from './auth.js';
import { cronRoutes } from './cron.js';
import { healthRoutes } from './health.js';
import { sessionRoutes } from './sessions.js';
import { webhookRoutes } from './webhooks.js';
import { chatRoutes } from './chat.js';
import { jobRoutes } from './jobs.js';
import { otpRoutes } from './otp.js';
import { taskRoutes } from './tasks.js';
import { passwordRoutes } from './passwords.js';
import { serviceRoutes } from './services.js';
import { mailboxRoutes } from './mailbox.js';
import { discoveryRoutes } from './discovery.js';
import { createDocsRoutes } from './docs.js';
import { devOutboxRoutes } from './dev-outbox.js';
import { sandboxRoutes } from './sandbox.js';
import { webRoutes } from './web.js';

export function mountRoutes(app: OpenAPIHono<AppEnv>) {
  app.route('/', healthRoutes);
  app.route('/', authRoutes);
  app.route('/', sessionRoutes);
  app.route('/', apiKeyRoutes);
  app.route('/', accountRoutes);
  app.route('/', cronRoutes);
  app.route('/', webhookRoutes);
  app.route('/', passwordRoutes);
  app.route('/', serviceRoutes);
  app.route('/', mailboxRoutes);
  app.route('/', discoveryRoutes);
  app.route('/', createDocsRoutes(app));
  app.route('/', taskRoutes);
  app.route('/', jobRoutes);
  app.route('/', chatRoutes);
  app.route('/', otpRoutes);
  app.route('/', sandboxRoutes);
  app.route('/', devOutboxRoutes);
  app.route('/', webRoutes); // last: the web UI answers only what no route above did
  return app;
}
