import { z } from 'zod';
import { ReportService } from '../../domain/reports/service';
import { defineRoute, RouteSpec } from '../api-spec';
import { CommunityService } from '../../domain/community';
import { NotFoundError } from '../../domain/errors';
import type { ImpactStore } from '../../db/impact-store';

// The month's figures, the same the groups' monthly summary and the console's chart show.

const reportSchema = z.object({
  communityId: z.string(),
  month: z.string(),
  currency: z.string(),
  wishesFulfilled: z.number(),
  amountRaised: z.number().describe('Cash confirmed as received'),
  goodsDistributed: z.number().describe('Items handed over: goods pledges confirmed and goods from stock'),
  volunteerHours: z.number().describe('Service the leads confirmed'),
  donors: z.object({ named: z.array(z.string()).describe('Donors whose help was fulfilled and who agreed to be thanked by name'), others: z.number().describe('Everyone else whose help was fulfilled, counted') }),
  teams: z.array(z.object({ name: z.string(), hours: z.number() })),
});

export function reportRoutes(deps: { reports: ReportService; currency: string; impact?: ImpactStore; communities: Pick<CommunityService, 'get'> }): RouteSpec[] {
  return [
    defineRoute({
      method: 'get',
      path: '/reports/monthly',
      operationId: 'monthlyReport',
      summary: "A community's month: wishes fulfilled, money raised, goods handed over, volunteer hours, and whom to thank",
      description: 'Only what was fulfilled counts: pledges confirmed as received, goods handed over, service the lead confirmed; never a claim, nor a pledge withdrawn or released.',
      tag: 'reports',
      access: 'read',
      query: z.strictObject({ communityId: z.string().min(1).max(64), month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'must be a month such as 2026-11' }) }),
      responses: { 200: { description: 'The figures', schema: reportSchema } },
      errors: [404],
      handler: async ({ query, actor }) => ({ ...(await deps.reports.monthly(query.communityId, query.month, actor)), currency: deps.currency }),
    }),
    defineRoute({
      method: 'post',
      path: '/communities/:id/impact',
      operationId: 'setImpactPage',
      summary: "Turn the community's public impact page (/impact/<id>) on or off: totals and fulfilled wishes' titles, nothing about any resident",
      tag: 'reports',
      access: 'admin',
      params: z.strictObject({ id: z.string().min(1).max(64) }),
      body: z.strictObject({ public: z.boolean() }),
      responses: { 200: { description: 'The setting, and where the page is', schema: z.object({ communityId: z.string(), public: z.boolean(), path: z.string() }) } },
      errors: [404],
      handler: async ({ params, body, actor }) => {
        if (!(await deps.communities.get(params.id)) || !deps.impact) throw new NotFoundError('community_not_found', `No community ${params.id}`);
        await deps.impact.set(params.id, body.public, actor.id, new Date());
        return { communityId: params.id, public: body.public, path: `/impact/${params.id}` };
      },
    }),
  ];
}
