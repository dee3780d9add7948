import { NO_SHOW_AFTER_MS, REMIND_DAY_MS, reminderDue, slotEnd } from '../domain/teams/rules';
import { TeamService } from '../domain/teams/service';
import { NewOutboxItem } from '../domain/outbox';
import { TeamMessages } from '../notify/teams';

// The volunteer slots' job, every few minutes: reminders the day before and the hour before to each
// member signed up; 20 minutes after the start, a member signed up and not checked in is a no-show,
// recorded once, and the lead is asked whether to fill the place. Outbox keys and unique records
// make a tick run twice (or on two instances) harmless; a reminder's record keeps later ticks from
// enqueueing it again.

export interface SlotJobDeps {
  teams: Pick<TeamService, 'slotsStarting' | 'requestView' | 'noShow' | 'reminded' | 'markReminded'>;
  messages: Pick<TeamMessages, 'reminder' | 'noShow'>;
  enqueue(items: NewOutboxItem[]): Promise<void>;
}

const SYSTEM = 'system:jobs';
/** How far back a started slot is still looked at for no-shows. */
const NO_SHOW_LOOKBACK_MS = 12 * 3_600_000;

export async function remindSlots(deps: SlotJobDeps, now: Date): Promise<{ reminded: number }> {
  let reminded = 0;
  for (const slot of await deps.teams.slotsStarting(now, new Date(now.getTime() + REMIND_DAY_MS + 1))) {
    const which = reminderDue(slot, now);
    if (!which) continue;
    const found = await deps.teams.requestView(slot.requestId);
    const view = found?.slots.find((v) => v.slot.id === slot.id);
    if (!found || !view) continue;
    const due: typeof view.signups = [];
    const items: NewOutboxItem[] = [];
    for (const s of view.signups) {
      if (s.status !== 'signed_up' || (await deps.teams.reminded(slot, s.telegramId, which))) continue;
      due.push(s);
      items.push(await deps.messages.reminder(found.request, slot, s.telegramId, which));
    }
    await deps.enqueue(items);
    for (const s of due) await deps.teams.markReminded(slot, { telegramId: s.telegramId, name: s.name }, which);
    reminded += items.length;
  }
  return { reminded };
}

export async function recordNoShows(deps: SlotJobDeps, now: Date): Promise<{ noShows: number }> {
  let noShows = 0;
  for (const slot of await deps.teams.slotsStarting(new Date(now.getTime() - NO_SHOW_LOOKBACK_MS), new Date(now.getTime() - NO_SHOW_AFTER_MS + 1))) {
    const found = await deps.teams.requestView(slot.requestId);
    const view = found?.slots.find((v) => v.slot.id === slot.id);
    if (!found || !view) continue;
    for (const s of view.signups) {
      if (s.status !== 'signed_up') continue;
      const result = await deps.teams.noShow(slot, s.telegramId, SYSTEM);
      if (!result?.recorded) continue;
      noShows += 1;
      // Still time to fill the place: the lead is asked.
      if (now.getTime() < slotEnd(slot).getTime()) await deps.enqueue([await deps.messages.noShow(found.team, found.request, slot, { telegramId: s.telegramId, name: result.name })]);
    }
  }
  return { noShows };
}

export async function serviceSlots(deps: SlotJobDeps, now: Date) {
  return { ...(await remindSlots(deps, now)), ...(await recordNoShows(deps, now)) };
}
