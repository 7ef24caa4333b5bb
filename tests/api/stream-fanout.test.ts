// 200 people (tabs) watch one real reset: a papercrane reset held at its email
// wait (the sandbox's mail is held back), then let go. Every stream must end
// with `completed`, and the API's Temporal client — counted by a client
// interceptor — must make one progress query per poll interval, not one per
// subscriber.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startResetHarness, type ResetHarness } from '../support/reset-harness.js';
import { availableDbKinds } from '../support/test-db.js';
import { createResetApi, readSse, request, signedInPerson, type ResetApi, type SseMessage } from './tasks-support.js';

const SUBSCRIBERS = 200;
const POLL_MS = 500;

for (const dbKind of availableDbKinds()) {
  describe(`${SUBSCRIBERS} streams on one task [${dbKind}]`, () => {
    let h: ResetHarness;
    let api: ResetApi;

    beforeAll(async () => {
      h = await startResetHarness({ dbKind, sites: ['papercrane'] });
      api = createResetApi({ config: h.config, db: h.db, catalog: h.catalog, streams: { pollIntervalMs: POLL_MS } });
    });
    afterAll(async () => {
      await api?.close();
      await h?.close();
    });

    it('all receive completed; one Temporal query per poll interval', { timeout: 180_000 }, async () => {
      const person = await h.createPerson('fanout');
      const { entryId } = await h.createSiteAccount(person, 'papercrane');
      const viewer = await signedInPerson(h.db, person.userId);

      h.holdMail();
      const created = await request(api, 'POST', '/api/tasks/reset', {
        person: viewer,
        body: { serviceUrl: h.sandbox.site('papercrane').resetUrl, email: person.email, passwordId: entryId },
      });
      expect(created.status).toBe(201);
      const { taskId } = (await created.json()) as { taskId: string };
      await h.waitForTask(taskId, (t) => t.status === 'waiting_for_email', 90_000);

      // Open every stream at once; each reads until its stream ends.
      const received: SseMessage[][] = Array.from({ length: SUBSCRIBERS }, () => []);
      const marks: (() => void)[] = [];
      const firstSeen = received.map(() => new Promise<void>((r) => marks.push(r)));
      const finished = received.map(async (messages, i) => {
        const res = await request(api, 'GET', `/api/tasks/${taskId}/stream`, { person: viewer });
        expect(res.status).toBe(200);
        for await (const m of readSse(res)) {
          if (m.comment) continue;
          messages.push(m);
          marks[i]!();
        }
      });
      await Promise.all(firstSeen);
      expect(api.hub.stats()).toMatchObject({ active: 1, subscribers: SUBSCRIBERS });

      // While all of them wait for the email: one query per interval.
      const windowMs = 4_000;
      const from = Date.now();
      await new Promise((r) => setTimeout(r, windowMs));
      const inWindow = api.queries.between(from, from + windowMs);
      expect(inWindow).toBeGreaterThanOrEqual(windowMs / POLL_MS - 2);
      expect(inWindow).toBeLessThanOrEqual(windowMs / POLL_MS + 1);

      const releasedAt = Date.now();
      await h.releaseMail();
      await Promise.all(finished);
      const elapsed = Date.now() - releasedAt;

      for (const messages of received) {
        const statuses = messages.filter((m) => m.event === 'status');
        const last = JSON.parse(statuses.at(-1)!.data[0]!) as { status: string; vaultEntryId: string };
        expect(last).toEqual({ status: 'completed', vaultEntryId: entryId });
        // Ids only grow: nothing is repeated.
        const ids = messages.map((m) => Number(m.id));
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        expect(new Set(statuses.map((m) => m.id)).size).toBe(statuses.length);
        expect(messages.every((m) => m.event === 'status' || m.event === 'screenshot')).toBe(true);
      }
      // The first status every tab saw was the wait; all saw the same sequence of status events.
      const sequences = new Set(received.map((ms) => ms.filter((m) => m.event === 'status').map((m) => m.raw).join('|')));
      expect(JSON.parse(received[0]!.filter((m) => m.event === 'status')[0]!.data[0]!)).toEqual({ status: 'waiting_for_email' });
      expect(sequences.size).toBe(1);

      const afterRelease = api.queries.between(releasedAt, Date.now() + 1);
      expect(afterRelease).toBeLessThanOrEqual(Math.ceil(elapsed / POLL_MS) + 2);
      await expect.poll(() => api.hub.stats().active, { timeout: 10_000 }).toBe(0);
      const queriesAtEnd = api.queries.count;
      await new Promise((r) => setTimeout(r, 3 * POLL_MS));
      expect(api.queries.count).toBe(queriesAtEnd);
    });
  });
}
