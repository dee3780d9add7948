import request from 'supertest';
import { hashToken } from '../../src/domain/access';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, DAY, donor, draftFor, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

// GET /api/v1/wishes: pages that add up to the whole list, and each filter narrowing it.
describe('listing wishes over the API', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-22T09:00:00Z'));
  const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  let app: ReturnType<typeof buildApp>;
  let services: ReturnType<typeof buildServices>;
  let home: string;
  let other: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    services = buildServices(db, clock, ADMIN_TOKEN);
    app = buildApp(db, services, { clock });
    home = (await services.communities.create({ name: 'Harbour Street' }, admin)).id;
    other = (await services.communities.create({ name: 'Riverside' }, admin)).id;
    const make = async (key: string, communityId: string, over: Parameters<typeof draftFor>[1], publish = true) => {
      const draft = draftFor(communityId, { description: 'For a child starting school in the spring.', ...over }, clock());
      ids[key] = (await services.wishes.create(draft, admin, { publish })).state.id;
    };
    for (let i = 0; i < 7; i++) await make(`plain${i}`, home, { title: `School bag ${i}`, category: 'goods' });
    await make('heating', home, { title: 'Winter heating bill', description: '冬季取暖费 for an elderly resident', category: 'cash' });
    await make('soon', home, { title: 'Rice for a family', category: 'goods', deadline: new Date(clock().getTime() + 2 * DAY) });
    await make('draft', home, { title: 'A draft wheelchair', category: 'goods' }, false);
    await make('elsewhere', other, { title: 'Riverside school bag', category: 'goods' });
    // Two days on, "soon" is past its deadline; one of the bags is claimed.
    await services.wishes.execute(ids.plain0!, { type: 'claim', donor: { donorId: 'donor-5001', displayName: 'Harbour Bakery' } }, donor(5001));
    clock.advance(3 * DAY);
  });

  const list = (query: Record<string, string | number>, headers = auth) => request(app).get('/api/v1/wishes').query(query).set(headers);
  const codes = (res: request.Response) => res.body.items.map((w: { id: string }) => w.id);

  it('pages through every wish exactly once, newest first, with nextCursor absent on the last page', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await list({ communityId: home, limit: 3, ...(cursor ? { cursor } : {}) });
      expect(res.status).toBe(200);
      seen.push(...codes(res));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    const all = codes(await list({ communityId: home, limit: 200 }));
    expect(seen).toEqual(all);
    expect(new Set(seen).size).toBe(10);
    expect(all).toEqual([...all].sort((a: string, b: string) => Number(b.slice(2)) - Number(a.slice(2))));
    expect(pages).toBe(4);
  });

  it('filters by category, status, words in the title or description (any case, Chinese too) and overdue', async () => {
    expect(codes(await list({ communityId: home, category: 'cash' }))).toEqual([ids.heating]);
    expect(codes(await list({ communityId: home, status: 'draft' }))).toEqual([ids.draft]);
    expect(codes(await list({ communityId: home, status: 'fully_pledged' }))).toEqual([ids.plain0]);
    expect(codes(await list({ q: 'HEATING' }))).toEqual([ids.heating]);
    expect(codes(await list({ q: '取暖' }))).toEqual([ids.heating]);
    expect(codes(await list({ q: 'school bag' })).sort()).toEqual([ids.elsewhere, ...[0, 1, 2, 3, 4, 5, 6].map((i) => ids[`plain${i}`])].sort());
    expect(codes(await list({ q: '.*' }))).toEqual([]);
    expect(codes(await list({ q: 'bag (' }))).toEqual([]);
    expect(codes(await list({ overdue: 'true' }))).toEqual([ids.soon]);
    expect(codes(await list({ overdue: 'true', status: 'draft' }))).toEqual([]);
  });

  it('names a bad cursor, limit or filter in a 400', async () => {
    for (const [query, field] of [
      [{ cursor: 'bm9wZQ' }, 'cursor'],
      [{ limit: 0 }, 'limit'],
      [{ limit: 201 }, 'limit'],
      [{ category: 'money' }, 'category'],
      [{ overdue: 'yes' }, 'overdue'],
      [{ status: 'open,lost' }, 'status'],
    ] as const) {
      const res = await list(query);
      expect([res.status, res.body.error.details.fields[0].field]).toEqual([400, field]);
    }
  });

  it("shows a worker only its own communities: another's community is a 404, as is another's wish", async () => {
    const token = 'list-worker-token-0123456789';
    await db.models.ApiToken.create({ _id: hashToken(token), role: 'worker', communityIds: [home], label: 'Worker Wang', createdAt: clock() });
    const worker = { Authorization: `Bearer ${token}` };
    const mine = codes(await list({ limit: 200 }, worker));
    expect(mine).toHaveLength(10);
    expect(mine).not.toContain(ids.elsewhere);
    const elsewhere = await list({ communityId: other }, worker);
    expect([elsewhere.status, elsewhere.body.error.code]).toEqual([404, 'community_not_found']);
    const wish = await request(app).get(`/api/v1/wishes/${ids.elsewhere}`).set(worker);
    expect([wish.status, wish.body.error.code]).toEqual([404, 'wish_not_found']);
  });
});
