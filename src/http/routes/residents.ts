import { z } from 'zod';
import { NotFoundError } from '../../domain/errors';
import { isStaffFor } from '../../domain/roles';
import type { TheirData } from '../../db/erasure';
import { defineRoute, RouteSpec } from '../api-spec';

export interface ResidentRouteDeps {
  theirData?: Pick<TheirData, 'links' | 'erase' | 'requests'>;
  clock(): Date;
}

const params = z.strictObject({ telegramId: z.string().regex(/^\d{1,15}$/).describe("The resident's Telegram user id") });

const erasureSchema = z
  .object({
    wishes: z.array(z.string()).describe('The wishes they were linked to: kept as anonymous records, their cards redacted'),
    events: z.number().int().describe('History events rewritten without them'),
    intakes: z.number().int().describe('Their intakes deleted'),
    assessments: z.number().int().describe("Their wishes' assessments deleted"),
    outbox: z.number().int().describe('Messages to them deleted, or to others about them blanked'),
    other: z.number().int().describe('Other records deleted: profile, session, chat turns, used links'),
  })
  .describe('What the erasure removed or rewrote');

/** Staff erase a resident at their request (what the bot's Confirm erasure does). */
export function residentRoutes(deps: ResidentRouteDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/residents/:telegramId/erase',
      operationId: 'eraseResident',
      summary: "Erase a resident's personal data at their request: their wishes stay as anonymous records and the ledger still adds up",
      description:
        "Deletes their name, contact, notes, words, messages, intakes and their wishes' assessments; rewrites their wishes' history with an anonymous placeholder; redacts the cards. For a worker of a community of one of their wishes or intakes, or an admin; anyone else gets 404. Running it again erases nothing more.",
      tag: 'residents',
      access: 'write',
      params,
      responses: { 200: { description: 'What was erased', schema: erasureSchema } },
      errors: [404],
      handler: async ({ params: p, actor }) => {
        const telegramId = Number(p.telegramId);
        const notFound = new NotFoundError('resident_not_found', `No resident ${p.telegramId} in your communities`);
        if (!deps.theirData) throw notFound;
        const links = await deps.theirData.links(telegramId);
        const mayErase = actor.kind === 'admin' || links.communityIds.some((id) => isStaffFor(actor, id));
        if (!mayErase || (links.wishCodes.length === 0 && links.intakes === 0)) throw notFound;
        const summary = await deps.theirData.erase(telegramId, actor);
        const asked = await deps.theirData.requests.byTelegramId(telegramId);
        if (asked) await deps.theirData.requests.done(asked, actor.id, deps.clock());
        return summary;
      },
    }),
  ];
}
