// A person's outbound webhooks and their delivery log. Every read and write is
// scoped to the owner: another person's id behaves exactly like an unknown one.
// The signing secret is generated here, returned once by `create`, and kept
// encrypted; no other method ever returns it.
import { randomUUID } from 'node:crypto';
import type { Keyring } from '../crypto.js';
import { afterCursor, pageOf, pageOrder, pageSize, type PageRequest } from '../accounts/paginate.js';
import type { Db } from '../db/index.js';
import { AppError, notFound } from '../errors.js';
import type { HostResolver, PrivateTargets } from '../net/target-guard.js';
import { checkWebhookUrl } from './check-webhook-url.js';
import { isWebhookEventType, webhookEventTypes, type WebhookEventType } from './event-types.js';
import { generateWebhookSecret, sealWebhookSecret } from './webhook-crypto.js';

export const MAX_WEBHOOKS_PER_USER = 20;

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEventType[];
  description: string | null;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed';

/** One attempt to deliver one event (the body itself is not shown). */
export interface DeliveryView {
  id: string;
  messageId: string;
  eventType: string;
  attempt: number;
  status: DeliveryStatus;
  responseStatus: number | null;
  error: string | null;
  durationMs: number | null;
  createdAt: Date;
}

export interface CreateWebhookInput {
  url: string;
  events?: WebhookEventType[];
  description?: string | null;
  enabled?: boolean;
}

export type UpdateWebhookInput = Partial<CreateWebhookInput>;

interface WebhookRow {
  id: string;
  url: string;
  events: string;
  description: string | null;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export function parseEvents(stored: string): WebhookEventType[] {
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed) ? parsed.filter((e): e is WebhookEventType => typeof e === 'string' && isWebhookEventType(e)) : [];
  } catch {
    return [];
  }
}

/** Stored in the canonical order, without duplicates. */
const serializeEvents = (events: readonly WebhookEventType[]) => JSON.stringify(webhookEventTypes.filter((e) => events.includes(e)));

const view = (row: WebhookRow): WebhookView => ({
  id: row.id,
  url: row.url,
  events: parseEvents(row.events),
  description: row.description,
  enabled: row.enabled,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export function createWebhookStore(deps: { db: Db; keyring: Keyring; allowPrivateTargets: PrivateTargets; resolver?: HostResolver }) {
  const { db, keyring } = deps;
  const policy = { allowPrivate: deps.allowPrivateTargets, resolver: deps.resolver };

  async function owned(userId: string, id: string): Promise<WebhookRow> {
    const row = await db.webhook.findFirst({ where: { id, userId } });
    if (!row) throw notFound('Webhook');
    return row;
  }

  return {
    async list(userId: string, page: PageRequest = {}): Promise<Page<WebhookView>> {
      const limit = pageSize(page.limit);
      const rows = await db.webhook.findMany({ where: { userId, ...afterCursor(page.cursor) }, orderBy: pageOrder, take: limit + 1 });
      const { rows: items, nextCursor } = pageOf(rows, limit);
      return { items: items.map(view), nextCursor };
    },

    async get(userId: string, id: string): Promise<WebhookView> {
      return view(await owned(userId, id));
    },

    /** The only time the secret leaves the store. */
    async create(userId: string, input: CreateWebhookInput): Promise<{ webhook: WebhookView; secret: string }> {
      const url = await checkWebhookUrl(input.url, policy);
      if ((await db.webhook.count({ where: { userId } })) >= MAX_WEBHOOKS_PER_USER) {
        throw new AppError('conflict', `A person can have at most ${MAX_WEBHOOKS_PER_USER} webhooks.`);
      }
      const id = randomUUID();
      const secret = generateWebhookSecret();
      const row = await db.webhook.create({
        data: {
          id,
          userId,
          url,
          secretEnc: sealWebhookSecret(keyring, id, secret),
          events: serializeEvents(input.events ?? webhookEventTypes),
          description: input.description ?? null,
          enabled: input.enabled ?? true,
        },
      });
      return { webhook: view(row), secret };
    },

    async update(userId: string, id: string, input: UpdateWebhookInput): Promise<WebhookView> {
      await owned(userId, id);
      const url = input.url === undefined ? undefined : await checkWebhookUrl(input.url, policy);
      const data = {
        ...(url !== undefined ? { url } : {}),
        ...(input.events !== undefined ? { events: serializeEvents(input.events) } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
      };
      const row = await db.webhook.update({ where: { id, userId }, data }).catch((err: unknown) => {
        // Deleted between the check and the write.
        if ((err as { code?: string }).code === 'P2025') throw notFound('Webhook');
        throw err;
      });
      return view(row);
    },

    /** Deletes the endpoint and its delivery log; deliveries still queued find nothing and stop. */
    async remove(userId: string, id: string): Promise<void> {
      const { count } = await db.webhook.deleteMany({ where: { id, userId } });
      if (count === 0) throw notFound('Webhook');
    },

    /** Every attempt, newest first. */
    async deliveries(userId: string, id: string, page: PageRequest = {}): Promise<Page<DeliveryView>> {
      await owned(userId, id);
      const limit = pageSize(page.limit);
      const rows = await db.webhookDelivery.findMany({
        where: { webhookId: id, ...afterCursor(page.cursor) },
        orderBy: pageOrder,
        take: limit + 1,
        select: {
          id: true,
          messageId: true,
          eventType: true,
          attempt: true,
          status: true,
          responseStatus: true,
          error: true,
          durationMs: true,
          createdAt: true,
        },
      });
      const { rows: items, nextCursor } = pageOf(rows, limit);
      return { items: items.map((r) => ({ ...r, status: r.status as DeliveryStatus })), nextCursor };
    },

    /** The person's enabled endpoints that subscribe to `type`. */
    async subscribers(userId: string, type: WebhookEventType): Promise<{ id: string }[]> {
      const rows = await db.webhook.findMany({ where: { userId, enabled: true }, select: { id: true, events: true } });
      return rows.filter((r) => parseEvents(r.events).includes(type)).map((r) => ({ id: r.id }));
    },
  };
}

export type WebhookStore = ReturnType<typeof createWebhookStore>;
