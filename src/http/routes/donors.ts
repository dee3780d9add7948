import { z } from 'zod';
import { NotFoundError } from '../../domain/errors';
import { PersonStore } from '../../domain/people';
import { communitiesToRead, isStaff, visibleCommunities } from '../../domain/roles';
import { WishService } from '../../domain/wish/service';
import { defineRoute, RouteSpec } from '../api-spec';
import { cursorCodec, pageSize } from '../paging';
import { donorDto, donorPledgeDto } from '../dto';
import { communityDonor, communityDonors } from '../exports';
import { donorPledgeSchema, donorSchema, listOf, pageOf } from '../schemas';

// Donors: computed from the pledges on the wishes this token may read, so a worker sees who helped
// their communities and nothing of others'. Auditors never see a Telegram id or username.

/** Where the last page ended: its last donor's public id. */
const cursor = cursorCodec('p', /d-[A-Za-z0-9_-]{1,40}/, String);

const listQuery = z.strictObject({
  communityId: z.string().min(1).max(64).optional(),
  limit: pageSize,
  cursor: cursor.schema,
});

const donorParams = z.strictObject({ id: z.string().min(1).max(80).describe('A donor id (`tg:<telegram id>`, staff) or a public id (`d-…`)') });

export interface DonorRouteDeps {
  wishes: WishService;
  people?: Pick<PersonStore, 'many'>;
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
        const communityIds = communitiesToRead(actor, query.communityId);
        if (communityIds && communityIds.length === 0) return { items: [] };
        const all = await communityDonors(deps, communityIds);
        const after = query.cursor;
        const rest = after === undefined ? all : all.filter((d) => d.publicId > after);
        const page = rest.slice(0, query.limit);
        const staff = isStaff(actor);
        return { items: page.map((d) => donorDto(d, staff)), ...(rest.length > page.length ? { nextCursor: cursor.text(page[page.length - 1]!.publicId) } : {}) };
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
