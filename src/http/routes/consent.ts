import { z } from 'zod';
import { BusyError } from '../../domain/errors';
import { InviteService } from '../../domain/invites';
import { ConsentFlow } from '../../domain/wish/consent-flow';
import { WishService } from '../../domain/wish/service';
import { CONSENT_PURPOSES } from '../../domain/wish/types';
import { defineRoute, RouteSpec } from '../api-spec';
import { wishDto } from '../dto';
import { residentLinkSchema, wishSchema } from '../schemas';
import { wishLookup } from './wishes';

export interface ConsentRouteDeps {
  wishes: WishService;
  consent: ConsentFlow;
  invites: InviteService;
  botUsername(): string | undefined;
}

const idParams = z.strictObject({ id: z.string().min(1).describe('The wish code, such as W-1042') });
const inPersonBody = z.strictObject({
  purpose: z.enum(CONSENT_PURPOSES).default('publish'),
  answer: z.enum(['given', 'private', 'withdrawn']).describe("What the resident told you: yes, keep it out of the groups, or taking back a yes"),
  note: z.string().describe('How and when they told you, in a few words (required)'),
  publish: z.boolean().optional().describe('Publish straight after recording a yes to publishing'),
});

/** The resident's say over publishing: ask them in the bot, record what they said in person, invite one donor privately. */
export function consentRoutes(deps: ConsentRouteDeps): RouteSpec[] {
  const { wishIdOf, visible } = wishLookup(deps.wishes);
  return [
    defineRoute({
      method: 'post',
      path: '/wishes/:id/consent-request',
      operationId: 'askResidentConsent',
      summary: 'Show the linked resident the card as the groups would see it, and ask whether to publish it',
      tag: 'consent',
      access: 'write',
      params: idParams,
      responses: { 200: { description: 'The wish; the resident has been asked', schema: wishSchema } },
      errors: [403, 404, 409],
      handler: async ({ params, actor }) => {
        await visible(params.id, actor);
        return wishDto((await deps.consent.ask(wishIdOf(params.id), actor)).state, actor);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/wishes/:id/consent',
      operationId: 'recordConsentInPerson',
      summary: 'Record what the resident said in person about a purpose (publishing, sharing contact, photos), with a note',
      tag: 'consent',
      access: 'write',
      params: idParams,
      body: inPersonBody,
      responses: { 200: { description: 'The wish with the consent recorded (and published, if asked)', schema: wishSchema } },
      errors: [403, 404, 409],
      handler: async ({ params, body, actor }) => {
        await visible(params.id, actor);
        return wishDto((await deps.consent.recordInPerson(wishIdOf(params.id), actor, body)).state, actor);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/wishes/:id/donor-link',
      operationId: 'privateDonorLink',
      summary: 'A one-time deep link that shows one donor the wish privately (for wishes kept out of the groups)',
      tag: 'consent',
      access: 'write',
      params: idParams,
      responses: { 201: { description: 'The link', schema: residentLinkSchema } },
      errors: [403, 404],
      handler: async ({ params, actor }) => {
        const wish = await visible(params.id, actor);
        const username = deps.botUsername();
        if (!username) throw new BusyError('busy', 'The bot has not connected to Telegram yet; please try again in a minute');
        const invite = await deps.invites.inviteDonor(wish.id, actor);
        return { url: `https://t.me/${username}?start=donor_${invite.token}`, expiresAt: invite.expiresAt.toISOString() };
      },
    }),
  ];
}
