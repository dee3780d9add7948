import { z } from 'zod';
import { seesPrivateDetails } from '../../domain/roles';
import { TeamService } from '../../domain/teams/service';
import { ServiceRequest, SlotView, Team } from '../../domain/teams/types';
import { SKILLS } from '../../domain/resources/types';
import { Actor } from '../../domain/wish/types';
import { defineRoute, RouteSpec } from '../api-spec';
import { listOf } from '../schemas';

// Volunteer teams by skill and their service requests. Shapes only; what each field may say is the
// teams' rules (src/domain/teams/rules.ts), the same the bot and the jobs use.

const idParams = z.strictObject({ id: z.string().min(1).max(64) });
const isoInstant = z.string().describe('ISO date and time, e.g. 2026-12-05T10:00:00+08:00').refine((s) => !Number.isNaN(Date.parse(s)), { params: { code: 'not_a_date' } }).transform((s) => new Date(s));

const teamBody = z.strictObject({
  communityId: z.string().min(1).max(64),
  name: z.string(),
  skill: z.string().describe(`One of ${SKILLS.join(', ')}`),
  leadTelegramId: z.number().int().positive().describe("The lead's Telegram user id: they share the join link and confirm members' service"),
  leadName: z.string(),
  areaIds: z.array(z.string()).optional().describe("Areas of the community's tree it serves (at least one)"),
  chatId: z.number().int().negative().optional().describe("The team's group (the bot must be in it); or the lead sends /teamchat there"),
  chatTopicId: z.number().int().positive().optional().describe("A forum topic of that group, when the team has a topic rather than a group of its own (or the lead sends /teamchat in the topic)"),
});
const requestBody = z.strictObject({
  title: z.string(),
  description: z.string().optional(),
  wishId: z.string().max(20).optional(),
  slots: z
    .array(z.strictObject({ startsAt: isoInstant, minutes: z.number().int(), place: z.string().describe('"home" (the resident\'s home) or the place\'s name'), places: z.number().int() }))
    .describe('1 to 20 slots'),
});

const teamSchema = z.object({
  id: z.string(),
  communityId: z.string(),
  name: z.string(),
  skill: z.string(),
  leadName: z.string(),
  areaIds: z.array(z.string()),
  hasChat: z.boolean(),
  chatTopicId: z.number().optional().describe("The forum topic of the team's group its cards go to, if it has one"),
  resourceId: z.string().optional().describe('Its entry in the directory (kind team): matching suggests it for services of its skill'),
  joinLink: z.string().optional().describe("Staff only: the link members join with (the lead's /myteams shows it too)"),
  createdAt: z.string(),
});
const slotSchema = z.object({
  id: z.string(),
  startsAt: z.string(),
  minutes: z.number(),
  place: z.string(),
  places: z.number(),
  free: z.number(),
  signups: z.array(z.object({ name: z.string(), place: z.number(), status: z.enum(['signed_up', 'checked_in', 'done', 'confirmed', 'no_show']) })),
});
const requestSchema = z.object({ id: z.string(), teamId: z.string(), title: z.string(), description: z.string().optional(), wishId: z.string().optional(), createdAt: z.string(), slots: z.array(slotSchema) });
const hoursSchema = z.object({ teamId: z.string(), members: z.array(z.object({ name: z.string(), slots: z.number(), hours: z.number() })) });

export interface TeamRouteDeps {
  teams: { service: TeamService; postCard(requestId: string): Promise<void> };
  botUsername(): string | undefined;
}

