import request from 'supertest';
import { hashToken } from '../../src/domain/access';
import { donorIdOf } from '../../src/domain/people';
import { Actor } from '../../src/domain/wish/types';
import { useTestDatabase } from '../support/db';
import { admin, buildServices, draftFor, manualClock } from '../support/fixtures';
import { ADMIN_TOKEN, buildApp } from '../support/http';

// Issue 10: a worker pledged to their own community's wish, marked it delivered and confirmed it
// themselves; a confirmation fulfilled a wish whose pledge was never delivered. Over the API the
// same domain rules answer: own_pledge (403), not_delivered (409), and a hand-over seen by staff
// is a flag the history keeps, with who confirmed.

describe('POST /api/v1/wishes/:id/confirm', () => {
  const db = useTestDatabase();
  const clock = manualClock(new Date('2026-11-22T09:00:00Z'));
  let services: ReturnType<typeof buildServices>;
  const app = () => buildApp(db, services, { clock });
  const adminAuth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
  let communityId: string;
  // Worker 2002 uses the bot (actor id tg:2002) and holds an API token tied to the same Telegram account.
  const WORKER_TG = 2002;
  const workerAuth = { Authorization: 'Bearer worker-token-confirm-0123456789' };
  let worker: Actor;

  beforeAll(async () => {
    services = buildServices(db, clock, ADMIN_TOKEN);
    communityId = (await services.communities.create({ name: 'Harbour Street' }, admin)).id;
    await db.models.ApiToken.create({
      _id: hashToken('worker-token-confirm-0123456789'),
      role: 'worker',
      communityIds: [communityId],
      label: 'Worker Wang',
      telegramId: WORKER_TG,
      createdAt: clock(),
    });
    worker = { kind: 'worker', id: donorIdOf(WORKER_TG), telegramId: WORKER_TG, communityIds: [communityId] };
  });

  async function claimedBy(by: Actor, opts: { delivered: boolean }) {
    const { state } = await services.wishes.create(draftFor(communityId, { category: 'goods', target: 1 }, clock()), admin, { publish: true });
    const { event } = await services.wishes.execute(state.id, { type: 'claim', donor: { donorId: by.id } }, by);
    if (opts.delivered) await services.wishes.execute(state.id, { type: 'deliver', pledgeId: event!.id }, by);
    return { wishId: state.id, pledgeId: event!.id };
  }

  it('a worker cannot confirm the pledge they made themselves (403 own_pledge); another confirmer can', async () => {
    const { wishId, pledgeId } = await claimedBy(worker, { delivered: true });
    const own = await request(app()).post(`/api/v1/wishes/${wishId}/confirm`).set(workerAuth).send({ pledgeId });
    expect([own.status, own.body.error?.code]).toEqual([403, 'own_pledge']);
    // The bot's confirm button goes through the same service: refused the same way.
    await expect(services.wishes.confirm(wishId, pledgeId, worker)).rejects.toMatchObject({ code: 'own_pledge' });
    expect((await services.wishes.get(wishId)).status).toBe('fully_pledged');

    const byAdmin = await request(app()).post(`/api/v1/wishes/${wishId}/confirm`).set(adminAuth).send({ pledgeId });
    expect([byAdmin.status, byAdmin.body.status]).toEqual([200, 'fulfilled']);
  });

  it('a pledge never marked delivered is not confirmed (409 not_delivered), not even by the resident', async () => {
    const donor: Actor = { kind: 'donor', id: 'tg:7007' };
    const { wishId, pledgeId } = await claimedBy(donor, { delivered: false });
    const res = await request(app()).post(`/api/v1/wishes/${wishId}/confirm`).set(adminAuth).send({ pledgeId });
    expect([res.status, res.body.error?.code]).toEqual([409, 'not_delivered']);
    const resident: Actor = { kind: 'resident', id: 'tg:4004', wishIds: [wishId] };
    await expect(services.wishes.confirm(wishId, pledgeId, resident)).rejects.toMatchObject({ code: 'not_delivered' });
    await expect(services.wishes.confirm(wishId, pledgeId, resident, { handedOver: true })).rejects.toMatchObject({ code: 'forbidden' });
    expect((await services.wishes.get(wishId)).pledges[0]!.status).toBe('active');
  });

  it('staff record a direct hand-over with handedOver: true; the history shows it and who confirmed', async () => {
    const donor: Actor = { kind: 'donor', id: 'tg:7008' };
    const { wishId, pledgeId } = await claimedBy(donor, { delivered: false });
    const res = await request(app()).post(`/api/v1/wishes/${wishId}/confirm`).set(workerAuth).send({ pledgeId, handedOver: true });
    expect([res.status, res.body.status]).toEqual([200, 'fulfilled']);
    const history = await request(app()).get(`/api/v1/wishes/${wishId}/events`).set(adminAuth);
    const confirmed = history.body.items.find((e: { type: string }) => e.type === 'confirmed');
    expect(confirmed).toMatchObject({ pledgeId, handedOver: true, actor: { kind: 'worker', name: 'Worker Wang' } });
  });

  it('handedOver must be a boolean, named as the bad field', async () => {
    const { wishId, pledgeId } = await claimedBy({ kind: 'donor', id: 'tg:7009' }, { delivered: false });
    const res = await request(app()).post(`/api/v1/wishes/${wishId}/confirm`).set(adminAuth).send({ pledgeId, handedOver: 'yes' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('handedOver');
  });
});
