import { z } from 'zod';
import { CommunityService } from '../../domain/community';
import { NotFoundError } from '../../domain/errors';
import { GroupStore } from '../../domain/groups';
import { PersonStore } from '../../domain/people';
import { canSee, isStaff } from '../../domain/roles';
import { Actor } from '../../domain/wish/types';
import { defineRoute, RouteSpec } from '../api-spec';
import { communityDto, groupDto, workerDto } from '../dto';
import { communitySchema, groupSchema, listOf, workerSchema } from '../schemas';

const createCommunityBody = z.strictObject({
  name: z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') }).trim().min(2, 'must be at least 2 characters').max(80, 'must be at most 80 characters'),
});

const idParams = z.strictObject({ id: z.string().min(1) });

export interface CommunityRouteDeps {
  communities: CommunityService;
  /** Without it, a community's groups list is empty. */
  groups?: Pick<GroupStore, 'ofCommunity'>;
  /** Without it, a community's workers list is empty. */
  people?: Pick<PersonStore, 'workersOf'>;
}

export function communityRoutes(deps: CommunityRouteDeps): RouteSpec[] {
  /** The community, if this token may read it: another community's is as good as absent (404). */
  async function readable(id: string, actor: Actor) {
    const community = canSee(actor, id) ? await deps.communities.get(id) : null;
    if (!community) throw new NotFoundError('community_not_found', `No community ${id}`);
    return community;
  }

  return [
    defineRoute({
      method: 'post',
      path: '/communities',
      operationId: 'createCommunity',
      summary: 'Create a community; its link code attaches groups to it',
      tag: 'communities',
      access: 'admin',
      body: createCommunityBody,
      responses: { 201: { description: 'The community', schema: communitySchema } },
      errors: [403],
      handler: async ({ body, actor }) => communityDto(await deps.communities.create(body, actor)),
    }),
    defineRoute({
      method: 'get',
      path: '/communities',
      operationId: 'listCommunities',
      summary: 'The communities this token serves (all, for an admin)',
      tag: 'communities',
      access: 'read',
      responses: { 200: { description: 'Communities', schema: listOf(communitySchema) } },
      handler: async ({ actor }) => {
        const all = await deps.communities.list();
        return { items: all.filter((c) => canSee(actor, c.id)).map(communityDto) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/communities/:id',
      operationId: 'getCommunity',
      summary: 'One community',
      tag: 'communities',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'The community', schema: communitySchema } },
      errors: [404],
      handler: async ({ params, actor }) => {
        const community = await deps.communities.get(params.id);
        // Another community's is as good as absent: 404, so a worker cannot probe which ids exist.
        if (!community || !canSee(actor, community.id)) throw new NotFoundError('community_not_found', `No community ${params.id}`);
        return communityDto(community);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/communities/:id/groups',
      operationId: 'communityGroups',
      summary: 'The Telegram groups linked to a community (chat ids for staff only)',
      tag: 'communities',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'Its linked groups the bot is still in', schema: listOf(groupSchema) } },
      errors: [404],
      handler: async ({ params, actor }) => {
        const community = await readable(params.id, actor);
        const groups = (await deps.groups?.ofCommunity(community.id)) ?? [];
        const staff = isStaff(actor);
        return { items: groups.sort((a, b) => a.title.localeCompare(b.title)).map((g) => groupDto(g, staff)) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/communities/:id/workers',
      operationId: 'communityWorkers',
      summary: 'A community\'s workers (Telegram ids and usernames for staff only)',
      tag: 'communities',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'Its workers', schema: listOf(workerSchema) } },
      errors: [404],
      handler: async ({ params, actor }) => {
        const community = await readable(params.id, actor);
        const workers = (await deps.people?.workersOf(community.id)) ?? [];
        const staff = isStaff(actor);
        return { items: workers.sort((a, b) => a.name.localeCompare(b.name)).map((p) => workerDto(p, staff)) };
      },
    }),
  ];
}
