import { z } from 'zod';
import { NotFoundError } from '../../domain/errors';
import { PersonStore } from '../../domain/people';
import { canSee, isStaff, visibleCommunities } from '../../domain/roles';
import { WishService } from '../../domain/wish/service';
import { Actor } from '../../domain/wish/types';
import { defineRoute, RouteSpec } from '../api-spec';
import { donorDto, donorPledgeDto } from '../dto';
import { communityDonor, communityDonors } from '../exports';
import { donorPledgeSchema, donorSchema, listOf, pageOf } from '../schemas';

// Donors: computed from the pledges on the wishes this token may read, so a worker sees who helped
// their communities and nothing of others'. Auditors never see a Telegram id or username.

/** A cursor is the public id the last page ended with, opaque to callers. */
const cursorText = (publicId: string) => Buffer.from(`p${publicId}`).toString('base64url');
function readCursor(raw: string): string | undefined {
  const m = /^p(d-[A-Za-z0-9_-]{1,40})$/.exec(Buffer.from(raw, 'base64url').toString('latin1'));
  return m ? m[1] : undefined;
}

const listQuery = z.strictObject({
  communityId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50).describe('Page size, 1 to 200 (default 50)'),
  cursor: z
    .string()
    .max(80)
    .refine((s) => readCursor(s) !== undefined, 'is not a cursor this API gave')
    .transform((s) => readCursor(s)!)
    .optional()
    .describe('The nextCursor of the previous page'),
});

const donorParams = z.strictObject({ id: z.string().min(1).max(80).describe('A donor id (`tg:<telegram id>`, staff) or a public id (`d-…`)') });

export interface DonorRouteDeps {
  wishes: WishService;
  people?: Pick<PersonStore, 'many'>;
}

function communitiesFor(actor: Actor, asked: string | undefined): string[] | undefined {
  if (asked && !canSee(actor, asked)) throw new NotFoundError('community_not_found', `No community ${asked}`);
  return asked ? [asked] : visibleCommunities(actor);
}

export function donorRoutes(deps: DonorRouteDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/donors',
      operationId: 'listDonors',
      summary: 'Donors who pledged on the wishes this token reads, with counts of their pledges and what was fulfilled',
      description: 'Ordered by public id. Fulfilled means confirmed as received. Auditors see public ids and no Telegram ids, usernames or names of anonymous donors.',
      tag: 'donors',
      access: 'read',
      query: listQuery,
      responses: { 200: { description: 'A page of donors', schema: pageOf(donorSchema) } },
      errors: [404],
      handler: async ({ query, actor }) => {
        const communityIds = communitiesFor(actor, query.communityId);
        if (communityIds && communityIds.length === 0) return { items: [] };
        const all = await communityDonors(deps, communityIds);
        const after = query.cursor;
        const rest = after === undefined ? all : all.filter((d) => d.publicId > after);
        const page = rest.slice(0, query.limit);
        const staff = isStaff(actor);
        return { items: page.map((d) => donorDto(d, staff)), ...(rest.length > page.length ? { nextCursor: cursorText(page[page.length - 1]!.publicId) } : {}) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/donors/:id/pledges',
      operationId: 'donorPledges',
      summary: 'One donor\'s pledges on the wishes this token reads, newest first',
      tag: 'donors',
      access: 'read',
      params: donorParams,
      responses: { 200: { description: 'Their pledges, with the wish each is on', schema: listOf(donorPledgeSchema) } },
      errors: [404],
      handler: async ({ params, actor }) => {
        // Auditors name donors by public id only: a Telegram-based id tells them nothing, not even that it exists.
        const found = await communityDonor(deps, visibleCommunities(actor), params.id, { publicOnly: !isStaff(actor) });
        if (!found) throw new NotFoundError('donor_not_found', `No donor ${params.id}`);
        return { items: found.pledges.map(donorPledgeDto) };
      },
    }),
  ];
}
