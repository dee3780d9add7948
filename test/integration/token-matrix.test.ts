import { createStockStore } from '../../src/db/stock-store';
import { createSurplusStore } from '../../src/db/surplus-store';
import { createStockService, StockService } from '../../src/domain/stock/service';
import { createSurplusService, SurplusService } from '../../src/domain/stock/surplus';
import { createTeamStore } from '../../src/db/team-store';
import { createTeamService, TeamService } from '../../src/domain/teams/service';
import { createResourceService, ResourceService } from '../../src/domain/resources/service';
import { createResourceStore } from '../../src/db/resource-store';
import request from 'supertest';
import type { Express } from 'express';
import { systemClock } from '../../src/domain/clock';
import { RouteSpec } from '../../src/http/api-spec';
import { createBotModels } from '../../src/db/bot-models';
import { createPersonStore } from '../../src/db/bot-stores';
import { apiRoutes } from '../../src/http/create-app';
import { Services } from '../../src/services';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, DAY, draftFor } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';
import { ROUTE_SAMPLES, SampleFixtures, Scope } from '../support/route-samples';

// Every API route against every kind of token: the status each must answer follows from the route's
// `access` and whose community it acts in. The routes are apiRoutes() itself, so a route added later is
// covered as soon as it exists (and fails here until test/support/route-samples.ts has a sample for it).

/** The routes as declared; their deps are only closed over, so stubs list them. */
const ROUTES: RouteSpec[] = apiRoutes({ timezone: 'Asia/Shanghai', clock: systemClock, botUsername: () => 'x' } as unknown as Parameters<typeof apiRoutes>[0]);

type Who = 'admin' | 'worker' | 'auditor' | 'revoked' | 'none' | 'garbage';
interface Case {
  who: Who;
  scope: Scope;
}

function casesFor(route: RouteSpec): Case[] {
  const scoped = ROUTE_SAMPLES[route.operationId]?.scoped ?? false;
  return [
    { who: 'admin', scope: 'own' },
    { who: 'worker', scope: 'own' },
    ...(scoped ? [{ who: 'worker' as const, scope: 'other' as const }] : []),
    { who: 'auditor', scope: 'own' },
    ...(scoped ? [{ who: 'auditor' as const, scope: 'other' as const }] : []),
    { who: 'revoked', scope: 'own' },
    { who: 'none', scope: 'own' },
    { who: 'garbage', scope: 'own' },
  ];
}

/** What the route must answer: no usable token 401; a role the route's access excludes 403; another community's 404; else its success. */
function expectedStatus(route: RouteSpec, { who, scope }: Case): number {
  if (who === 'none' || who === 'garbage' || who === 'revoked') return 401;
  const success = Number(Object.keys(route.responses)[0]);
  if (who === 'admin') return success;
  if (route.access === 'admin') return 403;
  if (route.access === 'write' && who === 'auditor') return 403;
  if (scope === 'other') return 404;
  return success;
}

