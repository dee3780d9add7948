// Bot API shapes the fake Telegram server speaks, kept minimal: only what the fake builds or stores.

export type TgUser = { id: number; is_bot?: boolean; first_name: string; last_name?: string; username?: string; language_code?: string };
export type TgChat = { id: number; type: 'private' | 'group' | 'supergroup'; title?: string; first_name?: string; last_name?: string; username?: string; is_forum?: boolean };

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
}

export interface InlineKeyboardButton {
  text: string;
  callback_data?: string;
  url?: string;
  [field: string]: unknown;
}

export interface InlineKeyboardMarkup {
  inline_keyboard: InlineKeyboardButton[][];
}

export interface Message {
  message_id: number;
  from?: TgUser;
  chat: TgChat;
  date: number;
  edit_date?: number;
  /** In a forum supergroup: the topic the message is in (absent in its General topic). */
  message_thread_id?: number;
  is_topic_message?: boolean;
  text?: string;
  entities?: MessageEntity[];
  /** A voice message (sendVoice): its file id as given, and its caption. */
  voice?: { file_id: string };
  caption?: string;
  caption_entities?: MessageEntity[];
  reply_markup?: InlineKeyboardMarkup;
  reply_to_message?: Message;
}

export interface CallbackQuery {
  id: string;
  from: TgUser;
  message?: Message;
  chat_instance: string;
  data?: string;
}

export interface ChatMember {
  status: 'creator' | 'administrator' | 'member' | 'restricted' | 'left' | 'kicked';
  user: TgUser;
  [field: string]: unknown;
}

export interface ChatMemberUpdated {
  chat: TgChat;
  from: TgUser;
  date: number;
  old_chat_member: ChatMember;
  new_chat_member: ChatMember;
}

export interface Update {
  update_id: number;
  message?: Message;
  edited_message?: Message;
  callback_query?: CallbackQuery;
  my_chat_member?: ChatMemberUpdated;
  chat_member?: ChatMemberUpdated;
  [kind: string]: unknown;
}

export interface RecordedCall {
  /** 1, 2, 3… in the order calls were answered; never reused, not even after reset(). */
  seq: number;
  method: string;
  /** The request's parameters (query string and body), JSON-valued form fields parsed. */
  params: Record<string, unknown>;
  /** Date.now() when the call was answered. */
  at: number;
  ok: boolean;
  errorCode?: number;
  description?: string;
  result?: unknown;
}

export interface RateLimitOptions {
  globalPerSecond?: number;
  perGroupPerMinute?: number;
  perChatPerSecond?: number;
}

export interface FakeTelegramOptions {
  /** Default '123456:TEST-TOKEN'. */
  token?: string;
  /** Default 123456. */
  botId?: number;
  /** Default 'microwish_test_bot'. */
  botUsername?: string;
  /** Telegram's flood limits on sending methods; off by default. `true` means 30/s overall, 20/min per group, 1/s per chat. */
  rateLimit?: boolean | RateLimitOptions;
  /** Milliseconds the server waits before answering each call, as a network round trip would. Default 0. */
  latencyMs?: number;
  /**
   * Network jitter: each request waits a further random 0..2 x jitterMs (so ±jitterMs around a mean of
   * jitterMs) BEFORE it is counted against the rate windows and answered, so requests arrive reordered
   * and bunched as on a real network, and Telegram's limits hold at arrival, not at sending. Default 0.
   */
  jitterMs?: number;
  /** The random source of the jitter (0 <= r < 1), for reproducible runs; default Math.random. */
  random?: () => number;
  /** The Bot API's port on 127.0.0.1 (`apiRoot`); default 0, any free port. */
  port?: number;
}

export interface HeldCall {
  params: Record<string, unknown>;
  /** Resolves once the caller has hung up (killed, aborted); such a call is dropped on release. */
  gone: Promise<void>;
}

export interface HeldAnswers {
  /** How many calls are held now. */
  readonly count: number;
  /** The next held call (the first, then the second, ...), once it is held; rejects after timeoutMs (default 10000). */
  next(timeoutMs?: number): Promise<HeldCall>;
  /** Lets every held call through (and later ones pass unheld). */
  release(): void;
}

