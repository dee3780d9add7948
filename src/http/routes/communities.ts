import { z } from 'zod';
import { CommunityService } from '../../domain/community';
import { NotFoundError } from '../../domain/errors';
import { canSee } from '../../domain/roles';
import { defineRoute, RouteSpec } from '../api-spec';
import { communityDto } from '../dto';
import { communitySchema, listOf } from '../schemas';

const createCommunityBody = z.strictObject({
  name: z.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be a string') }).trim().min(2, 'must be at least 2 characters').max(80, 'must be at most 80 characters'),
});

const idParams = z.strictObject({ id: z.string().min(1) });

export function communityRoutes(deps: { communities: CommunityService }): RouteSpec[] {
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
  ];
}
