import { Request, Router } from 'express';
import { z } from 'zod';
import { BusyError, ForbiddenError, InvalidError, NotFoundError } from '../../domain/errors';
import { InviteService } from '../../domain/invites';
import { isStaffFor } from '../../domain/roles';
import { readIsoDeadline } from '../../domain/input';
import { normaliseWishId } from '../../domain/wish/code';
import { draftIssues } from '../../domain/wish/rules';
import { WishService } from '../../domain/wish/service';
import { CATEGORIES, URGENCIES, WISH_STATUSES, WishStatus } from '../../domain/wish/types';
import { Clock } from '../../domain/clock';
import { actorOf } from '../auth';
import { wishDto } from '../dto';
import { fieldIssues, parseInput } from '../validate';

// Shapes only: what each field's type is. What a field may say (lengths, no phone number in the
// alias, a deadline in the future) is the domain's rules, the same the bot's /newwish uses.

/** An ISO date (the end of that day where the community lives) or date-time, on a day the calendar has (read by the domain). */
const deadline = (timezone: string) =>
  z
    .string()
    .refine((s) => readIsoDeadline(s, timezone) !== undefined, { params: { code: 'not_a_date' } })
    .transform((s) => readIsoDeadline(s, timezone)!);

function createBody(timezone: string) {
  return z.strictObject({
    communityId: z.string(),
    title: z.string(),
    description: z.string(),
    category: z.enum(CATEGORIES),
    target: z.number(),
    unit: z.string().optional(),
    deadline: deadline(timezone),
    urgency: z.enum(URGENCIES).default('normal'),
    beneficiary: z.strictObject({ alias: z.string(), notes: z.string().optional(), contact: z.string().optional(), name: z.string().optional() }),
    workerTelegramId: z.number().int().positive().optional(),
    publish: z.boolean().optional(),
  });
}

function editBody(timezone: string) {
  return z.strictObject({
    title: z.string().optional(),
    description: z.string().optional(),
    deadline: deadline(timezone).optional(),
    urgency: z.enum(URGENCIES).optional(),
    beneficiary: z.strictObject({ alias: z.string() }).optional(),
  });
}

const listQuery = z.strictObject({
  status: z
    .string()
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .refine((xs) => xs.every((x) => (WISH_STATUSES as readonly string[]).includes(x)), { params: { code: 'not_a_choice' } })
    .transform((xs) => xs as WishStatus[])
    .optional(),
  communityId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

const cancelBody = z.strictObject({ reason: z.string().max(500).optional() });
const confirmBody = z.strictObject({
  pledgeId: z.string().refine((s) => /^W-\d{4,9}:\d{1,6}$/.test(s), 'must be a pledge id such as W-1001:3'),
  /** Staff saw it handed over directly: confirms a pledge that was never marked delivered. */
  handedOver: z.boolean().optional(),
});
const empty = z.strictObject({});

export interface WishRouteDeps {
  wishes: WishService;
  invites: InviteService;
  timezone: string;
  clock: Clock;
  /** The bot's @username once it has connected to Telegram, for deep links. */
  botUsername(): string | undefined;
}

export function wishRoutes(deps: WishRouteDeps): Router {
  const router = Router();
  const create = createBody(deps.timezone);
  const edit = editBody(deps.timezone);

  const wishIdParam = (raw: string) => {
    const id = normaliseWishId(raw);
    if (!id) throw new NotFoundError('wish_not_found', `No wish ${raw}`);
    return id;
  };

  router.post('/', async (req, res) => {
    const body = req.body ?? {};
    const parsed = create.safeParse(body, { reportInput: true });
    if (!parsed.success) {
      // Name every bad field at once: the shape's complaints, then the rules' about fields of the right shape.
      const shape = fieldIssues(parsed.error);
      const seen = new Set(shape.map((i) => i.field));
      const withDate = typeof body.deadline === 'string' ? { ...body, deadline: deadline(deps.timezone).safeParse(body.deadline).data } : body;
      const rules = typeof body === 'object' && !Array.isArray(body) ? draftIssues(withDate, deps.clock()).filter((i) => !seen.has(i.field)) : [];
      throw InvalidError.fields([...shape, ...rules]);
    }
    const { publish, ...draft } = parsed.data;
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

  /** The wish, if this token may see it. */
  async function visible(req: Request<{ id: string }>) {
    const wish = await deps.wishes.get(wishIdParam(req.params.id));
    if (!isStaffFor(actorOf(req), wish.communityId)) throw new ForbiddenError('forbidden', 'This wish belongs to another community');
    return wish;
  }

  router.get('/:id', async (req, res) => {
    res.json(wishDto(await visible(req)));
  });

  router.patch('/:id', async (req, res) => {
    const { beneficiary, ...rest } = parseInput(edit, req.body ?? {});
    const { state } = await deps.wishes.edit(wishIdParam(req.params.id), { ...rest, ...(beneficiary ? { alias: beneficiary.alias } : {}) }, actorOf(req));
    res.json(wishDto(state));
  });

  router.post('/:id/publish', async (req, res) => {
    parseInput(empty, req.body ?? {});
    const { state } = await deps.wishes.publish(wishIdParam(req.params.id), actorOf(req));
    res.json(wishDto(state));
  });

  router.post('/:id/cancel', async (req, res) => {
    const { reason } = parseInput(cancelBody, req.body ?? {});
    const { state } = await deps.wishes.cancel(wishIdParam(req.params.id), actorOf(req), reason?.trim() || undefined);
    res.json(wishDto(state));
  });

  router.post('/:id/confirm', async (req, res) => {
    const { pledgeId, handedOver } = parseInput(confirmBody, req.body ?? {});
    const wishId = wishIdParam(req.params.id);
    if (!pledgeId.startsWith(`${wishId}:`)) throw new NotFoundError('pledge_not_found', `No pledge ${pledgeId} on ${wishId}`);
    const { state } = await deps.wishes.confirm(wishId, pledgeId, actorOf(req), { handedOver });
    res.json(wishDto(state));
  });

  router.post('/:id/resident-link', async (req, res) => {
    parseInput(empty, req.body ?? {});
    const wish = await visible(req);
    const username = deps.botUsername();
    if (!username) throw new BusyError('busy', 'The bot has not connected to Telegram yet; please try again in a minute');
    const invite = await deps.invites.linkResident(wish.id, actorOf(req));
    res.status(201).json({ url: `https://t.me/${username}?start=resident_${invite.token}`, expiresAt: invite.expiresAt.toISOString() });
  });

  router.get('/:id/events', async (req, res) => {
    const wish = await visible(req);
    res.json({ items: (await deps.wishes.history(wish.id)).map((e) => ({ ...e, at: e.at.toISOString() })) });
  });

  return router;
}
