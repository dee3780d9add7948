import { Person, PersonStore, telegramIdOfDonor } from '../domain/people';
import { ReportSources } from '../domain/reports/service';
import { StockStore } from '../domain/stock/service';
import { TeamStore } from '../domain/teams/service';
import { WishService } from '../domain/wish/service';
import { WishState } from '../domain/wish/types';

const PAGE = 200;

/** What reports read: a community's wishes a page at a time, its donors, its goods' events, its teams' confirmed slots. */
export function createReportSources(deps: { wishes: Pick<WishService, 'listPage'>; people: Pick<PersonStore, 'get'>; stock: Pick<StockStore, 'headsOf' | 'eventsAfter'>; teams: Pick<TeamStore, 'teamsOf' | 'recordsOfTeam'> }): ReportSources {
  return {
    async wishesOf(communityId) {
      const out: WishState[] = [];
      let codeBelow: number | undefined;
      for (;;) {
        const page = await deps.wishes.listPage({ communityIds: [communityId], limit: PAGE, ...(codeBelow !== undefined ? { codeBelow } : {}) });
        out.push(...page.items);
        if (!page.full || page.lowestCodeNumber === undefined) return out;
        codeBelow = page.lowestCodeNumber;
      }
    },
    async peopleOf(donorIds) {
      // One point read each (a `$in` scans on FerretDB): a community's donors are tens or hundreds.
      const out = new Map<string, Person>();
      for (const id of donorIds) {
        const telegramId = telegramIdOfDonor(id);
        const person = telegramId === undefined ? null : await deps.people.get(telegramId);
        if (person) out.set(id, person);
      }
      return out;
    },
    async stockEventsOf(communityId) {
      const out = [];
      for (const head of await deps.stock.headsOf(communityId)) out.push(...(await deps.stock.eventsAfter(head.itemId, 0)));
      return out;
    },
    async serviceConfirmedOf(communityId) {
      const out: Array<{ teamName: string; memberName: string; minutes: number; at: Date }> = [];
      for (const team of await deps.teams.teamsOf(communityId)) for (const r of await deps.teams.recordsOfTeam(team.id, 'confirm')) out.push({ teamName: team.name, memberName: r.name, minutes: r.minutes ?? 0, at: r.at });
      return out;
    },
  };
}
