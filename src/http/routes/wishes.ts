import { Router } from 'express';
import { z } from 'zod';
import { ForbiddenError, NotFoundError } from '../../domain/errors';
import { endOfDay } from '../../domain/time';
import { normaliseWishId } from '../../domain/wish/code';
import { isStaffFor } from '../../domain/wish/decide';
import { WishService } from '../../domain/wish/service';
import { CATEGORIES, URGENCIES, WISH_STATUSES, WishStatus } from '../../domain/wish/types';
import { actorOf } from '../auth';
import { wishDto } from '../dto';
import { parseInput } from '../validate';

/** Missing and mistyped fields get different words. */
const expect = (what: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : what);

const text = (min: number, max: number) =>
  z
    .string({ error: expect('must be a string') })
    .trim()
    .min(min, min === 1 ? 'must not be empty' : `must be at least ${min} characters`)
    .max(max, `must be at most ${max} characters`);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** An alias is shown in public groups, so it must not carry a phone number. */
const looksLikePhone = (s: string) => /(\d[\s-]?){7,}/.test(s);

function wishBody(timezone: string) {
  return z.strictObject({
    communityId: text(1, 64),
    title: text(3, 80),
    description: text(1, 1000),
    category: z.enum(CATEGORIES, { error: expect(`must be one of ${CATEGORIES.join(', ')}`) }),
    target: z
      .number({ error: expect('must be a number') })
      .int('must be a whole number (items, currency units or visits)')
      .positive('must be greater than 0')
      .max(10_000_000, 'must be at most 10000000'),
    deadline: z
      .string({ error: expect('must be an ISO date such as 2026-12-12') })
      .refine((s) => (ISO_DATE.test(s) || ISO_DATETIME.test(s)) && !Number.isNaN(Date.parse(s)), 'must be an ISO date such as 2026-12-12')
      .transform((s) => (ISO_DATE.test(s) ? endOfDay(s, timezone) : new Date(s))),
    urgency: z.enum(URGENCIES, { error: `must be one of ${URGENCIES.join(', ')}` }).default('normal'),
    beneficiary: z.strictObject(
      {
        alias: text(2, 60).refine((s) => !looksLikePhone(s), 'is shown in public groups and must not contain a phone number'),
        notes: text(1, 1000).optional(),
        contact: text(1, 200).optional(),
      },
      { error: expect('must be an object with alias, and optionally notes and contact') },
    ),
    publish: z.boolean({ error: 'must be true or false' }).optional(),
  }, { error: 'must be a JSON object' });
}

const listQuery = z.strictObject({
  status: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .refine((xs) => xs.every((x) => (WISH_STATUSES as readonly string[]).includes(x)), `must be one or more of ${WISH_STATUSES.join(', ')}`)
    .transform((xs) => xs as WishStatus[])
    .optional(),
  communityId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

const cancelBody = z.strictObject({ reason: text(1, 500).optional() });

export function wishRoutes(deps: { wishes: WishService; timezone: string }): Router {
  const router = Router();
  const createBody = wishBody(deps.timezone);

  const wishIdParam = (raw: string) => {
    const id = normaliseWishId(raw);
    if (!id) throw new NotFoundError('wish_not_found', `No wish ${raw}`);
    return id;
  };

  router.post('/', async (req, res) => {
    const { publish, ...draft } = parseInput(createBody, req.body ?? {});
    const { state } = await deps.wishes.create(draft, actorOf(req), { publish });
    res.status(201).location(`${req.baseUrl}/${state.id}`).json(wishDto(state));
  });

  router.get('/', async (req, res) => {
    const actor = actorOf(req);
    const q = parseInput(listQuery, req.query);
    let communityIds = q.communityId ? [q.communityId] : undefined;
    if (actor.kind !== 'admin') {
      const mine = actor.communityIds ?? [];
      if (q.communityId && !mine.includes(q.communityId)) throw new ForbiddenError('forbidden', 'This community is not yours');
      communityIds ??= mine;
    }
    const items = await deps.wishes.list({ status: q.status, communityIds, limit: q.limit });
    res.json({ items: items.map(wishDto) });
  });

  router.get('/:id', async (req, res) => {
    const actor = actorOf(req);
    const wish = await deps.wishes.get(wishIdParam(req.params.id));
    if (!isStaffFor(actor, wish.communityId)) throw new ForbiddenError('forbidden', 'This wish belongs to another community');
    res.json(wishDto(wish));
  });

  router.post('/:id/publish', async (req, res) => {
    parseInput(z.strictObject({}), req.body ?? {});
    const { state } = await deps.wishes.publish(wishIdParam(req.params.id), actorOf(req));
    res.json(wishDto(state));
  });

  router.post('/:id/cancel', async (req, res) => {
    const { reason } = parseInput(cancelBody, req.body ?? {});
    const { state } = await deps.wishes.cancel(wishIdParam(req.params.id), actorOf(req), reason);
    res.json(wishDto(state));
  });

  return router;
}
