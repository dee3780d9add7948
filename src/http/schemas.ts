import { z } from 'zod';
import { DONOR_TYPES } from '../domain/people';
import { CATEGORIES, PLEDGE_STATUSES, URGENCIES, WISH_STATUSES } from '../domain/wish/types';

// What the API answers, as zod schemas: the DTOs in dto.ts are typed by them (so they cannot drift),
// and the OpenAPI document describes them (src/http/openapi.ts).

const isoTime = z.string().describe('ISO 8601 date-time, UTC');

export const communitySchema = z.object({
  id: z.string(),
  name: z.string(),
  linkCode: z.string().describe('What a group admin sends with /link to attach a group to this community'),
  createdAt: isoTime,
});

export const pledgeSchema = z.object({
  id: z.string().describe('`<wishId>:<seq>` of the event that made it'),
  donorId: z.string(),
  displayName: z.string().optional(),
  anonymous: z.boolean(),
  amount: z.number().describe('Currency units for cash, items or visits otherwise'),
  status: z.enum(PLEDGE_STATUSES),
  pledgedAt: isoTime.optional(),
  deliveredAt: isoTime.optional(),
  confirmedAt: isoTime.optional(),
  closedAt: isoTime.optional(),
});

export const wishSchema = z.object({
  id: z.string().describe('The wish code, such as W-1042'),
  code: z.string(),
  communityId: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.enum(CATEGORIES),
  target: z.number(),
  unit: z.string().optional(),
  pledged: z.number(),
  remaining: z.number(),
  deadline: isoTime.optional(),
  urgency: z.enum(URGENCIES),
  areaId: z.string().optional().describe("Where the resident is, in the community's area tree"),
  skill: z.string().optional().describe('For a service: the skill it needs'),
  status: z.enum(WISH_STATUSES),
  beneficiary: z.object({
    alias: z.string().describe('The only thing a group ever sees'),
    notes: z.string().optional().describe('Private: staff only'),
    contact: z.string().optional().describe('Private: staff only'),
    name: z.string().optional().describe('Private: staff only'),
  }),
  pledges: z.array(pledgeSchema),
  consent: z
    .object({
      required: z.boolean().describe('A resident follows it: the groups see it only with their yes'),
      publish: z.enum(['given', 'changes', 'private', 'withdrawn']).optional().describe("The resident's latest answer about publishing"),
      via: z.enum(['resident', 'in_person']).optional(),
      asked: z.boolean().describe('The resident has been shown the card and not answered yet'),
      redacted: z.boolean().describe('Published, but the groups see only its title and progress (kept private, withdrawn, or the resident erased)'),
    })
    .describe("What the resident agreed to about publishing"),
  createdAt: isoTime.optional(),
  publishedAt: isoTime.optional(),
  closedAt: isoTime.optional(),
  updatedAt: isoTime.optional(),
  version: z.number().int(),
});

export const wishEventSchema = z
  .object({
    id: z.string().describe('`<wishId>:<seq>`'),
    wishId: z.string(),
    seq: z.number().int(),
    type: z.enum(['created', 'published', 'pledged', 'withdrawn', 'released', 'delivered', 'confirmed', 'edited', 'cancelled', 'expired', 'message', 'resident_linked', 'consent_asked', 'consent', 'resident_erased']),
    at: isoTime,
    actor: z.object({ kind: z.string(), id: z.string(), name: z.string().optional() }),
  })
  .catchall(z.unknown())
  .describe('One event of the wish\'s history; the fields besides these depend on its type');

export const donorSchema = z
  .object({
    id: z.string().describe('The donor id (`tg:<telegram id>`) for staff; the public id for auditors. Either names the donor in /donors/{id}/pledges'),
    publicId: z.string().describe('A stable id that does not reveal the Telegram account: what auditors and exported files see'),
    displayName: z.string().optional().describe('The donor\'s public name; withheld from auditors when the donor chose anonymity'),
    anonymous: z.boolean(),
    type: z.enum(DONOR_TYPES).optional(),
    telegramId: z.number().int().optional().describe('Staff only'),
    username: z.string().optional().describe('Staff only'),
    pledges: z.object({ ...Object.fromEntries(PLEDGE_STATUSES.map((s) => [s, z.number().int()])), total: z.number().int() }).describe('How many of their pledges are in each state'),
    fulfilled: z
      .object({ count: z.number().int(), cash: z.number(), goods: z.number(), service: z.number() })
      .describe('Confirmed pledges: how many, and the currency units, items and visits they came to'),
    lastPledgedAt: isoTime.optional(),
  })
  .describe('A donor and what they did in the communities this token reads');

export const donorPledgeSchema = z.object({
  id: z.string().describe('The pledge\'s id, such as W-1001:3'),
  wishId: z.string(),
  wishCode: z.string(),
  wishTitle: z.string(),
  wishStatus: z.enum(WISH_STATUSES),
  communityId: z.string(),
  category: z.enum(CATEGORIES),
  unit: z.string().optional(),
  amount: z.number().describe('Currency units for cash, items or visits otherwise'),
  status: z.enum(PLEDGE_STATUSES),
  pledgedAt: isoTime,
  deliveredAt: isoTime.optional(),
  confirmedAt: isoTime.optional(),
  closedAt: isoTime.optional(),
});

export const groupSchema = z.object({
  id: z.string().optional().describe('The Telegram chat id; staff only'),
  title: z.string(),
  language: z.enum(['en', 'zh']).optional().describe('Absent: the service\'s default language'),
  linkedAt: isoTime.optional(),
});

export const workerSchema = z.object({
  name: z.string().describe('Their Telegram name, as last seen'),
  telegramId: z.number().int().optional().describe('Staff only'),
  username: z.string().optional().describe('Staff only'),
});

export type DonorDto = z.output<typeof donorSchema>;
export type DonorPledgeDto = z.output<typeof donorPledgeSchema>;
export type GroupDto = z.output<typeof groupSchema>;
export type WorkerDto = z.output<typeof workerSchema>;

/** A page of a list: `nextCursor` fetches the next, absent on the last page. */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().optional().describe('Pass as `cursor` for the next page; absent on the last one') });
}

export const listOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

export const residentLinkSchema = z.object({ url: z.string().describe('A one-time t.me deep link for the resident'), expiresAt: isoTime });

export type CommunityDto = z.output<typeof communitySchema>;
export type WishDto = z.output<typeof wishSchema>;

// --- API tokens (src/http/routes/tokens.ts): the secret is in the answer to POST only; a list never has it, nor its hash.

const tokenFields = {
  id: z.string().describe('The token\'s public id (`tok_…`): what DELETE /tokens/{id} takes'),
  role: z.enum(['admin', 'worker', 'auditor']).describe('worker: acts in its communities; auditor: only reads them'),
  communityIds: z.array(z.string()),
  label: z.string(),
  telegramId: z.number().int().optional().describe('The Telegram user it was issued to'),
  createdAt: isoTime,
};

export const issuedTokenSchema = z.object({
  ...tokenFields,
  token: z.string().describe('The secret, for `Authorization: Bearer …`: shown this once, never again'),
});

export const tokenSchema = z.object({
  ...tokenFields,
  createdBy: z.string().describe('Who issued it (an actor id)'),
  via: z.enum(['api', 'bot']).optional().describe('bot: a worker\'s own token from /token'),
  revokedAt: isoTime.optional().describe('Set once revoked: the token answers 401'),
});

export type IssuedTokenDto = z.output<typeof issuedTokenSchema>;
export type TokenDto = z.output<typeof tokenSchema>;
