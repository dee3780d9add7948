import { ResourceService } from '../domain/resources/service';
import { ResourceKind } from '../domain/resources/types';
import { MatchService } from '../domain/resources/match-service';
import { InvitationService } from '../domain/resources/invitations';
import { ConsentFlow } from '../domain/wish/consent-flow';
import { Context } from 'telegraf';
import { Logger } from 'pino';
import { Clock } from '../domain/clock';
import { CommunityService } from '../domain/community';
import { Language } from '../domain/community';
import { Metrics } from '../domain/metrics';
import { Group, GroupStore } from '../domain/groups';
import { IntakeStore } from '../domain/intake';
import { InviteService } from '../domain/invites';
import { Person, PersonStore } from '../domain/people';
import { TokenService } from '../domain/tokens';
import { WishService } from '../domain/wish/service';
import { Actor } from '../domain/wish/types';
import { ReminderAnswerStore, SessionStore, UpdateLog } from '../db/bot-stores';
import { TurnStore } from '../db/turn-store';
import type { TheirData } from '../db/erasure';
import { SessionHandle } from './session';
import { NewOutboxItem, OutboxItem } from '../domain/outbox';
import { Relay } from '../notify/relay';
import type { TeamMessages } from '../notify/teams';
import type { SurplusMessages } from '../notify/surplus';
import type { SurplusService } from '../domain/stock/surplus';
import type { StockService } from '../domain/stock/service';
import type { TeamService } from '../domain/teams/service';
import { Locale } from '../ui/format';
import { Translate } from '../ui/i18n';

export interface BotDeps {
  token: string;
  apiRoot: string;
  wishes: WishService;
  communities: CommunityService;
  invites: InviteService;
  /** API tokens: a worker's own from /token, or one an admin issues for someone else. */
  tokens: TokenService;
  people: PersonStore;
  groups: GroupStore;
  sessions: SessionStore;
  updates: UpdateLog;
  /** Whose turn it is in each chat, shared by every instance (one chat at a time). */
  turns: TurnStore;
  /** This instance, as recorded on the chat turns it holds. */
  instanceId: string;
  /** How long a chat turn lasts unless its holder renews it: the longest a crashed instance blocks a chat. Default 15 s. */
  turnLifetimeMs?: number;
  reminderAnswers: ReminderAnswerStore;
  /** What is stored about a person and its erasure (/mydata, /erase); absent: those commands are unknown. */
  theirData?: TheirData;
  /** Intakes in residents' own words (src/bot/features/intake.ts); absent: the intake link is refused as unknown. */
  intakes?: IntakeStore;
  /** Quiet invitations to directory resources (src/domain/resources/invitations.ts); absent: their buttons are stale. */
  invitations?: InvitationService;
  /** The resource directory (absent: /offer says it is not available). */
  directory?: { resources: ResourceService };
  /** Suggestions from the directory for a wish (absent: /matches says there is no directory yet). */
  matching?: MatchService;
  /** The in-kind ledger, for /received (absent: /received is refused). */
  stock?: Pick<StockService, 'receive'>;
  /** Surplus offers' cards (src/domain/stock/surplus.ts); absent: their buttons are stale. */
  surplus?: { service: SurplusService; messages: SurplusMessages };
  /** Volunteer teams and their service slots (src/domain/teams); absent: their links and buttons are stale. */
  teams?: { service: TeamService; messages: TeamMessages };
  /** Linking residents, asking their consent and publishing on it (src/domain/wish/consent-flow.ts). */
  consent: ConsentFlow;
  /** How many button presses the bot takes on (src/bot/presses.ts); defaults when absent. */
  presses?: PressOptions;
  /** Messages that must not be lost go through the outbox; the relay makes them. */
  enqueue(items: NewOutboxItem[]): Promise<void>;
  relay: Pick<Relay, 'requested'>;
  /** An outbox item by its key, to tell whether a message reached its reader. */
  outboxItem(id: string): Promise<Pick<OutboxItem, 'status'> | null>;
  adminIds: readonly number[];
  /** Where Telegram opens the console as a Mini App (CONSOLE_URL + /console/miniapp); unset: no Mini App buttons. */
  miniAppUrl?: string;
  defaultLanguage: Language;
  timeZone: string;
  /** ISO 4217 code of cash wishes' money. */
  currency: string;
  clock: Clock;
  logger: Logger;
  /** Counts how long presses take to answer and the refusals and failures the bot answers (noMetrics when absent). */
  metrics?: Metrics;
}

