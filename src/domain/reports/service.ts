import { InvalidError, NotFoundError } from '../errors';
import { Person } from '../people';
import { canSee } from '../roles';
import { StockEvent } from '../stock/types';
import { issue } from '../wish/rules';
import { Actor, WishState } from '../wish/types';
import { impactStories, MONTH, monthlyReport, MonthlyReport } from './monthly';
import { isRedacted } from '../wish/consent';

export interface ReportSources {
  wishesOf(communityId: string): Promise<WishState[]>;
  peopleOf(donorIds: string[]): Promise<Map<string, Pick<Person, 'donor'>>>;
  stockEventsOf(communityId: string): Promise<StockEvent[]>;
  serviceConfirmedOf(communityId: string): Promise<Array<{ teamName: string; memberName: string; minutes: number; at: Date }>>;
}

export type ReportService = ReturnType<typeof createReportService>;

/** Reads what a month's figures are computed from and computes them: the API, the console and the job alike. */
export function createReportService(deps: ReportSources & { timeZone: string }) {
  async function monthly(communityId: string, month: string, actor: Actor): Promise<MonthlyReport> {
    if (!MONTH.test(month)) throw InvalidError.fields([issue('month', 'not_a_date')]);
    if (!canSee(actor, communityId)) throw new NotFoundError('community_not_found', `No community ${communityId}`);
    const wishes = await deps.wishesOf(communityId);
    const donorIds = [...new Set(wishes.flatMap((w) => w.pledges.map((p) => p.donorId)))];
    return monthlyReport({
      communityId,
      month,
      timeZone: deps.timeZone,
      wishes,
      people: await deps.peopleOf(donorIds),
      stockEvents: await deps.stockEventsOf(communityId),
      serviceConfirmed: await deps.serviceConfirmedOf(communityId),
    });
  }
  /** Totals so far and the stories that may be told: for the public impact page (its caller checks the opt-in). */
  async function impact(communityId: string): Promise<{ totals: MonthlyReport; stories: ReturnType<typeof impactStories> }> {
    const wishes = await deps.wishesOf(communityId);
    const totals = monthlyReport({ communityId, month: 'all', timeZone: deps.timeZone, wishes, people: new Map(), stockEvents: await deps.stockEventsOf(communityId), serviceConfirmed: await deps.serviceConfirmedOf(communityId) });
    return { totals, stories: impactStories(wishes, deps.timeZone, (w) => w.lifecycle !== 'draft' && !isRedacted(w)) };
  }
  /** What the reports read, for the committee bundle. */
  return { monthly, impact, sources: deps as ReportSources };
}
