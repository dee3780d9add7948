import { z } from 'zod';
import { ISSUABLE_ROLES } from '../../domain/access';
import { TokenService } from '../../domain/tokens';
import { defineRoute, RouteSpec } from '../api-spec';
import { issuedTokenDto, tokenDto } from '../dto';
import { issuedTokenSchema, listOf, tokenSchema } from '../schemas';

// API tokens, for an admin: issue one for a worker or an auditor, list them, revoke one. Shapes
// only here; what a request may say (known communities, a label's length) is the domain's rule,
// the same the bot's /token uses.

const issueBody = z.strictObject({
  role: z.enum(ISSUABLE_ROLES).describe('worker: acts in its communities; auditor: only reads them'),
  communityIds: z.array(z.string()).describe('The communities it serves: at least one, each an existing community'),
  label: z.string().describe('Whose it is, 1 to 80 characters ("Wang, Harbour Street")'),
  telegramId: z.number().describe('The Telegram user it is for: wishes they create are theirs to follow').optional(),
});

const idParams = z.strictObject({ id: z.string().max(64).describe('The token\'s public id, `tok_…`') });

export function tokenRoutes(deps: { tokens: TokenService }): RouteSpec[] {
  return [
    defineRoute({
      method: 'post',
      path: '/tokens',
      operationId: 'issueToken',
      summary: 'Issue a worker or auditor token; its secret is in this answer only',
      tag: 'tokens',
      access: 'admin',
      body: issueBody,
      responses: { 201: { description: 'The token, with its secret', schema: issuedTokenSchema } },
      errors: [403],
      handler: async ({ body, actor }) => {
        const { record, token } = await deps.tokens.issue(body, actor);
        return issuedTokenDto(record, token);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/tokens',
      operationId: 'listTokens',
      summary: 'Every token issued, newest first, revoked ones too; never a secret',
      tag: 'tokens',
      access: 'admin',
      responses: { 200: { description: 'Tokens', schema: listOf(tokenSchema) } },
      errors: [403],
      handler: async ({ actor }) => ({ items: (await deps.tokens.list(actor)).map(tokenDto) }),
    }),
    defineRoute({
      method: 'delete',
      path: '/tokens/:id',
      operationId: 'revokeToken',
      summary: 'Revoke a token: it answers 401 from now on (revoking it again changes nothing)',
      tag: 'tokens',
      access: 'admin',
      params: idParams,
      responses: { 204: { description: 'Revoked' } },
      errors: [403, 404],
      handler: async ({ params, actor }) => {
        await deps.tokens.revoke(params.id, actor);
        return undefined;
      },
    }),
  ];
}
