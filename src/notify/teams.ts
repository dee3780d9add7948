import { Language } from '../domain/community';
import { randomCode } from '../domain/ids';
import { InlineKeyboard, NewOutboxItem, outboxId, RenderedMessage } from '../domain/outbox';
import { ServiceRequest, Slot, SlotView, Team } from '../domain/teams/types';
import { languageOf } from '../domain/people';
import { escapeHtml } from '../ui/format';
import { t } from '../ui/i18n';
import { hoursText, placeText, renderServiceCard, slotWhen } from '../ui/service-card';
import { createMessageKit, html, RelayDeps } from './messages';
import { CardSource } from './types';

// Everything the outbox carries for volunteer teams: the service card in the team's chat (rendered
// when sent, like a wish card), a member's confirmation and reminders, and what the lead is asked.

/** Service requests' card ids start with `SR-`; wish ids with `W-`: one card pipeline serves both. */
export const isServiceCardId = (id: string) => id.startsWith('SR-');

/** Where a team's cards and news go: its group, else its lead's private chat. */
export const teamChatOf = (team: Pick<Team, 'chatId' | 'leadTelegramId'>) => team.chatId ?? team.leadTelegramId;

/** A message for the team's chat, into the team's forum topic when it has one. */
export const inTeamTopic = (team: Pick<Team, 'chatId' | 'chatTopicId'>, message: RenderedMessage): RenderedMessage =>
  team.chatId !== undefined && team.chatTopicId !== undefined ? { ...message, threadId: team.chatTopicId } : message;

export function createTeamMessages(deps: RelayDeps) {
  const kit = createMessageKit(deps);
  // A team's group speaks the language set for it, else its lead's; the lead's private chat, theirs.
  const chatLanguage = async (team: Team): Promise<Language> => {
    const set = team.chatId !== undefined ? (await deps.groups.get(team.chatId))?.language : undefined;
    return set ?? languageOf(await deps.people.get(team.leadTelegramId), deps.defaultLanguage);
  };
  const slotParams = (request: ServiceRequest, slot: Slot, lang: Language) => ({
    title: escapeHtml(request.title),
    when: slotWhen(slot.startsAt, lang, deps.timeZone),
    hours: hoursText(slot.minutes),
    place: placeText(slot.place, lang),
  });
  /** A change to a card: a fresh source each time, so each refresh is queued (the sender coalesces them). */
  const change = (requestId: string) => `svc:${requestId}:${randomCode(8)}`;

  return {
    chatLanguage,
    /** Post, or refresh, the request's card in the team's chat. */
    card(team: Team, request: ServiceRequest, source = change(request.id)): NewOutboxItem {
      const chatId = teamChatOf(team);
      return { id: outboxId(source, chatId, 'card'), chatId, kind: 'card', payload: { type: 'card', wishId: request.id } };
    },

    async signedUp(request: ServiceRequest, slot: Slot, telegramId: number, place: number): Promise<NewOutboxItem> {
      return kit.personal(telegramId, `signup:${slot.id}:${place}:${randomCode(6)}`, 'slot_signed_up', (lang) =>
        html(lang, 'slot.toMember.signedUp', slotParams(request, slot, lang), [[{ text: t(lang, 'slot.button.cantCome'), callback_data: `sl:${slot.id}` }]]),
      );
    },

    /** The day-before or hour-before reminder, once per member and slot. */
    async reminder(request: ServiceRequest, slot: Slot, telegramId: number, which: 'day' | 'hour'): Promise<NewOutboxItem> {
      return kit.personal(telegramId, `slot-remind:${slot.id}:${which}`, 'slot_reminder', (lang) =>
        html(lang, which === 'day' ? 'slot.remind.day' : 'slot.remind.hour', slotParams(request, slot, lang), [
          [
            { text: t(lang, 'slot.button.here'), callback_data: `ci:${slot.id}` },
            { text: t(lang, 'slot.button.cantCome'), callback_data: `sl:${slot.id}` },
          ],
        ]),
      );
    },

    /** A no-show, to the lead once, with the button that frees the place for the team. */
    async noShow(team: Team, request: ServiceRequest, slot: Slot, member: { telegramId: number; name: string }): Promise<NewOutboxItem> {
      return kit.personal(team.leadTelegramId, `noshow:${slot.id}:${member.telegramId}`, 'slot_no_show', (lang) =>
        html(lang, 'slot.toLead.noShow', { ...slotParams(request, slot, lang), name: escapeHtml(member.name) }, [[{ text: t(lang, 'slot.button.fillPlace'), callback_data: `fp:${slot.id}:${member.telegramId}` }]]),
      );
    },

    async toLead(team: Team, request: ServiceRequest, slot: Slot, what: 'done' | 'left' | 'located', member: { telegramId: number; name: string; latitude?: number; longitude?: number }): Promise<NewOutboxItem> {
      return kit.personal(team.leadTelegramId, `lead:${what}:${slot.id}:${member.telegramId}:${randomCode(6)}`, `slot_${what}`, (lang) => {
        const params = { ...slotParams(request, slot, lang), name: escapeHtml(member.name), latitude: member.latitude ?? '', longitude: member.longitude ?? '' };
        const keyboard: InlineKeyboard | undefined = what === 'done' ? [[{ text: t(lang, 'slot.button.confirm', { name: member.name }), callback_data: `sc:${slot.id}:${member.telegramId}` }]] : undefined;
        return html(lang, `slot.toLead.${what}`, params, keyboard);
      });
    },

    async confirmed(request: ServiceRequest, slot: Slot, telegramId: number, minutes: number): Promise<NewOutboxItem> {
      return kit.personal(telegramId, `confirmed:${slot.id}`, 'slot_confirmed', (lang) => html(lang, 'slot.toMember.confirmed', { title: escapeHtml(request.title), hours: hoursText(minutes) }));
    },

    /** A place opened again: said in the team's chat, and the card refreshed. */
    async placeOpened(team: Team, request: ServiceRequest, slot: Slot): Promise<NewOutboxItem[]> {
      const chatId = teamChatOf(team);
      const lang = await chatLanguage(team);
      const source = `opened:${slot.id}:${randomCode(6)}`;
      return [{ id: outboxId(source, chatId, 'slot_opened'), chatId, kind: 'slot_opened', payload: { type: 'message', message: inTeamTopic(team, html(lang, 'slot.toTeam.placeOpened', slotParams(request, slot, lang))) } }, this.card(team, request)];
    },
  };
}

export type TeamMessages = ReturnType<typeof createTeamMessages>;

/**
 * The card pipeline's source for service requests: rendered from the slots' current places when
 * sent, in the chat's language; only in the team's own chat (its topic, if it has one).
 */
export function createServiceCardSource(deps: {
  view(requestId: string): Promise<{ request: ServiceRequest; team: Team; slots: SlotView[] } | null>;
  language(team: Team): Promise<Language>;
  timeZone: string;
  clock: () => Date;
  messages: Pick<CardSource, 'placeOf' | 'remember'>;
}): CardSource {
  return {
    async render(requestId, chatId): Promise<RenderedMessage | null> {
      const found = await deps.view(requestId);
      if (!found || teamChatOf(found.team) !== chatId) return null;
      return inTeamTopic(found.team, renderServiceCard(found.request, found.team, found.slots, { language: await deps.language(found.team), timeZone: deps.timeZone }, deps.clock()));
    },
    placeOf: deps.messages.placeOf,
    remember: deps.messages.remember,
  };
}
