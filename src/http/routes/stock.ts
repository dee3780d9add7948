import { z } from 'zod';
import { seesPrivateDetails } from '../../domain/roles';
import { StockService } from '../../domain/stock/service';
import { SurplusOffer, SurplusService } from '../../domain/stock/surplus';
import { ADJUST_REASONS, CONDITIONS, StockEvent, StockState } from '../../domain/stock/types';
import { Actor } from '../../domain/wish/types';
import { defineRoute, RouteSpec } from '../api-spec';
import { listOf } from '../schemas';

// The in-kind ledger and surplus offers. Shapes only; the rules are the ledger's
// (src/domain/stock/ledger.ts), the same the bot's /received and the console use.

const idParams = z.strictObject({ id: z.string().min(1).max(64) });
const isoDate = z.string().describe('ISO date').refine((s) => !Number.isNaN(Date.parse(s)), { params: { code: 'not_a_date' } }).transform((s) => new Date(s));

const receiptBody = z.strictObject({
  communityId: z.string().min(1).max(64),
  name: z.string().describe('What it is: "masks", "口罩"; the same name and unit is the same item'),
  unit: z.string().optional().describe('Default pcs'),
  quantity: z.number().int(),
  from: z.strictObject({ name: z.string(), donorTelegramId: z.number().int().positive().optional().describe('A donor the bot knows: told what their gift became'), resourceId: z.string().max(64).optional(), anonymous: z.boolean().optional() }),
  condition: z.enum(CONDITIONS).optional(),
  expiry: isoDate.optional(),
});
const allocateBody = z.strictObject({
  quantity: z.number().int(),
  to: z.union([z.strictObject({ wishId: z.string().min(1).max(20) }), z.strictObject({ resident: z.string().min(1).max(80).describe('A household or resident, as the worker names them (kept private)') })]),
});
const moveBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('distribute'), allocationId: z.string().max(80), quantity: z.number().int().optional(), recipients: z.number().int().min(1).max(100_000).optional().describe('Households it reached') }),
  z.strictObject({ type: z.literal('confirm'), allocationId: z.string().max(80) }),
  z.strictObject({ type: z.literal('return'), allocationId: z.string().max(80), quantity: z.number().int().optional() }),
  z.strictObject({ type: z.literal('transfer'), quantity: z.number().int(), toCommunityId: z.string().min(1).max(64) }),
  z.strictObject({ type: z.literal('adjust'), delta: z.number().int(), reason: z.enum(ADJUST_REASONS), note: z.string().max(200).optional() }),
]);
const surplusBody = z.strictObject({ quantity: z.number().int(), cap: z.number().int().describe('Most one person may take'), chatId: z.number().int().describe('The group the card goes to (the bot must be in it)'), where: z.string(), when: z.string() });

const lotSchema = z.object({ lot: z.number(), from: z.string().describe('The giver, or Anonymous'), quantity: z.number(), remaining: z.number(), distributed: z.number(), recipients: z.number(), condition: z.string(), expiry: z.string().optional(), receivedAt: z.string() });
const itemSchema = z.object({
  itemId: z.string(),
  communityId: z.string(),
  name: z.string(),
  unit: z.string(),
  available: z.number().describe('On the shelf'),
  allocated: z.number().describe('Set aside, not yet handed over'),
  received: z.number(),
  distributed: z.number(),
  transferred: z.number(),
  adjustedIn: z.number(),
  adjustedOut: z.number(),
  lots: z.array(lotSchema),
  allocations: z.array(z.object({ id: z.string(), quantity: z.number(), distributed: z.number(), status: z.string(), to: z.string().describe('wish W-…, surplus SP-…, or "resident" (who, for staff only)') })),
});
const eventSchema = z.object({ id: z.string(), seq: z.number(), type: z.string(), at: z.string(), by: z.string().optional() }).catchall(z.unknown());
const offerSchema = z.object({ id: z.string(), itemId: z.string(), name: z.string(), unit: z.string(), quantity: z.number(), cap: z.number(), where: z.string(), when: z.string(), taken: z.number(), left: z.number(), closed: z.boolean() });

function itemDto(s: StockState, reader: Actor) {
  const staff = seesPrivateDetails(reader);
  return {
    itemId: s.itemId,
    communityId: s.communityId,
    name: s.name,
    unit: s.unit,
    available: s.available,
    allocated: s.allocated,
    received: s.received,
    distributed: s.distributed,
    transferred: s.transferred,
    adjustedIn: s.adjustedIn,
    adjustedOut: s.adjustedOut,
    lots: s.lots.map((l) => ({
      lot: l.lot,
      from: l.from.anonymous && !staff ? 'Anonymous' : l.from.name,
      quantity: l.quantity,
      remaining: l.remaining,
      distributed: l.distributed,
      recipients: l.recipients,
      condition: l.condition,
      ...(l.expiry ? { expiry: new Date(l.expiry).toISOString() } : {}),
      receivedAt: new Date(l.receivedAt).toISOString(),
    })),
    allocations: s.allocations.map((a) => ({ id: a.id, quantity: a.quantity, distributed: a.distributed, status: a.status, to: a.to.kind === 'wish' ? a.to.wishId : a.to.kind === 'surplus' ? a.to.offerId : staff ? `resident: ${a.to.label}` : 'resident' })),
  };
}

