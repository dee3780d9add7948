import { Language } from '../domain/community';
import { erasureSource, intakeSource } from '../domain/erasure';
import { Group, GroupStore } from '../domain/groups';
import { InlineKeyboard, NewOutboxItem, outboxId, RenderedMessage } from '../domain/outbox';
import { donorIdOf, languageOf, Person, PersonStore, telegramIdOfDonor } from '../domain/people';
import { Pledge, WishState } from '../domain/wish/types';
import { callbackData } from '../ui/callbacks';
import { clip, escapeHtml, Locale, shortDate } from '../ui/format';
import { MessageKey, Params, t } from '../ui/i18n';

// The bricks of the relay: who a message goes to, in which language, under which outbox key. Every
// outbox item is made here and in the relay files that use it, nowhere else.

export interface RelayDeps {
  groups: GroupStore;
  people: PersonStore;
  defaultLanguage: Language;
  timeZone: string;
  currency: string;
  /** Whether a Telegram user is already in a community's resource directory (absent: nobody is asked to join it). */
  inDirectory?(communityId: string, telegramId: number): Promise<boolean>;
  /** The service's admins (ADMIN_TELEGRAM_IDS): asked when a community has no worker to ask. */
  adminIds?: readonly number[];
}

/** Outbox keys: `<source>|<chat>|<kind>`, where the source names what owes the message, so relaying it twice inserts nothing. */
export const sources = {
  event: (eventId: string) => eventId,
  reminder: (pledgeId: string, since: number, round: number) => `reminder:${pledgeId}:${since}:${round}`,
  stale: (wishId: string) => `stale:${wishId}`,
  deadline: (wishId: string) => `deadline:${wishId}`,
  digest: (period: string) => `digest:${period}`,
  cards: (wishId: string, occasion: string) => `${wishId}:cards:${occasion}`,
  residentThanks: (wishId: string, occasion: string) => `thanks:${wishId}:${occasion}`,
  lateNextSteps: (pledgeId: string) => `late:${pledgeId}`,
  erasure: erasureSource,
  intake: intakeSource,
};

export function createMessageKit(deps: RelayDeps) {
  const locale = (language: Language): Locale => ({ language, timeZone: deps.timeZone, currency: deps.currency });

  return {
    locale,
    /** A private message in the person's own language (the builder also gets the person, when the bot has met them). */
    async personal(telegramId: number, source: string, kind: string, build: (lang: Language, person: Person | null) => RenderedMessage, notBefore?: Date): Promise<NewOutboxItem> {
      const person = await deps.people.get(telegramId);
      const message = build(languageOf(person, deps.defaultLanguage), person);
      return { id: outboxId(source, telegramId, kind), chatId: telegramId, kind, payload: { type: 'message', message }, ...(notBefore ? { notBefore } : {}) };
    },
    /** A message to a group in the group's language. */
    toGroup(group: Group, source: string, kind: string, build: (lang: Language) => RenderedMessage): NewOutboxItem {
      return { id: outboxId(source, group.chatId, kind), chatId: group.chatId, kind, payload: { type: 'message', message: build(group.language ?? deps.defaultLanguage) } };
    },
    /** Post or refresh a wish's card in a group (rendered when sent); `repost` posts it anew. */
    card(chatId: number, source: string, wishId: string, repost = false): NewOutboxItem {
      return { id: outboxId(source, chatId, repost ? 'card_repost' : 'card'), chatId, kind: 'card', payload: { type: 'card', wishId, ...(repost ? { repost: true } : {}) } };
    },
    /** Who follows a wish for the community: its worker, else (wishes from before that was kept) its creator, else every worker of the community. */
    async workersOf(state: WishState): Promise<number[]> {
      if (state.workerTelegramId !== undefined) return [state.workerTelegramId];
      const creator = telegramIdOfDonor(state.createdBy.id);
      if (creator !== undefined) return [creator];
      return (await deps.people.workersOf(state.communityId)).map((p) => p.telegramId);
    },
    /**
     * Who may confirm a pledge's receipt for the community: its usual workers, but never the donor
     * of that pledge (nobody confirms their own); when that leaves nobody, the community's other workers.
     */
    async confirmersOf(state: WishState, donorId: string): Promise<number[]> {
      const usual = (await this.workersOf(state)).filter((w) => donorIdOf(w) !== donorId);
      if (usual.length > 0) return usual;
      return (await deps.people.workersOf(state.communityId)).map((p) => p.telegramId).filter((w) => donorIdOf(w) !== donorId);
    },
  };
}

export type MessageKit = ReturnType<typeof createMessageKit>;

/** An HTML message from a catalog entry. */
export function html(lang: Language, key: MessageKey, params: Params = {}, keyboard?: InlineKeyboard): RenderedMessage {
  return { text: t(lang, key, params), parseMode: 'HTML', ...(keyboard ? { keyboard } : {}) };
}

/** The code and title of a wish, escaped, for any message about it. */
export function wishParams(state: Pick<WishState, 'code' | 'title'>): Params {
  return { code: escapeHtml(state.code), title: escapeHtml(clip(state.title, 60)) };
}

export function deadlineOf(state: Pick<WishState, 'deadline'>, lang: Language, timeZone: string): string {
  return shortDate(state.deadline, lang, timeZone);
}

/** The donor's buttons on their pledge: Delivered (Done, for a visit) and Withdraw. */
export function donorKeyboard(pledge: Pick<Pledge, 'id'>, state: Pick<WishState, 'category'>, lang: Language): InlineKeyboard {
  return [
    [
      { text: t(lang, state.category === 'service' ? 'donor.button.done' : 'donor.button.delivered'), callback_data: callbackData.delivered(pledge.id) },
      { text: t(lang, 'donor.button.withdraw'), callback_data: callbackData.withdraw(pledge.id) },
    ],
  ];
}
