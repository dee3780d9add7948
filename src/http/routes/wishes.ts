import { SKILLS } from '../../domain/resources/types';
import { ConsentFlow } from '../../domain/wish/consent-flow';
import { z } from 'zod';
import { BusyError, InvalidError, NotFoundError } from '../../domain/errors';
import { InviteService } from '../../domain/invites';
import { canSee, communitiesToRead } from '../../domain/roles';
import { readIsoDeadline } from '../../domain/input';
import { normaliseWishId } from '../../domain/wish/code';
import { draftIssues, issue } from '../../domain/wish/rules';
import { WishService } from '../../domain/wish/service';
import { Actor, CATEGORIES, LIVE_STATUSES, URGENCIES, WISH_STATUSES, WishStatus } from '../../domain/wish/types';
import { Clock } from '../../domain/clock';
import { defineRoute, RouteSpec } from '../api-spec';
import { wishDto, wishEventDto } from '../dto';
import { cursorCodec, pageSize } from '../paging';
import { pageOf, residentLinkSchema, wishEventSchema, wishSchema, listOf } from '../schemas';
import { fieldIssues } from '../validate';

// Shapes only: what each field's type is. What a field may say (lengths, no phone number in the
// alias, a deadline in the future) is the domain's rules, the same the bot's /newwish uses.

/** An ISO date (the end of that day where the community lives) or date-time, on a day the calendar has (read by the domain). */
const deadline = (timezone: string) =>
  z
    .string()
    .describe('ISO date (the end of that day in the service\'s time zone) or date-time')
    .refine((s) => readIsoDeadline(s, timezone) !== undefined, { params: { code: 'not_a_date' } })
    .transform((s) => readIsoDeadline(s, timezone)!);

function createBody(timezone: string) {
  return z.strictObject({
    communityId: z.string(),
    title: z.string(),
    description: z.string(),
    category: z.enum(CATEGORIES),
    target: z.number().describe('A positive whole number: items, currency units or visits'),
    unit: z.string().optional().describe('What goods or services are counted in ("bags"); none for cash'),
    deadline: deadline(timezone),
    urgency: z.enum(URGENCIES).default('normal'),
    beneficiary: z.strictObject({
      alias: z.string().describe('What groups see, such as "elderly resident, Building 3": no name, address or phone'),
      notes: z.string().optional(),
      contact: z.string().optional(),
      name: z.string().optional(),
    }),
    workerTelegramId: z.number().int().positive().optional().describe('The worker who follows the wish (else the token\'s owner)'),
    areaId: z.string().optional().describe("Where the resident is: an area of the community's tree, for matching"),
    skill: z.enum(SKILLS).optional().describe('For a service: the skill it needs, for matching'),
    publish: z.boolean().optional().describe('Publish to the community\'s groups at once'),
  });
}

/**
 * A new wish's input, as the API and the console both read it: the shape's complaints, then the
 * domain rules' about fields of the right shape, so one answer names every bad field (InvalidError).
 */
