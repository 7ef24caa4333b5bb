// The person's outbound webhooks: endpoints, their delivery log, a test ping.
// Cookie-authenticated writes are CSRF-checked like any others (only inbound
// receivers under /api/hooks/in/* are exempt). Another person's id is a 404,
// the same as an id that does not exist.
import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { webhookEventTypes } from '../../lib/webhooks/event-types.js';
import { sendTestEvent } from '../../lib/webhooks/send-test-event.js';
import { createWebhookStore, type DeliveryView, type WebhookView } from '../../lib/webhooks/webhook-store.js';
import type { AppEnv } from '../context.js';
import { createApi } from '../create-api.js';
import { principalOf, requireUser } from '../middleware/auth.js';
import { errorResponse, signedIn } from './auth.js';
import { PageQuery } from './sessions.js';

// ---- schemas: validation and the OpenAPI document ----

const EventType = z.enum(webhookEventTypes).openapi('WebhookEventType', {
  description: 'reset.completed, reset.failed, reset.needs_otp (carries `otpUrl`, the phone link, when there is one), reset.captcha_required',
});

const Webhook = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(EventType),
    description: z.string().nullable(),
    enabled: z.boolean().openapi({ description: 'False after the receiver answered 410 Gone, or when turned off' }),
    createdAt: z.string().openapi({ format: 'date-time' }),
    updatedAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Webhook');