describe('the token matrix: every route, every kind of token', () => {
  const db = useTestDatabase();
  let app: Express;
  let services: Services;
  let resources: ResourceService;
  const secrets: Partial<Record<Who, string>> = {};
  const community: Record<Scope, string> = { own: '', other: '' };
  let fx: SampleFixtures;
  let teams: TeamService;
  let stock: StockService;
  let surplus: SurplusService;

  beforeAll(async () => {
    services = buildServices(db, systemClock, ADMIN_TOKEN);
    resources = createResourceService({ store: createResourceStore(db.models), clock: systemClock });
    stock = createStockService({ store: createStockStore(db.models), clock: systemClock });
    surplus = createSurplusService({ store: createSurplusStore(db.models), stock, clock: systemClock });
    teams = createTeamService({ store: createTeamStore(db.models), clock: systemClock, areasOf: resources.areasOf });
    app = buildApp(db, services, { app: { rateLimit: { limit: 0 } } });
    const people = createPersonStore(createBotModels(db.conn));
    const asAdmin = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    community.own = (await services.communities.create({ name: 'Harbour Street' }, admin)).id;
    community.other = (await services.communities.create({ name: 'Hill Road' }, admin)).id;
    // Issued as an admin would, over the API.
    const issue = async (role: 'worker' | 'auditor', label: string) => {
      const res = await request(app).post('/api/v1/tokens').set(asAdmin).send({ role, communityIds: [community.own], label });
      expect(res.status).toBe(201);
      return res.body as { id: string; token: string };
    };
    secrets.admin = ADMIN_TOKEN;
    secrets.worker = (await issue('worker', 'Wang')).token;
    secrets.auditor = (await issue('auditor', 'Committee')).token;
    const revoked = await issue('worker', 'Former worker');
    expect((await request(app).delete(`/api/v1/tokens/${revoked.id}`).set(asAdmin)).status).toBe(204);
    secrets.revoked = revoked.token;
    secrets.garbage = 'mw_this-is-no-token-anyone-issued';

    const create = async (scope: Scope, publish: boolean, category: 'goods' | 'cash' = 'goods') =>
      (await services.wishes.create(draftFor(community[scope], { category, target: category === 'cash' ? 300 : 1 }, new Date()), admin, { publish })).state.id;
    fx = {
      communityId: (scope) => community[scope],
      draft: (scope) => create(scope, false),
      open: (scope) => create(scope, true),
      area: async (scope) => (await resources.addArea(community[scope], { name: `Area ${Math.random().toString(36).slice(2, 8)}`, level: 'building' }, admin)).id,
      async resource(scope, state = 'approved') {
        const areaId = (await resources.addArea(community[scope], { name: `Area ${Math.random().toString(36).slice(2, 8)}`, level: 'building' }, admin)).id;
        const base = { communityId: community[scope], kind: 'business' as const, name: 'Corner Grocer', offer: { categories: ['goods'] }, areaIds: [areaId] };
        if (state === 'proposed') return (await resources.create({ ...base, telegramId: 90_100 }, { kind: 'donor', id: 'tg:90100', telegramId: 90_100 })).resource.id;
        const { resource } = await resources.create({ ...base, telegramId: 90_101 }, admin);
        if (state === 'paused') await resources.move(resource.id, 'paused', admin);
        return resource.id;
      },
      stockItem: async (scope) => (await stock.receive({ communityId: community[scope], name: `Masks ${Math.random().toString(36).slice(2, 8)}`, quantity: 50, from: { name: 'Harbour Realty' } }, admin)).state.itemId,
      async surplusOffer(scope) {
        const itemId = (await stock.receive({ communityId: community[scope], name: `Fans ${Math.random().toString(36).slice(2, 8)}`, quantity: 10, from: { name: 'Harbour Association' } }, admin)).state.itemId;
        return (await surplus.create({ itemId, quantity: 5, cap: 1, chatId: -100_778, where: 'Centre', when: 'Friday' }, admin)).id;
      },
      team: async (scope) => {
        const areaId = (await resources.addArea(community[scope], { name: `Area ${Math.random().toString(36).slice(2, 8)}`, level: 'building' }, admin)).id;
        return (await teams.createTeam({ communityId: community[scope], name: 'Haircut team', skill: 'haircut', leadTelegramId: 90_200, leadName: 'Li', areaIds: [areaId] }, admin)).id;
      },
      async linkedDraft(scope) {
        const wishId = await create(scope, false);
        await services.wishes.execute(wishId, { type: 'link_resident', residentId: `tg:${70_000 + Number(wishId.slice(2))}` }, admin);
        return wishId;
      },
      async resident(scope) {
        const wishId = await create(scope, true);
        const telegramId = 80_000 + Number(wishId.slice(2));
        await people.seen({ telegramId, name: `Resident ${telegramId}` }, new Date());
        await people.addResidentWish(telegramId, wishId, new Date());
        return telegramId;
      },
      async pledged(scope) {
        const wishId = await create(scope, true, 'cash');
        const donor = { kind: 'donor' as const, id: 'tg:90001', name: 'Donor' };
        const { state } = await services.wishes.execute(wishId, { type: 'pledge', donor: { donorId: donor.id, displayName: 'Donor', anonymous: false }, amount: 50 }, donor);
        return { wishId, pledgeId: state.pledges[0]!.id };
      },
      async tokenId() {
        return (await services.tokens.issue({ role: 'worker', communityIds: [community.own], label: 'To revoke' }, admin)).record.id;
      },
      futureDate: () => new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10),
    };
  });

  it('lists the routes it covers, and has a sample request for each (named when missing)', () => {
    expect(ROUTES.length).toBeGreaterThanOrEqual(15);
    const missing = ROUTES.map((r) => r.operationId).filter((id) => !ROUTE_SAMPLES[id]);
    expect(missing.length === 0 ? 'every route has a sample' : `no sample in test/support/route-samples.ts for: ${missing.join(', ')}`).toBe('every route has a sample');
  });

  describe.each(ROUTES.map((r) => [`${r.method.toUpperCase()} ${r.path} (${r.operationId}, ${r.access})`, r] as const))('%s', (_name, route) => {
    it.each(casesFor(route).map((c) => [`${c.who === 'none' ? 'no' : c.who} token${c.scope === 'other' ? " on another community's" : ''} -> ${expectedStatus(route, c)}`, c] as const))('%s', async (_label, c) => {
      const sample = ROUTE_SAMPLES[route.operationId];
      if (!sample) throw new Error(`no sample request for ${route.operationId}: add one to test/support/route-samples.ts`);
      const req = await sample.make(fx, c.scope);
      // The sample must hit this route, not another one.
      const pattern = new RegExp(`^${route.path.replace(/:[a-zA-Z]+/g, '[^/]+')}$`);
      expect([req.method, pattern.test(req.path)]).toEqual([route.method, true]);

      let call = request(app)[req.method](`/api/v1${req.path}`);
      if (req.query) call = call.query(req.query);
      const secret = secrets[c.who];
      if (secret) call = call.set('Authorization', `Bearer ${secret}`);
      const res = req.body === undefined ? await call : await call.send(req.body as object);
      const expected = expectedStatus(route, c);
      expect({ status: res.status, body: res.status === expected ? undefined : res.body }).toEqual({ status: expected, body: undefined });
      if (expected === 401) expect(res.body.error.code).toBe('unauthenticated');
      if (c.who === 'revoked') expect(res.body.error.message).toBe('This token was revoked');
    });
  });
});