function eventDto(e: StockEvent, reader: Actor) {
  const { id, seq, type, at, actor, itemId: _item, ...rest } = e;
  const staff = seesPrivateDetails(reader);
  const safe = { ...rest } as Record<string, unknown>;
  if (!staff && 'to' in safe && (safe.to as { kind?: string }).kind === 'resident') safe.to = { kind: 'resident' };
  if (!staff && 'from' in safe && (safe.from as { anonymous?: boolean }).anonymous) safe.from = { name: 'Anonymous' };
  return { id, seq, type, at: new Date(at).toISOString(), ...(staff ? { by: actor.name ?? actor.id } : {}), ...safe };
}

export interface StockRouteDeps {
  stock: { service: StockService; surplus: SurplusService; postSurplusCard(offerId: string): Promise<void>; fromStock(wishId: string, itemId: string, quantity: number, actor: Actor): Promise<StockState> };
}

export function stockRoutes(deps: StockRouteDeps): RouteSpec[] {
  // Route listings (the OpenAPI document) are built without services: read them only when called.
  const stock = () => deps.stock.service;
  const offerDto = async (offer: SurplusOffer) => {
    const v = await deps.stock.surplus.view(offer.id);
    return { id: offer.id, itemId: offer.itemId, name: offer.name, unit: offer.unit, quantity: offer.quantity, cap: offer.cap, where: offer.where, when: offer.when, taken: v.taken, left: v.left, closed: v.closed };
  };
  return [
    defineRoute({
      method: 'get',
      path: '/stock',
      operationId: 'listStock',
      summary: "A community's goods in stock: what is on the shelf, set aside, handed over, and from whom",
      tag: 'stock',
      access: 'read',
      query: z.strictObject({ communityId: z.string().min(1).max(64) }),
      responses: { 200: { description: 'Its items, by name', schema: listOf(itemSchema) } },
      errors: [404],
      handler: async ({ query, actor }) => ({ items: (await stock().list(query.communityId, actor)).map((s) => itemDto(s, actor)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/stock/receipts',
      operationId: 'receiveStock',
      summary: 'Goods arrived: added to the item of that name and unit',
      tag: 'stock',
      access: 'write',
      body: receiptBody,
      responses: { 201: { description: 'The item after the receipt', schema: itemSchema } },
      errors: [403, 404],
      handler: async ({ body, actor }) => {
        const { donorTelegramId, ...from } = body.from;
        const { state } = await stock().receive({ ...body, from: { ...from, ...(donorTelegramId ? { donorId: `tg:${donorTelegramId}` } : {}) } }, actor);
        return itemDto(state, actor);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/stock/items/:id',
      operationId: 'getStockItem',
      summary: 'One item: its figures, lots and allocations',
      tag: 'stock',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'The item', schema: itemSchema } },
      errors: [404],
      handler: async ({ params, actor }) => itemDto(await stock().get(params.id, actor), actor),
    }),
    defineRoute({
      method: 'get',
      path: '/stock/items/:id/events',
      operationId: 'stockEvents',
      summary: "One item's ledger, first to last: every figure is the sum of these",
      tag: 'stock',
      access: 'read',
      params: idParams,
      responses: { 200: { description: 'Its events', schema: listOf(eventSchema) } },
      errors: [404],
      handler: async ({ params, actor }) => ({ items: (await stock().history(params.id, actor)).map((e) => eventDto(e, actor)) }),
    }),
    defineRoute({
      method: 'post',
      path: '/stock/items/:id/allocations',
      operationId: 'allocateStock',
      summary: 'Set goods aside for a resident, or fulfil a goods wish from stock (it is claimed for the community stock)',
      tag: 'stock',
      access: 'write',
      params: idParams,
      body: allocateBody,
      responses: { 201: { description: 'The item after the allocation', schema: itemSchema } },
      errors: [403, 404, 409],
      handler: async ({ params, body, actor }) => {
        if ('wishId' in body.to) return itemDto(await deps.stock.fromStock(body.to.wishId, params.id, body.quantity, actor), actor);
        return itemDto((await stock().allocate(params.id, body.quantity, { kind: 'resident', label: body.to.resident }, actor)).state, actor);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/stock/items/:id/moves',
      operationId: 'moveStock',
      summary: 'Hand over, confirm, return, transfer to another community, or adjust (damaged, expired, lost, found, counted)',
      tag: 'stock',
      access: 'write',
      params: idParams,
      body: moveBody,
      responses: { 200: { description: 'The item after it', schema: itemSchema } },
      errors: [403, 404, 409],
      handler: async ({ params, body, actor }) => itemDto((await stock().change(params.id, body, actor)).state, actor),
    }),
    defineRoute({
      method: 'post',
      path: '/stock/items/:id/surplus',
      operationId: 'offerSurplus',
      summary: 'Offer surplus as a card in a group: people take with a button, never more than there is nor than the cap each',
      tag: 'stock',
      access: 'write',
      params: idParams,
      body: surplusBody,
      responses: { 201: { description: 'The offer', schema: offerSchema } },
      errors: [403, 404, 409],
      handler: async ({ params, body, actor }) => {
        const offer = await deps.stock.surplus.create({ itemId: params.id, ...body }, actor);
        await deps.stock.postSurplusCard(offer.id);
        return offerDto(offer);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/surplus/:id/close',
      operationId: 'closeSurplus',
      summary: 'Close an offer: what was taken is handed over in the ledger, the rest goes back on the shelf',
      tag: 'stock',
      access: 'write',
      params: idParams,
      responses: { 200: { description: 'The offer, closed', schema: offerSchema } },
      errors: [403, 404],
      handler: async ({ params, actor }) => {
        const { offer } = await deps.stock.surplus.close(params.id, actor);
        await deps.stock.postSurplusCard(offer.id);
        return offerDto(offer);
      },
    }),
  ];
}