const CreatedWebhook = Webhook.extend({
  secret: z.string().openapi({
    description: 'Standard Webhooks signing secret (`whsec_…`). Shown once: store it now.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).openapi('CreatedWebhook');

const url = z.string().trim().min(1).max(2048).openapi({
  description: 'http or https; no credentials; must resolve to public addresses (unless the deployment allows private targets)',
  example: 'https://example.com/hooks/rekey',
});
const description = z.string().trim().max(200);
const events = z.array(EventType).min(1).openapi({ description: 'Defaults to every event type' });

const CreateWebhookBody = z
  .strictObject({ url, events: events.optional(), description: description.optional(), enabled: z.boolean().optional() })
  .openapi('CreateWebhook');

const UpdateWebhookBody = z
  .strictObject({ url: url.optional(), events: events.optional(), description: description.nullable().optional(), enabled: z.boolean().optional() })
  .openapi('UpdateWebhook');

const Delivery = z
  .object({
    id: z.string(),
    messageId: z.string().openapi({ description: 'The `webhook-id` header; the same on every attempt of one event' }),
    eventType: z.string(),
    attempt: z.number().int(),
    status: z.enum(['pending', 'succeeded', 'failed']),
    responseStatus: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().int().nullable(),
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('WebhookDelivery');

const page = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

const IdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

const TestDelivery = z
  .object({
    deliveryId: z.string().openapi({ description: 'Its first row in GET /api/webhooks/{id}/deliveries' }),
    messageId: z.string(),
  })
  .openapi('WebhookTestDelivery');

const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const common = {
  tags: ['Webhooks'],
  security: signedIn,
  middleware: requireUser(),
};
const unauthorized = { 401: errorResponse('Not signed in') };
const notFound = { 404: errorResponse('No such webhook (or not yours)') };

// ---- routes ----

const listRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/webhooks',
  summary: 'Your webhooks, newest first',
  request: { query: PageQuery },
  responses: { 200: json(page(Webhook, 'WebhookPage'), 'A page of webhooks'), 400: errorResponse('Bad query'), ...unauthorized },
});

const createWebhookRoute = createRoute({
  ...common,
  method: 'post',
  path: '/api/webhooks',
  summary: 'Add a webhook; the signing secret is in this answer only',
  request: { body: { required: true, content: { 'application/json': { schema: CreateWebhookBody } } } },
  responses: {
    201: json(CreatedWebhook, 'Created'),
    400: errorResponse('Invalid body, or `target_not_allowed` for the URL'),
    ...unauthorized,
    409: errorResponse('Too many webhooks'),
  },
});

const getRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/webhooks/{id}',
  summary: 'One webhook',
  request: { params: IdParam },
  responses: { 200: json(Webhook, 'The webhook'), ...unauthorized, ...notFound },
});

const updateRoute = createRoute({
  ...common,
  method: 'patch',
  path: '/api/webhooks/{id}',
  summary: 'Change a webhook’s URL, events, description or enabled state',
  request: { params: IdParam, body: { required: true, content: { 'application/json': { schema: UpdateWebhookBody } } } },
  responses: {
    200: json(Webhook, 'Updated'),
    400: errorResponse('Invalid body, or `target_not_allowed` for the URL'),
    ...unauthorized,
    ...notFound,
  },
});

const deleteRoute = createRoute({
  ...common,
  method: 'delete',
  path: '/api/webhooks/{id}',
  summary: 'Delete a webhook and its delivery log',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...unauthorized, ...notFound },
});

const deliveriesRoute = createRoute({
  ...common,
  method: 'get',
  path: '/api/webhooks/{id}/deliveries',
  summary: 'Delivery attempts, newest first',
  request: { params: IdParam, query: PageQuery },
  responses: { 200: json(page(Delivery, 'WebhookDeliveryPage'), 'A page of attempts'), 400: errorResponse('Bad query'), ...unauthorized, ...notFound },
});

const testRoute = createRoute({
  ...common,
  method: 'post',
  path: '/api/webhooks/{id}/test',
  summary: 'Send a signed `webhook.test` event through the delivery path',
  request: { params: IdParam },
  responses: {
    202: json(TestDelivery, 'Queued'),
    400: errorResponse('`target_not_allowed`: the URL is no longer allowed'),
    ...unauthorized,
    ...notFound,
    409: errorResponse('The webhook is disabled'),
    503: errorResponse('Temporal unreachable'),
  },
});

// ---- handlers ----

const storeOf = (c: Context<AppEnv>) => {
  const { db, keyring, config } = c.get('deps');
  return createWebhookStore({ db, keyring, allowPrivateTargets: config.allowPrivateTargets });
};

const webhookJson = (w: WebhookView) => ({ ...w, createdAt: w.createdAt.toISOString(), updatedAt: w.updatedAt.toISOString() });
const deliveryJson = (d: DeliveryView) => ({ ...d, createdAt: d.createdAt.toISOString() });

export const webhookRoutes = createApi()
  .openapi(listRoute, async (c) => {
    const { items, nextCursor } = await storeOf(c).list(principalOf(c).userId, c.req.valid('query'));
    return c.json({ items: items.map(webhookJson), nextCursor }, 200);
  })
  .openapi(createWebhookRoute, async (c) => {
    const { webhook, secret } = await storeOf(c).create(principalOf(c).userId, c.req.valid('json'));
    return c.json({ ...webhookJson(webhook), secret }, 201);
  })
  .openapi(getRoute, async (c) => {
    const webhook = await storeOf(c).get(principalOf(c).userId, c.req.valid('param').id);
    return c.json(webhookJson(webhook), 200);
  })
  .openapi(updateRoute, async (c) => {
    const webhook = await storeOf(c).update(principalOf(c).userId, c.req.valid('param').id, c.req.valid('json'));
    return c.json(webhookJson(webhook), 200);
  })
  .openapi(deleteRoute, async (c) => {
    await storeOf(c).remove(principalOf(c).userId, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .openapi(deliveriesRoute, async (c) => {
    const { items, nextCursor } = await storeOf(c).deliveries(principalOf(c).userId, c.req.valid('param').id, c.req.valid('query'));
    return c.json({ items: items.map(deliveryJson), nextCursor }, 200);
  })
  .openapi(testRoute, async (c) => {
    const { db, keyring, config, temporal } = c.get('deps');
    const { deliveryId, messageId } = await sendTestEvent({
      db,
      keyring,
      store: storeOf(c),
      temporal,
      taskQueue: config.temporal.taskQueue,
      allowPrivateTargets: config.allowPrivateTargets,
      userId: principalOf(c).userId,
      webhookId: c.req.valid('param').id,
    });
    return c.json({ deliveryId, messageId }, 202);
  });
