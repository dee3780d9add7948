import { Person } from '../people';
import { StockEvent } from '../stock/types';
import { dayIn } from '../time';
import { WishState } from '../wish/types';

// A community's month in figures, written once for the monthly summary in the groups, the report API
// and the console's chart. Only what was fulfilled counts: a pledge confirmed as received, goods
// handed over, service the lead confirmed; never a claim, nor a pledge withdrawn or released.
// Donors who gave anonymously, or did not agree in /profile to be thanked by name, are counted only.

export interface MonthlyReport {
  communityId: string;
  /** YYYY-MM, in the service's zone; `all` for everything so far. */
  month: string;
  wishesFulfilled: number;
  /** Cash confirmed as received, in whole currency units. */
  amountRaised: number;
  /** Items handed over: goods pledges confirmed, and goods from stock. */
  goodsDistributed: number;
  /** Hours of service the teams' leads confirmed, to a tenth. */
  volunteerHours: number;
  /** Donors whose help was fulfilled this month: those who agreed to be named, and how many others. */
  donors: { named: string[]; others: number };
  teams: Array<{ name: string; hours: number }>;
}

export interface MonthlyInput {
  communityId: string;
  month: string;
  timeZone: string;
  wishes: readonly WishState[];
  /** Donors the bot knows, by donor id (`tg:<id>`): whether they agreed to be thanked by name. */
  people: ReadonlyMap<string, Pick<Person, 'donor'>>;
  stockEvents: readonly StockEvent[];
  /** Slots the leads confirmed: minutes, when, and the team. */
  serviceConfirmed: ReadonlyArray<{ teamName: string; minutes: number; at: Date }>;
}

export const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The month before the one `now` falls in, in the zone: what a summary on the 1st is about. */
export function previousMonth(now: Date, timeZone: string): string {
  const [y, m] = dayIn(now, timeZone).split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** `month: 'all'` counts everything so far (the impact page's totals). */
export function monthlyReport(input: MonthlyInput): MonthlyReport {
  const inMonth = (d: Date | undefined) => d !== undefined && (input.month === 'all' || dayIn(new Date(d), input.timeZone).slice(0, 7) === input.month);
  let amountRaised = 0;
  let goodsDistributed = 0;
  const named = new Set<string>();
  const namedIds = new Set<string>();
  const others = new Set<string>();
  for (const w of input.wishes) {
    for (const p of w.pledges) {
      if (p.status !== 'confirmed' || !inMonth(p.confirmedAt)) continue;
      if (p.donorId.startsWith('stock:')) continue; // counted as goods from stock when handed over
      if (w.category === 'cash') amountRaised += p.amount;
      if (w.category === 'goods') goodsDistributed += p.amount;
      const donor = input.people.get(p.donorId)?.donor;
      if (!p.anonymous && donor?.thanked === true && p.displayName) {
        named.add(p.displayName);
        namedIds.add(p.donorId);
      } else others.add(p.donorId);
    }
  }
  for (const e of input.stockEvents) if (e.type === 'distributed' && inMonth(e.at)) goodsDistributed += e.quantity;
  const teams = new Map<string, number>();
  let minutes = 0;
  for (const s of input.serviceConfirmed) {
    if (!inMonth(s.at)) continue;
    minutes += s.minutes;
    teams.set(s.teamName, (teams.get(s.teamName) ?? 0) + s.minutes);
  }
  const hours = (m: number) => Math.round((m / 60) * 10) / 10;
  return {
    communityId: input.communityId,
    month: input.month,
    wishesFulfilled: input.wishes.filter((w) => w.status === 'fulfilled' && inMonth(w.closedAt)).length,
    amountRaised,
    goodsDistributed,
    volunteerHours: hours(minutes),
    donors: { named: [...named].sort((a, b) => a.localeCompare(b)), others: [...others].filter((id) => !namedIds.has(id)).length },
    teams: [...teams.entries()].map(([name, m]) => ({ name, hours: hours(m) })).sort((a, b) => b.hours - a.hours || a.name.localeCompare(b.name)),
  };
}

/** Whether anything happened: a month with nothing is not announced. */
export const hasNews = (r: MonthlyReport) => r.wishesFulfilled + r.amountRaised + r.goodsDistributed + r.volunteerHours > 0;

/**
 * The stories an impact page may tell: fulfilled wishes the groups were shown and still may be (a
 * resident who kept theirs private, or took it back, is not in it), by title and month only: no
 * alias, no description, nothing about the resident.
 */
export function impactStories(wishes: readonly WishState[], timeZone: string, mayShow: (w: WishState) => boolean): Array<{ title: string; category: WishState['category']; month: string }> {
  return wishes
    .filter((w) => w.status === 'fulfilled' && w.closedAt !== undefined && mayShow(w))
    .sort((a, b) => new Date(b.closedAt!).getTime() - new Date(a.closedAt!).getTime())
    .slice(0, 20)
    .map((w) => ({ title: w.title, category: w.category, month: dayIn(new Date(w.closedAt!), timeZone).slice(0, 7) }));
}
