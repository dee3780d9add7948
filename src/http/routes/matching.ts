import { z } from 'zod';
import { InvitationService } from '../../domain/resources/invitations';
import { MatchService } from '../../domain/resources/match-service';
import { WishService } from '../../domain/wish/service';
import { communitiesToRead } from '../../domain/roles';
import { defineRoute, RouteSpec } from '../api-spec';
import { listOf } from '../schemas';
import { wishLookup } from './wishes';

export interface MatchingRouteDeps {
  wishes: WishService;
  matching: MatchService;
  invitations: InvitationService;
}

const idParams = z.strictObject({ id: z.string().min(1).describe('The wish code, such as W-1042') });

const matchSchema = z.object({
  resourceId: z.string(),
  name: z.string(),
  kind: z.string(),
  score: z.number().describe('Higher is a better fit; only the order matters'),
  reasons: z.array(z.object({ code: z.string() }).catchall(z.unknown())).describe('Why: offers_category, offers_skill, area_contains, area_neighbours, area_elsewhere, available_before_deadline, not_available_before_deadline, capacity_left, no_capacity_left, fulfilled_rate, new_to_the_directory, not_asked_recently, asked_recently'),
});

const invitationSchema = z.object({
  resourceId: z.string(),
  askedAt: z.string(),
  askedBy: z.string(),
  answer: z.enum(['can', 'cant', 'not_now']).optional(),
  outcome: z.enum(['took', 'taken']).optional(),
  answeredAt: z.string().optional(),
});

const restingSchema = z.object({ resourceId: z.string(), name: z.string(), kind: z.string(), lastAskedAt: z.string().optional().describe('Absent: never asked') });

const inviteBody = z.strictObject({ resourceIds: z.array(z.string().min(1).max(64)).describe('Up to 10 resources of the wish\'s community to ask privately') });
const invitedSchema = z.object({
  invited: z.array(z.string()).describe('Resources sent the card privately'),
  skipped: z.array(z.object({ resourceId: z.string(), reason: z.string().describe('already_asked, not_approved, no_telegram or not_found') })),
});

/** Matching a wish to the directory, and asking a few resources quietly. */
export function matchingRoutes(deps: MatchingRouteDeps): RouteSpec[] {
  const { wishIdOf, visible } = wishLookup(deps.wishes);
  return [
    defineRoute({
      method: 'get',
      path: '/wishes/:id/matches',
      operationId: 'wishMatches',
      summary: 'Resources of the directory most likely to meet this wish, best first, each with its reasons',
      tag: 'resources',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'The suggestions', schema: listOf(matchSchema) } },
      errors: [404],
      handler: async ({ params, actor }) => {
        await visible(params.id, actor);
        return { items: (await deps.matching.matchesFor(wishIdOf(params.id), actor)).matches };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/wishes/:id/invitations',
      operationId: 'wishInvitations',
      summary: 'Who was asked privately about this wish, and their answers',
      tag: 'resources',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'Its invitations, oldest first', schema: listOf(invitationSchema) } },
      errors: [404],
      handler: async ({ params, actor }) => {
        const wish = await visible(params.id, actor);
        const items = (await deps.invitations.ofWish(wish.id)).map((i) => ({
          resourceId: i.resourceId,
          askedAt: i.askedAt.toISOString(),
          askedBy: i.askedBy,
          ...(i.reply ? { answer: i.reply.answer, ...(i.reply.outcome ? { outcome: i.reply.outcome } : {}), answeredAt: i.reply.at.toISOString() } : {}),
        }));
        return { items };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/communities/:id/resting-resources',
      operationId: 'restingResources',
      summary: 'Approved resources not asked for a while (or never), longest first: people to keep in touch with',
      tag: 'resources',
      access: 'read',
      params: z.strictObject({ id: z.string().min(1).max(64) }),
      query: z.strictObject({ days: z.coerce.number().int().min(1).max(365).default(30).describe('Not asked for this many days or more (default 30)') }),
      responses: { 200: { description: 'The resources, with when each was last asked', schema: listOf(restingSchema) } },
      errors: [404],
      handler: async ({ params, query, actor }) => {
        communitiesToRead(actor, params.id);
        const items = (await deps.matching.resting(params.id, query.days)).map(({ resource, lastAskedAt }) => ({
          resourceId: resource.id,
          name: resource.name,
          kind: resource.kind,
          ...(lastAskedAt ? { lastAskedAt: lastAskedAt.toISOString() } : {}),
        }));
        return { items };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/wishes/:id/invitations',
      operationId: 'inviteResources',
      summary: 'Ask a few resources privately: each gets the card with Can / Can\'t / Not now; the first Can takes the wish',
      tag: 'resources',
      access: 'write',
      params: idParams,
      body: inviteBody,
      responses: { 201: { description: 'Who was asked, and who not and why', schema: invitedSchema } },
      errors: [403, 404, 409],
      handler: async ({ params, body, actor }) => {
        await visible(params.id, actor);
        const { invited, skipped } = await deps.invitations.invite(wishIdOf(params.id), body.resourceIds, actor);
        return { invited: invited.map((i) => i.invitation.resourceId), skipped };
      },
    }),
  ];
}