export function parseWishCreate(body: unknown, timezone: string, now: Date, schema = createBody(timezone)) {
  const parsed = schema.safeParse(body, { reportInput: true });
  if (parsed.success) return parsed.data;
  const shape = fieldIssues(parsed.error);
  const seen = new Set(shape.map((i) => i.field));
  const raw = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const withDate = typeof raw.deadline === 'string' ? { ...raw, deadline: deadline(timezone).safeParse(raw.deadline).data } : raw;
  const rules = body === raw ? draftIssues(withDate, now).filter((i) => !seen.has(i.field)) : [];
  throw InvalidError.fields([...shape, ...rules]);
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

/** Where the last page ended: its lowest wish code number. */
const cursor = cursorCodec('c', /\d{1,12}/, Number);

const listQuery = z.strictObject({
  status: z
    .string()
    .describe(`Comma-separated: ${WISH_STATUSES.join(', ')}`)
    .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
    .refine((xs) => xs.every((x) => (WISH_STATUSES as readonly string[]).includes(x)), { params: { code: 'not_a_choice' } })
    .transform((xs) => xs as WishStatus[])
    .optional(),
  category: z.enum(CATEGORIES).optional(),
  communityId: z.string().min(1).max(64).optional(),
  q: z.string().trim().min(1).max(100).optional().describe('Words in the title or description, any case'),
  overdue: z
    .enum(['true', 'false'])
    .transform((s) => s === 'true')
    .optional()
    .describe('true: only live wishes past their deadline'),
  limit: pageSize,
  cursor: cursor.schema,
});

const idParams = z.strictObject({ id: z.string().min(1).describe('The wish code, such as W-1042') });
const cancelBody = z.strictObject({ reason: z.string().max(500).optional() });
const confirmBody = z.strictObject({
  pledgeId: z.string().describe('The pledge\'s id, such as W-1001:3').refine((s) => /^W-\d{4,9}:\d{1,6}$/.test(s), 'must be a pledge id such as W-1001:3'),
  handedOver: z.boolean().optional().describe('Staff saw it handed over directly: confirms a pledge that was never marked delivered'),
});

export interface WishRouteDeps {
  wishes: WishService;
  consent?: ConsentFlow;
  invites: InviteService;
  timezone: string;
  clock: Clock;
  /** The bot's @username once it has connected to Telegram, for deep links. */
  botUsername(): string | undefined;
}

/** Reading a wish named in a path: its id, and the wish if this token may see it. */
export function wishLookup(wishes: WishService) {
  const wishIdOf = (raw: string) => {
    const id = normaliseWishId(raw);
    if (!id) throw new NotFoundError('wish_not_found', `No wish ${raw}`);
    return id;
  };

  /** The wish, if this token may see it: another community's wish is 404, as if it did not exist. */
  async function visible(raw: string, actor: Actor) {
    const wish = await wishes.get(wishIdOf(raw));
    if (!canSee(actor, wish.communityId)) throw new NotFoundError('wish_not_found', `No wish ${raw}`);
    return wish;
  }
  return { wishIdOf, visible };
}

export function wishRoutes(deps: WishRouteDeps): RouteSpec[] {
  const create = createBody(deps.timezone);
  const edit = editBody(deps.timezone);
  const { wishIdOf, visible } = wishLookup(deps.wishes);

  const parseCreate = (body: unknown) => parseWishCreate(body, deps.timezone, deps.clock(), create);

  return [
    defineRoute({
      method: 'post',
      path: '/wishes',
      operationId: 'createWish',
      summary: 'Create a wish (a draft, or published with publish: true)',
      tag: 'wishes',
      access: 'write',
      body: create,
      parseBody: parseCreate,
      responses: { 201: { description: 'The wish; Location names it', schema: wishSchema } },
      errors: [403, 404],
      handler: async ({ body, actor, req, res }) => {
        // A community the token does not serve is as good as absent (404), as for its wishes.
        if (!canSee(actor, body.communityId)) throw new NotFoundError('community_not_found', `No community ${body.communityId}`);
        const { publish, ...draft } = body;
        const { state } = await deps.wishes.create(draft, actor, { publish });
        res.location(`${req.baseUrl}/wishes/${state.id}`);
        return wishDto(state, actor);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/wishes',
      operationId: 'listWishes',
      summary: 'List wishes, newest first, a page at a time',
      tag: 'wishes',
      access: 'read',
      query: listQuery,
      responses: { 200: { description: 'A page of wishes', schema: pageOf(wishSchema) } },
      errors: [404],
      handler: async ({ query, actor }) => {
        const now = deps.clock();
        let status = query.status;
        if (query.overdue) status = (status ?? [...LIVE_STATUSES]).filter((s) => LIVE_STATUSES.includes(s));
        if (status && status.length === 0) return { items: [] };
        const page = await deps.wishes.listPage({
          status,
          communityIds: communitiesToRead(actor, query.communityId),
          category: query.category,
          text: query.q,
          ...(query.overdue ? { deadlineBefore: now } : {}),
          codeBelow: query.cursor,
          limit: query.limit,
        });
        const last = page.lowestCodeNumber;
        return { items: page.items.map((w) => wishDto(w, actor)), ...(page.full && last !== undefined ? { nextCursor: cursor.text(last) } : {}) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/wishes/:id',
      operationId: 'getWish',
      summary: 'One wish, with its pledges and the beneficiary\'s private details',
      tag: 'wishes',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'The wish', schema: wishSchema } },
      errors: [404],
      handler: async ({ params, actor }) => wishDto(await visible(params.id, actor), actor),
    }),
    defineRoute({
      method: 'patch',
      path: '/wishes/:id',
      operationId: 'editWish',
      summary: 'Edit a wish: title, description, deadline, urgency, the public alias; live cards follow',
      tag: 'wishes',
      access: 'write',
      params: idParams,
      body: edit,
      responses: { 200: { description: 'The wish as edited', schema: wishSchema } },
      errors: [403, 404, 409],
      handler: async ({ params, body, actor }) => {
        const { beneficiary, ...rest } = body;
        const changes = { ...rest, ...(beneficiary ? { alias: beneficiary.alias } : {}) };
        if (Object.keys(changes).length === 0) throw InvalidError.fields([issue('(body)', 'required')]);
        await visible(params.id, actor);
        // A draft its resident follows is shown to them again as edited: what they agree to is what goes out.
        const { state } = deps.consent ? await deps.consent.edit(wishIdOf(params.id), changes, actor) : await deps.wishes.edit(wishIdOf(params.id), changes, actor);
        return wishDto(state, actor);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/wishes/:id/publish',
      operationId: 'publishWish',
      summary: 'Publish a draft to the community\'s groups',
      tag: 'wishes',
      access: 'write',
      params: idParams,
      responses: { 200: { description: 'The wish, open', schema: wishSchema } },
      errors: [403, 404, 409],
      handler: async ({ params, actor }) => {
        await visible(params.id, actor);
        return wishDto((await deps.wishes.publish(wishIdOf(params.id), actor)).state, actor);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/wishes/:id/cancel',
      operationId: 'cancelWish',
      summary: 'Cancel a wish; its donors and resident are told',
      tag: 'wishes',
      access: 'write',
      params: idParams,
      body: cancelBody,
      responses: { 200: { description: 'The wish, cancelled', schema: wishSchema } },
      errors: [403, 404, 409],
      handler: async ({ params, body, actor }) => {
        await visible(params.id, actor);
        return wishDto((await deps.wishes.cancel(wishIdOf(params.id), actor, body.reason?.trim() || undefined)).state, actor);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/wishes/:id/confirm',
      operationId: 'confirmDelivery',
      summary: 'Confirm that a pledge was received',
      tag: 'wishes',
      access: 'write',
      params: idParams,
      body: confirmBody,
      responses: { 200: { description: 'The wish after the confirmation', schema: wishSchema } },
      errors: [403, 404, 409],
      handler: async ({ params, body, actor }) => {
        const wish = await visible(params.id, actor);
        if (!body.pledgeId.startsWith(`${wish.id}:`)) throw new NotFoundError('pledge_not_found', `No pledge ${body.pledgeId} on ${wish.id}`);
        return wishDto((await deps.wishes.confirm(wish.id, body.pledgeId, actor, { handedOver: body.handedOver })).state, actor);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/wishes/:id/resident-link',
      operationId: 'residentLink',
      summary: 'A one-time deep link that links the resident to the wish',
      tag: 'wishes',
      access: 'write',
      params: idParams,
      responses: { 201: { description: 'The link', schema: residentLinkSchema } },
      errors: [403, 404],
      handler: async ({ params, actor }) => {
        const wish = await visible(params.id, actor);
        const username = deps.botUsername();
        if (!username) throw new BusyError('busy', 'The bot has not connected to Telegram yet; please try again in a minute');
        const invite = await deps.invites.linkResident(wish.id, actor);
        return { url: `https://t.me/${username}?start=resident_${invite.token}`, expiresAt: invite.expiresAt.toISOString() };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/wishes/:id/events',
      operationId: 'wishHistory',
      summary: 'The wish\'s history: every event, oldest first',
      tag: 'wishes',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'Its events', schema: listOf(wishEventSchema) } },
      errors: [404],
      handler: async ({ params, actor }) => {
        const wish = await visible(params.id, actor);
        return { items: (await deps.wishes.history(wish.id)).map((e) => wishEventDto(e, actor)) };
      },
    }),
  ];
}
