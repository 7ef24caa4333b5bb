// GET /api/services: the catalog, searched with the chat's resolver, paginated.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCatalog } from '../../catalog/index.js';
import { createTestApp } from '../support/test-app.js';
import { testConfig } from '../support/test-config.js';
import { forEachDatabase } from '../support/test-db.js';
import { signedIn } from '../support/signed-in.js';

interface ServicePage {
  items: { id: string; name: string; domains: string[]; resetUrl: string | null; supported: boolean }[];
  nextCursor: string | null;
  domainGuess?: string;
}

forEachDatabase('/api/services', (get) => {
  let t: ReturnType<typeof createTestApp>;
  let person: { cookie: string };
  const catalog = createCatalog();

  beforeAll(async () => {
    const { db, url } = get();
    t = createTestApp({ config: testConfig({ DATABASE_URL: url }), db, catalog });
    person = await signedIn(db);
  });
  afterAll(async () => {
    await t?.close();
  });

  const list = async (query = '') => {
    const res = await t.app.request(`/api/services${query}`, { headers: { cookie: person.cookie } });
    return { status: res.status, body: (await res.json()) as ServicePage & { error?: { field?: string } } };
  };

  it('lists the catalog with exactly the public fields', async () => {
    const { status, body } = await list('?limit=5');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(5);
    expect(Object.keys(body.items[0]!).sort()).toEqual(['domains', 'id', 'name', 'resetUrl', 'supported']);
    expect(body.items[0]).toEqual({
      id: catalog.all()[0]!.id,
      name: catalog.all()[0]!.name,
      domains: [...catalog.all()[0]!.domains],
      resetUrl: catalog.all()[0]!.resetUrl ?? null,
      supported: catalog.all()[0]!.supported,
    });
  });

  it('pages through the whole catalog without repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const { body }: { body: ServicePage } = await list(`?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      seen.push(...body.items.map((s) => s.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(catalog.all().map((s) => s.id));
  });

  it('searches with ?q= like the chat does: names, misspellings, domains', async () => {
    expect((await list('?q=Netflix')).body.items.map((s) => s.id)).toEqual(['netflix']);
    expect((await list('?q=netflx')).body.items.map((s) => s.id)).toEqual(['netflix']);
    expect((await list(`?q=${encodeURIComponent('https://www.netflix.com/browse')}`)).body.items[0]).toMatchObject({ id: 'netflix', supported: true });
    const unknown = await list('?q=unheard-of-site.example.org');
    expect(unknown.body.items).toEqual([]);
    expect(unknown.body.domainGuess).toBe('example.org');
    // An empty search box is no search.
    expect((await list('?q=&limit=3')).body.items.map((s) => s.id)).toEqual(catalog.all().slice(0, 3).map((s) => s.id));
  });

  it('400 for a bad cursor or limit, with the field named', async () => {
    expect(await list('?cursor=nonsense')).toMatchObject({ status: 400, body: { error: { field: 'cursor' } } });
    expect(await list('?limit=1000')).toMatchObject({ status: 400, body: { error: { field: 'limit' } } });
  });

  it('401 without credentials', async () => {
    const res = await t.app.request('/api/services');
    expect(res.status).toBe(401);
  });

  it('is read-only: a write, even same-origin, finds no route', async () => {
    const res = await t.app.request('/api/services', { method: 'POST', headers: { cookie: person.cookie, 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(404);
  });
});