export interface BotInfo {
  id: number;
  is_bot: true;
  first_name: string;
  username: string;
  can_join_groups: true;
  can_read_all_group_messages: false;
  supports_inline_queries: false;
}

export interface FakeTelegram {
  /** e.g. 'http://127.0.0.1:43121': telegraf's `telegram.apiRoot` option. */
  apiRoot: string;
  token: string;
  botInfo: BotInfo;
  /** Every call, in order, failed ones included (getUpdates too). */
  calls: RecordedCall[];
  callsOf(method: string): RecordedCall[];
  /** The user pressed Start: the bot may write to them in private. Also unblocks. */
  startUser(userId: number): void;
  /** Later private sends to this user answer 403 'Forbidden: bot was blocked by the user'. */
  blockUser(userId: number): void;
  /**
   * A user's status in a group, as getChatMember answers it (default 'member'): e.g. 'administrator'
   * or 'creator' for the group's Telegram administrators.
   */
  setMemberStatus(chatId: number, userId: number, status: ChatMember['status']): void;
  /** Messages currently in a chat (the bot's and those built by textUpdate), edits applied; copies. */
  chatMessages(chatId: number): Message[];
  message(chatId: number, messageId: number): Message | undefined;
  /**
   * Queues an update for getUpdates (assigns update_id if absent) and returns it. As on Telegram, a
   * private message from a user starts (and unblocks) them; a private my_chat_member 'kicked' blocks them;
   * a group my_chat_member 'left'/'kicked' makes later sends to that group 403 until 'member' again.
   */
  pushUpdate(update: object): Update;
  /** Builds (does not queue) a message update; a leading /command gets a bot_command entity. */
  textUpdate(from: TgUser, chat: TgChat, text: string): Update;
  /** Builds (does not queue) a button press on `message`; its id is one answerCallbackQuery accepts once. */
  callbackUpdate(from: TgUser, message: Pick<Message, 'message_id'> & { chat: { id: number } }, data: string): Update;
  /** Builds (does not queue) the bot's own membership change in `chat`, made by `from`. */
  myChatMemberUpdate(chat: TgChat, from: TgUser, newStatus: 'member' | 'administrator' | 'left' | 'kicked'): Update;
  /** The first call (already recorded or future) matching; rejects after timeoutMs (default 10000) listing the last calls. */
  waitForCall(predicate: (c: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  /** The first `count` calls matching, once there are that many. */
  waitForCalls(predicate: (c: RecordedCall) => boolean, count: number, timeoutMs?: number): Promise<RecordedCall[]>;
  /** Resolves once a getUpdates long poll is waiting at the server (now or later); rejects after timeoutMs (default 10000). */
  waitForPoll(timeoutMs?: number): Promise<void>;
  /**
   * Holds calls of `method` (those whose parameters `match`, default all) unanswered until `release()`,
   * as a slow network would, so a test can act while the bot is provably mid-way through a handler.
   * A held call whose caller has gone by then (killed, aborted) is dropped: it never reached Telegram.
   */
  hold(method: string, match?: (params: Record<string, unknown>) => boolean): HeldAnswers;
  /** Called with each call as it is answered; returns the unsubscribe function. */
  onCall(listener: (c: RecordedCall) => void): () => void;
  /** Every answerCallbackQuery call for this query id (accepted and refused), in order. */
  answersTo(queryId: string): RecordedCall[];
  /**
   * Button presses of pushed updates: how many, those never answered, and those the bot tried to answer
   * more than once (Telegram refuses the second with 400 "query is too old ... or query ID is invalid").
   */
  callbackAnswers(): { pushed: number; unanswered: string[]; twice: string[] };
  stats(): { total: number; tooManyRequests: number; byMethod: Record<string, number> };
  /** Clears calls, messages, rate windows; keeps started/blocked users, pending updates and issued callback queries. */
  reset(): void;
  /** Answers pending long polls with [] and stops the server. */
  close(): Promise<void>;
}
