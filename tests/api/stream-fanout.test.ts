// 200 people (tabs) watch one real reset: a papercrane reset held at its email
// wait (the sandbox's mail is held back), then let go. Every stream must end
// with `completed`, and the API's Temporal client — counted by a client
// interceptor — must make at most one progress query per poll of the hub, not
// one per subscriber. (The query rate in time is measured by npm run bench:sse.)
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

    it('all receive completed; one Temporal query per poll, not per subscriber', { timeout: 180_000 }, async () => {
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

      // While all of them wait for the email, each poll makes at most one query
      // (none when a slow query has sent it to the task row), whatever the
      // number of subscribers: counted over the next polls, not timed.
      // (A poll is counted before its query is made, so the totals compare at any moment.)
      // A slow query sends the poller to the row for a few polls: wait for queries to resume too.
      const before = { polls: api.hub.stats().polls, queries: api.queries.count };
      const morePolls = () => ({ polls: api.hub.stats().polls - before.polls >= 6, queries: api.queries.count > before.queries });
      await expect.poll(morePolls, { timeout: 60_000, interval: 50 }).toEqual({ polls: true, queries: true });
      expect(api.queries.count).toBeLessThanOrEqual(api.hub.stats().polls);

      await h.releaseMail();
      await Promise.all(finished);

      for (const messages of received) {
        const statuses = messages.filter((m) => m.event === 'status');
        const last = JSON.parse(statuses.at(-1)!.data[0]!) as { status: string; vaultEntryId: string };
        expect(last).toEqual({ status: 'completed', vaultEntryId: entryId, confirmed: true });
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

      // Over the whole reset too: one query per poll at most, and polling stops with the reset.
      await expect.poll(() => api.hub.stats().active, { timeout: 10_000 }).toBe(0);
      expect(api.queries.count).toBeLessThanOrEqual(api.hub.stats().polls);
    });
  });
}
