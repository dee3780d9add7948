import { z } from 'zod';
import { ResourceService } from '../../domain/resources/service';
import { RESOURCE_KINDS, Resource, RESOURCE_STATES } from '../../domain/resources/types';
import { seesPrivateDetails } from '../../domain/roles';
import { Actor } from '../../domain/wish/types';
import { defineRoute, RouteSpec } from '../api-spec';
import { listOf } from '../schemas';

// Shapes only; what each field may say is the directory's rules (src/domain/resources/rules.ts).

const isoDay = z.string().describe('ISO date').refine((s) => !Number.isNaN(Date.parse(s)), { params: { code: 'not_a_date' } }).transform((s) => new Date(s));
const body = z.strictObject({
  communityId: z.string().min(1).max(64),
  kind: z.enum(RESOURCE_KINDS),
  name: z.string(),
  offer: z.strictObject({ categories: z.array(z.string()).optional(), skills: z.array(z.string()).optional(), note: z.string().optional() }).describe('What it can give: kinds of wish (goods, cash, service) and skills; at least one'),
  areaIds: z.array(z.string()).describe("Areas of the community's tree it serves"),
  availability: z
    .strictObject({ weekdays: z.array(z.string()).optional(), fromTime: z.string().optional(), untilTime: z.string().optional(), from: isoDay.optional(), until: isoDay.optional() })
    .optional(),
  capacity: z.strictObject({ requestsPerMonth: z.number().optional(), moneyPerMonth: z.number().optional() }).optional(),
  contact: z.string().optional().describe('How it prefers to be reached: staff only'),
  telegramId: z.number().int().positive().optional().describe('Its Telegram account, so it can be asked privately'),
  telegramLink: z.string().optional(),
});
const editBody = body.omit({ communityId: true }).partial();

const resourceSchema = z.object({
  id: z.string(),
  communityId: z.string(),
  kind: z.enum(RESOURCE_KINDS),
  name: z.string(),
  offer: z.object({ categories: z.array(z.string()), skills: z.array(z.string()), note: z.string().optional() }),
  areaIds: z.array(z.string()),
  availability: z.object({}).catchall(z.unknown()).optional(),
  capacity: z.object({ requestsPerMonth: z.number().optional(), moneyPerMonth: z.number().optional() }).optional(),
  contact: z.string().optional().describe('Staff only'),
  telegramId: z.number().optional().describe('Staff only'),
  telegramLink: z.string().optional(),
  state: z.enum(RESOURCE_STATES),
  createdAt: z.string(),
  updatedAt: z.string(),
  duplicateOf: z.array(z.string()).optional().describe('On creation: entries of the community with the same name'),
});
const areaSchema = z.object({ id: z.string(), communityId: z.string(), name: z.string(), level: z.enum(['district', 'community', 'building']), parentId: z.string().optional() });

function resourceDto(r: Resource, reader: Actor) {
  const { contact, telegramId, availability, createdAt, updatedAt, ...rest } = r;
  const staff = seesPrivateDetails(reader);
  const when = availability
    ? { ...availability, ...(availability.from ? { from: availability.from.toISOString() } : {}), ...(availability.until ? { until: availability.until.toISOString() } : {}) }
    : undefined;
  return {
    ...rest,
    ...(when ? { availability: when } : {}),
    ...(staff && contact ? { contact } : {}),
    ...(staff && telegramId !== undefined ? { telegramId } : {}),
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
  };
}

const idParams = z.strictObject({ id: z.string().min(1).max(64) });

/** The community's resource directory and its area tree. */
export function resourceRoutes(deps: { resources: ResourceService }): RouteSpec[] {
  const { resources } = deps;
  const move = (to: 'approved' | 'paused' | 'retired', verb: string) =>
    defineRoute({
      method: 'post',
      path: `/resources/:id/${verb}`,
      operationId: `${verb}Resource`,
      summary: `${verb[0]!.toUpperCase()}${verb.slice(1)} a directory entry`,
      tag: 'resources',
      access: 'write',
      params: idParams,
      responses: { 200: { description: 'The entry', schema: resourceSchema } },
      errors: [403, 404, 409],
      handler: async ({ params, actor }) => resourceDto((await resources.move(params.id, to, actor)).resource, actor),
    });
  return [
    defineRoute({
      method: 'get',
      path: '/resources',
      operationId: 'listResources',
      summary: "A community's directory, by name",
      tag: 'resources',
      access: 'read',
      query: z.strictObject({ communityId: z.string().min(1).max(64), kind: z.enum(RESOURCE_KINDS).optional(), state: z.enum(RESOURCE_STATES).optional(), skill: z.string().max(40).optional(), category: z.string().max(20).optional() }),
      responses: { 200: { description: 'Its entries', schema: listOf(resourceSchema) } },
      errors: [404],
      handler: async ({ query, actor }) => {
        const all = await resources.list(query.communityId, actor);
        const items = all.filter(
          (r) =>
            (!query.kind || r.kind === query.kind) &&
            (!query.state || r.state === query.state) &&
            (!query.skill || (r.offer.skills as string[]).includes(query.skill)) &&
            (!query.category || (r.offer.categories as string[]).includes(query.category)),
        );
        return { items: items.map((r) => resourceDto(r, actor)) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/resources',
      operationId: 'createResource',
      summary: 'Add an entry to the directory (approved: staff know it); a name already there is flagged in duplicateOf',
      tag: 'resources',
      access: 'write',
      body,
      responses: { 201: { description: 'The entry', schema: resourceSchema } },
      errors: [403, 404],
      handler: async ({ body: input, actor }) => {
        const { resource, duplicateOf } = await resources.create(input, actor);
        return { ...resourceDto(resource, actor), ...(duplicateOf.length > 0 ? { duplicateOf } : {}) };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/resources/:id',
      operationId: 'getResource',
      summary: 'One directory entry (its contact for staff only)',
      tag: 'resources',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'The entry', schema: resourceSchema } },
      errors: [404],
      handler: async ({ params, actor }) => resourceDto(await resources.get(params.id, actor), actor),
    }),
    defineRoute({
      method: 'patch',
      path: '/resources/:id',
      operationId: 'editResource',
      summary: 'Edit a directory entry',
      tag: 'resources',
      access: 'write',
      params: idParams,
      body: editBody,
      responses: { 200: { description: 'The entry as edited', schema: resourceSchema } },
      errors: [403, 404],
      handler: async ({ params, body: changes, actor }) => resourceDto(await resources.edit(params.id, changes, actor), actor),
    }),
    move('approved', 'approve'),
    move('paused', 'pause'),
    move('retired', 'retire'),
    defineRoute({
      method: 'get',
      path: '/communities/:id/areas',
      operationId: 'listAreas',
      summary: "A community's area tree: districts, communities, buildings or streets",
      tag: 'resources',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'Its areas', schema: listOf(areaSchema) } },
      errors: [404],
      handler: async ({ params, actor }) => {
        await resources.list(params.id, actor); // 404 for a community the token may not read
        return { items: await resources.areasOf(params.id) };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/communities/:id/areas',
      operationId: 'addArea',
      summary: "Add an area to a community's tree",
      tag: 'resources',
      access: 'write',
      params: idParams,
      body: z.strictObject({ name: z.string(), level: z.enum(['district', 'community', 'building']), parentId: z.string().optional() }),
      responses: { 201: { description: 'The area', schema: areaSchema } },
      errors: [403, 404],
      handler: async ({ params, body: input, actor }) => {
        await resources.list(params.id, actor);
        return resources.addArea(params.id, input, actor);
      },
    }),
  ];
}