export interface PressOptions {
  /** Presses one person may make per 10 s (PRESS_LIMIT_PER_10S). Default 8. */
  limitPer10s?: number;
  /** A press that waited longer than this for its turn is answered "busy" and not done. Default 10 s. */
  maxWaitMs?: number;
  /** Presses this process holds (waiting or running) before new ones are answered "busy". Default 200. */
  maxQueued?: number;
}

/** What the bot knows about an update's sender and chat, loaded once per update. */
export interface BotState {
  person?: Person;
  group?: Group | null;
  lang: Language;
  t: Translate;
  /** The reader's language with the service's time zone and currency, for dates and amounts. */
  locale: Locale;
  /** Who the sender acts as (admin, worker, resident or donor). */
  actor?: Actor;
  /** The sender's conversation state (wizard steps, the answer a button asked for). */
  session: SessionHandle;
  /** A redelivered update already handled: its press was answered then, so it gets no answer now. */
  repeated?: boolean;
  /** A press's sender and group, read while it waits for its turn (point reads by _id). */
  prefetched?: { person: Promise<Person | null>; group?: Promise<Group | null> };
  /** The sender was erased while this update was handled: their sighting is not recorded again. */
  forgotten?: boolean;
  /** Counts a refusal or failure the bot answered, by its code (metrics); set by create-bot.ts. */
  noteError?(code: string): void;
}

/** Our per-update state lives in `local`, not telegraf's untyped `state`, so narrowed contexts keep its type. */
export class BotContext extends Context {
  declare local: BotState;
  /**
   * Whether this update's callback query has been answered (or an answer tried): Telegram takes one
   * answer per query, and the person has read the first. Set by the first answerCbQuery.
   */
  answered = false;
  /** Told of a second answer to the same query, which is dropped (create-bot.ts logs it). */
  onRepeatAnswer?: (text: string | undefined) => void;
  /** Told once the answer has been given (ok) or tried and failed: from then on the press needs nothing more from Telegram. */
  onAnswered?: (ok: boolean) => void;

  /** Answers the button press once; later calls are logged no-ops, so an error after a truthful answer cannot overwrite it. */
  override answerCbQuery(...args: Parameters<Context['answerCbQuery']>): ReturnType<Context['answerCbQuery']> {
    if (this.answered) {
      this.onRepeatAnswer?.(args[0]);
      return Promise.resolve(true);
    }
    this.answered = true;
    const answer = super.answerCbQuery(...args);
    answer.then(
      () => this.onAnswered?.(true),
      () => this.onAnswered?.(false),
    );
    return answer;
  }
}

/** Any (narrowed) context of this bot, as handlers and helpers receive it. */
export type AnyBotContext = Context & { local: BotState };

export function isPrivate(ctx: Context): boolean {
  return ctx.chat?.type === 'private';
}

/** The session flows a private chat can be in, continued by the next text message. */
export type Flow =
  | { flow: 'newwish'; step: string; draft: Record<string, unknown> }
  | { flow: 'amount'; wishId: string }
  | { flow: 'profileName' }
  | { flow: 'thanks'; wishId: string }
  /** The resident pressed "Ask for changes": their next words go to the worker. */
  | { flow: 'consentChanges'; wishId: string }
  /** /offer: what, where, when, how often, who, then the name (typed). */
  | { flow: 'offer'; step: 'what' | 'where' | 'when' | 'often' | 'kind' | 'name'; draft: { communityId: string; offers: string[]; areaIds: string[]; weekdays: string[]; perMonth?: number; kind?: ResourceKind } }
  /** Intake in their own words; the words are kept in `draft.notes`, sealed at rest like a wizard's notes. */
  | { flow: 'intake'; step: 'words' | 'w' | 'u' | 'm' | 'h'; communityId: string; draft: Record<string, unknown>; onBehalf?: boolean };

export function sessionKey(userId: number): string {
  return `u:${userId}`;
}