export function teamRoutes(deps: TeamRouteDeps): RouteSpec[] {
  // Route listings (the OpenAPI document) are built without services: read them only when called.
  const service = deps.teams?.service as TeamService;
  const teamDto = (team: Team, reader: Actor) => {
    const username = deps.botUsername();
    return {
      id: team.id,
      communityId: team.communityId,
      name: team.name,
      skill: team.skill,
      leadName: team.leadName,
      areaIds: team.areaIds,
      hasChat: team.chatId !== undefined,
      ...(team.chatTopicId !== undefined ? { chatTopicId: team.chatTopicId } : {}),
      ...(team.resourceId ? { resourceId: team.resourceId } : {}),
      ...(seesPrivateDetails(reader) && username ? { joinLink: `https://t.me/${username}?start=team_${team.joinCode}` } : {}),
      createdAt: new Date(team.createdAt).toISOString(),
    };
  };
  const slotDto = (v: SlotView) => ({
    id: v.slot.id,
    startsAt: new Date(v.slot.startsAt).toISOString(),
    minutes: v.slot.minutes,
    place: v.slot.place,
    places: v.slot.places,
    free: v.free,
    signups: v.signups.map((s) => ({ name: s.name, place: s.place, status: s.status })),
  });
  const requestDto = (r: ServiceRequest, slots: SlotView[]) => ({
    id: r.id,
    teamId: r.teamId,
    title: r.title,
    ...(r.description ? { description: r.description } : {}),
    ...(r.wishId ? { wishId: r.wishId } : {}),
    createdAt: new Date(r.createdAt).toISOString(),
    slots: slots.map(slotDto),
  });

  return [
    defineRoute({
      method: 'get',
      path: '/teams',
      operationId: 'listTeams',
      summary: "A community's volunteer teams",
      tag: 'teams',
      access: 'read',
      query: z.strictObject({ communityId: z.string().min(1).max(64) }),
      responses: { 200: { description: 'Its teams, by name', schema: listOf(teamSchema) } },
      errors: [404],
      handler: async ({ query, actor }) => ({ items: (await service.teamsOf(query.communityId, actor)).map((t) => teamDto(t, actor)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams',
      operationId: 'createTeam',
      summary: 'Form a volunteer team by skill with its lead (the lead is its first member)',
      tag: 'teams',
      access: 'write',
      body: teamBody,
      responses: { 201: { description: 'The team, with the join link to give its lead', schema: teamSchema } },
      errors: [403, 404],
      handler: async ({ body, actor }) => teamDto(await service.createTeam(body, actor), actor),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/:id',
      operationId: 'getTeam',
      summary: 'One team',
      tag: 'teams',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'The team', schema: teamSchema } },
      errors: [404],
      handler: async ({ params, actor }) => teamDto(await service.team(params.id, actor), actor),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/:id/requests',
      operationId: 'createServiceRequest',
      summary: "A service request in slots; its card goes to the team's chat, where members sign up",
      tag: 'teams',
      access: 'write',
      params: idParams,
      body: requestBody,
      responses: { 201: { description: 'The request and its slots', schema: requestSchema } },
      errors: [403, 404],
      handler: async ({ params, body, actor }) => {
        const { request } = await service.createRequest(params.id, body, actor);
        await deps.teams.postCard(request.id);
        const found = await service.requestView(request.id);
        return requestDto(request, found?.slots ?? []);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/teams/:id/requests',
      operationId: 'listServiceRequests',
      summary: "A team's service requests, newest first, with who signed up for each slot",
      tag: 'teams',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'Its requests', schema: listOf(requestSchema) } },
      errors: [404],
      handler: async ({ params, actor }) => {
        const items = [];
        for (const r of await service.requestsOf(params.id, actor)) items.push(requestDto(r, (await service.requestView(r.id))?.slots ?? []));
        return { items };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/teams/:id/hours',
      operationId: 'teamHours',
      summary: 'Hours served per member, from slots the lead confirmed',
      tag: 'teams',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'Per member, most hours first', schema: hoursSchema } },
      errors: [404],
      handler: async ({ params, actor }) => {
        const { team, members } = await service.hours(params.id, actor);
        return { teamId: team.id, members: members.map((m) => ({ name: m.name, slots: m.slots, hours: Math.round((m.minutes / 60) * 100) / 100 })) };
      },
    }),
  ];
}
