// A local stand-in for the Telegram Bot API: records every call and answers the way Telegram does
// (Message objects with per-chat ids, the 400/403/409/429 errors with Telegram's descriptions, long
// polling), so the real telegraf bot and the real sender can run against it in tests and benchmarks.
//
//   const tg = await startFakeTelegram();
//   const bot = new Telegraf(tg.token, { telegram: { apiRoot: tg.apiRoot } });
//   new Telegram(tg.token, { apiRoot: tg.apiRoot });
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { ApiError, badRequest, forbidden } from './errors';
import { parseHtml, trimFormatted, type FormattedText } from './html';
import { checkReplyMarkup, checkWebAppUrl, sameMarkup } from './markup';
import { recordGroupCall } from '../support/privacy-record';
import { createRateWindows, TELEGRAM_LIMITS, type RateLimits, type RateWindows } from './rate-limit';
import type { BotInfo, ChatMember, FakeTelegram, FakeTelegramOptions, HeldAnswers, HeldCall, Message, RecordedCall, TgChat, TgUser, Update } from './types';

export type {
  BotInfo,
  CallbackQuery,
  ChatMember,
  ChatMemberUpdated,
  FakeTelegram,
  FakeTelegramOptions,
  HeldAnswers,
  HeldCall,
  InlineKeyboardButton,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  RateLimitOptions,
  RecordedCall,
  TgChat,
  TgUser,
  Update,
} from './types';
export type { RateLimits, RateWindows } from './rate-limit';
export type { FormattedText } from './html';
export { createRateWindows, TELEGRAM_LIMITS } from './rate-limit';
export { parseHtml, trimFormatted } from './html';
export { ApiError } from './errors';

type Params = Record<string, unknown>;

/** Methods that count against Telegram's flood limits when `rateLimit` is on. */
const SENDING = new Set(['sendMessage', 'sendVoice', 'editMessageText', 'editMessageReplyMarkup', 'deleteMessage']);
/** Fields the Bot API reads as JSON when they arrive as strings (form posts, query strings). */
const JSON_FIELDS = new Set([
  'reply_markup',
  'reply_parameters',
  'link_preview_options',
  'entities',
  'caption_entities',
  'commands',
  'scope',
  'allowed_updates',
  'menu_button',
]);
/** What getUpdates leaves out when allowed_updates is empty, as Telegram does. */
const NOT_BY_DEFAULT = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);
const NOT_MODIFIED = 'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message';
const QUERY_INVALID = 'query is too old and response timeout expired or query ID is invalid';

/** A UTF-16 string with a lone surrogate has no UTF-8 form: Telegram refuses it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NOT_UTF8 = 'strings must be encoded in UTF-8';
const isObject = (v: unknown): v is Params => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T>(v: T): T => structuredClone(v);
const unixNow = () => Math.floor(Date.now() / 1000);
const isTrue = (v: unknown) => v === true || v === 'true';

export function privateChatOf(user: TgUser): TgChat {
  return {
    id: user.id,
    type: 'private',
    first_name: user.first_name,
    ...(user.last_name ? { last_name: user.last_name } : {}),
    ...(user.username ? { username: user.username } : {}),
  };
}

/** A supergroup; `id` must be negative, as group ids are on Telegram (e.g. -1001234567890). */
export function groupChat(id: number, title: string): TgChat {
  if (!(id < 0)) throw new Error(`groupChat: group ids are negative, got ${id}`);
  return { id, type: 'supergroup', title };
}

interface Poller {
  offset: number;
  limit: number;
  /** The client already hung up (telegraf's bot.stop() aborts its poll). */
  gone(): boolean;
  /** Forgets the poll without answering it. */
  drop(): void;
  /** Answers the long poll now: with updates, or an error. Resolves once the answer is written. */
  finish(outcome: Update[] | ApiError): Promise<void>;
}

export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const token = opts.token ?? '123456:TEST-TOKEN';
  const latencyMs = opts.latencyMs ?? 0;
  const jitterMs = opts.jitterMs ?? 0;
  if (!(latencyMs >= 0 && jitterMs >= 0)) throw new Error('fake Telegram: latencyMs and jitterMs must be >= 0');
  const random = opts.random ?? Math.random;
  const botInfo: BotInfo = {
    id: opts.botId ?? 123456,
    is_bot: true,
    first_name: 'Micro-wish test bot',
    username: opts.botUsername ?? 'microwish_test_bot',
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
  };
  /** The bot as the `from` of its messages. */
  const botUser: TgUser = { id: botInfo.id, is_bot: true, first_name: botInfo.first_name, username: botInfo.username };
  const asked = typeof opts.rateLimit === 'object' ? opts.rateLimit : {};
  const limits: RateLimits | undefined = opts.rateLimit
    ? {
        globalPerSecond: asked.globalPerSecond ?? TELEGRAM_LIMITS.globalPerSecond,
        perGroupPerMinute: asked.perGroupPerMinute ?? TELEGRAM_LIMITS.perGroupPerMinute,
        perChatPerSecond: asked.perChatPerSecond ?? TELEGRAM_LIMITS.perChatPerSecond,
      }
    : undefined;
  let windows: RateWindows | undefined = limits ? createRateWindows(limits) : undefined;

  const calls: RecordedCall[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  let seq = 0;

  const started = new Set<number>();
  const blocked = new Set<number>();
  /** The bot's own status in groups, from pushed my_chat_member updates and leaveChat. */
  const botStatus = new Map<number, ChatMember['status']>();
  /** Other users' status per group (`chatId:userId`), set by tests; 'member' when not set. */
  const memberStatus = new Map<string, ChatMember['status']>();
  const chats = new Map<number, Map<number, Message>>();
  const nextMessageId = new Map<number, number>();
  const knownChats = new Map<number, TgChat>();
  const knownUsers = new Map<number, TgUser>();
  const issuedQueries = new Set<string>();
  const answeredQueries = new Set<string>();
  /** Queries of pushed updates, in order: each deserves exactly one answer. */
  const pushedQueries = new Set<string>();
  const commands = new Map<string, unknown[]>();
  let menuButton: unknown = { type: 'default' };
  /** Menu buttons set for one private chat, over the default. */
  const chatMenuButtons = new Map<number, unknown>();
  let webhook: { url: string; allowed_updates?: string[] } | undefined;

  let pending: Update[] = [];
  let allowedUpdates: string[] = [];
  let nextUpdateId = 1;
  let nextQueryId = 1;
  const pollers = new Set<Poller>();
  const latencyTimers = new Set<NodeJS.Timeout>();
  let closed = false;

  /** Calls held unanswered by hold(): each waits for its hold's release. */
  interface Hold {
    method: string;
    match: (params: Params) => boolean;
    released: boolean;
    waiting: Array<HeldCall & { go: () => void }>;
    arrivals: EventEmitter;
  }
  const holds = new Set<Hold>();

  // ---- chats, users, messages ---------------------------------------------------------------

  const chatOf = (id: number): TgChat => {
    const known = knownChats.get(id);
    if (known) return clone(known);
    if (id > 0) {
      const user = knownUsers.get(id);
      return user ? privateChatOf(user) : { id, type: 'private', first_name: `User ${id}` };
    }
    return { id, type: 'supergroup', title: `Group ${id}` };
  };
  const learnChat = (chat: unknown) => {
    if (isObject(chat) && typeof chat.id === 'number' && typeof chat.type === 'string') knownChats.set(chat.id, clone(chat) as TgChat);
  };
  const learnUser = (user: unknown) => {
    if (isObject(user) && typeof user.id === 'number' && user.is_bot !== true) knownUsers.set(user.id, clone(user) as TgUser);
  };
  const messagesOf = (chatId: number) => {
    let m = chats.get(chatId);
    if (!m) chats.set(chatId, (m = new Map()));
    return m;
  };
  const allocateMessageId = (chatId: number) => {
    const id = (nextMessageId.get(chatId) ?? 0) + 1;
    nextMessageId.set(chatId, id);
    return id;
  };
  const storeMessage = (msg: Message) => {
    messagesOf(msg.chat.id).set(msg.message_id, msg);
    if ((nextMessageId.get(msg.chat.id) ?? 0) < msg.message_id) nextMessageId.set(msg.chat.id, msg.message_id);
  };

  // ---- parameter checks ---------------------------------------------------------------------

  const chatIdOf = (p: Params): number => {
    const raw = p.chat_id;
    if (raw === undefined || raw === null || raw === '') throw badRequest('chat_id is empty');
    const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*-?\d+\s*$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(id) || id === 0) throw badRequest('chat not found');
    return id;
  };
  /** Telegram's refusals to write into a chat: private chats need Start and no block; groups need membership. */
  const mayWrite = (chatId: number) => {
    if (chatId > 0) {
      if (blocked.has(chatId)) throw forbidden('bot was blocked by the user');
      if (!started.has(chatId)) throw forbidden("bot can't initiate conversation with a user");
      return;
    }
    const status = botStatus.get(chatId);
    if (status === 'left' || status === 'kicked') {
      const kind = chatOf(chatId).type === 'group' ? 'group' : 'supergroup';
      throw forbidden(status === 'kicked' ? `bot was kicked from the ${kind} chat` : `bot is not a member of the ${kind} chat`);
    }
  };
  /** The text as Telegram stores it (entities parsed, whitespace trimmed), or its 400. */
  const formattedFrom = (p: Params): FormattedText => {
    const raw = typeof p.text === 'string' ? p.text : typeof p.text === 'number' ? String(p.text) : '';
    if (LONE_SURROGATE.test(raw)) throw badRequest(NOT_UTF8);
    const mode = typeof p.parse_mode === 'string' ? p.parse_mode.toLowerCase() : '';
    let ft: FormattedText;
    if (mode === 'html') ft = parseHtml(raw.replace(/\r/g, ''));
    else if (mode === '') ft = Array.isArray(p.entities) ? { text: raw, entities: clone(p.entities) as FormattedText['entities'] } : { text: raw.replace(/\r/g, ''), entities: [] };
    else if (mode === 'markdown' || mode === 'markdownv2') ft = { text: raw, entities: [] }; // accepted, not parsed by the fake
    else throw badRequest('unsupported parse_mode');
    ft = trimFormatted(ft);
    if (ft.text === '') throw badRequest('message text is empty');
    if ([...ft.text].length > 4096) throw badRequest('message is too long');
    return ft;
  };
  const messageIdOf = (p: Params): number => {
    if (p.inline_message_id !== undefined && p.chat_id === undefined) throw badRequest('MESSAGE_ID_INVALID');
    if (p.message_id === undefined || p.message_id === null || p.message_id === '') throw badRequest('message identifier is not specified');
    return Number(p.message_id);
  };
  const findMessage = (chatId: number, messageId: number, verb: 'edit' | 'delete'): Message => {
    const msg = chats.get(chatId)?.get(messageId);
    if (!msg) throw badRequest(`message to ${verb} not found`);
    return msg;
  };
  /** reply_parameters (or the older reply_to_message_id) as the reply_to_message of the new message. */
  /** A message sent into a forum's topic is in it; a thread id anywhere but a forum supergroup is refused. */
  const topicOf = (chatId: number, p: Params): Pick<Message, 'message_thread_id' | 'is_topic_message'> => {
    if (p.message_thread_id === undefined) return {};
    const thread = Number(p.message_thread_id);
    if (!Number.isSafeInteger(thread) || thread <= 0 || !chatOf(chatId).is_forum) throw badRequest('message thread not found');
    return { message_thread_id: thread, is_topic_message: true };
  };
  const replyTarget = (chatId: number, p: Params): Message | undefined => {
    const rp = isObject(p.reply_parameters)
      ? p.reply_parameters
      : p.reply_to_message_id !== undefined
        ? { message_id: p.reply_to_message_id, allow_sending_without_reply: p.allow_sending_without_reply }
        : undefined;
    if (!rp) return undefined;
    const inChat = rp.chat_id !== undefined ? chatIdOf({ chat_id: rp.chat_id }) : chatId;
    const target = chats.get(inChat)?.get(Number(rp.message_id));
    if (target) {
      const copy = clone(target);
      delete copy.reply_to_message;
      return copy;
    }
    if (isTrue(rp.allow_sending_without_reply)) return undefined;
    throw badRequest('message to be replied not found');
  };
  const commandsKey = (p: Params) => `${JSON.stringify(isObject(p.scope) ? p.scope : { type: 'default' })}|${typeof p.language_code === 'string' ? p.language_code : ''}`;

  // ---- methods ------------------------------------------------------------------------------

  const handlers: Record<string, (p: Params) => unknown> = {
    getMe: () => clone(botInfo),
    logOut: () => true,
    close: () => true,
    setMyCommands: (p) => {
      if (!Array.isArray(p.commands)) throw badRequest('parameter "commands" is required');
      if (p.commands.length > 100) throw badRequest('BOT_COMMANDS_TOO_MUCH');
      for (const c of p.commands as unknown[]) {
        if (!isObject(c) || typeof c.command !== 'string' || !/^\/?[a-z0-9_]{1,32}$/.test(c.command)) throw badRequest('BOT_COMMAND_INVALID');
        if (typeof c.description !== 'string' || c.description.trim() === '' || [...c.description].length > 256) throw badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      }
      const list = (p.commands as Array<{ command: string; description: string }>).map((c) => ({ command: c.command.replace(/^\//, ''), description: c.description }));
      if (list.length === 0) commands.delete(commandsKey(p));
      else commands.set(commandsKey(p), list);
      return true;
    },
    getMyCommands: (p) => clone(commands.get(commandsKey(p)) ?? []),
    deleteMyCommands: (p) => (commands.delete(commandsKey(p)), true),
    setWebhook: (p) => {
      const url = typeof p.url === 'string' ? p.url.trim() : '';
      if (url === '') webhook = undefined;
      else if (!/^https:\/\/[^\s/]+/i.test(url)) throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
      else webhook = { url, ...(Array.isArray(p.allowed_updates) ? { allowed_updates: p.allowed_updates as string[] } : {}) };
      if (isTrue(p.drop_pending_updates)) pending = [];
      return true;
    },
    deleteWebhook: (p) => {
      webhook = undefined;
      if (isTrue(p.drop_pending_updates)) pending = [];
      return true;
    },
    getWebhookInfo: () => ({
      url: webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: pending.length,
      ...(webhook?.allowed_updates ? { allowed_updates: webhook.allowed_updates } : {}),
    }),
    setChatMenuButton: (p) => {
      const button = isObject(p.menu_button) ? clone(p.menu_button) : { type: 'default' };
      if (isObject(button) && button.type === 'web_app') checkWebAppUrl((button.web_app as { url?: unknown } | undefined)?.url);
      if (p.chat_id === undefined) menuButton = button;
      else {
        const chatId = chatIdOf(p);
        if (chatId < 0) throw badRequest('chat not found'); // only private chats have a menu button of their own
        chatMenuButtons.set(chatId, button);
      }
      return true;
    },
    getChatMenuButton: (p) => clone(p.chat_id === undefined ? menuButton : (chatMenuButtons.get(chatIdOf(p)) ?? menuButton)),
    sendChatAction: (p) => {
      mayWrite(chatIdOf(p));
      return true;
    },
    leaveChat: (p) => {
      const chatId = chatIdOf(p);
      if (chatId > 0) throw badRequest('chat member status can\'t be changed in private chats');
      botStatus.set(chatId, 'left');
      return true;
    },
    getChat: (p) => ({ ...chatOf(chatIdOf(p)), accent_color_id: 0, max_reaction_count: 11 }),
    getChatMember: (p) => {
      const chatId = chatIdOf(p);
      const userId = Number(p.user_id);
      if (!Number.isSafeInteger(userId) || userId <= 0) throw badRequest('PARTICIPANT_ID_INVALID');
      if (userId === botInfo.id) return { status: botStatus.get(chatId) ?? 'member', user: clone(botUser) };
      const status = memberStatus.get(`${chatId}:${userId}`) ?? 'member';
      return { status, user: clone(knownUsers.get(userId) ?? { id: userId, is_bot: false, first_name: `User ${userId}` }) };
    },
    sendMessage: (p) => {
      const chatId = chatIdOf(p);
      mayWrite(chatId);
      const { text, entities } = formattedFrom(p);
      const markup = checkReplyMarkup(p.reply_markup, false);
      const replyTo = replyTarget(chatId, p);
      const msg: Message = {
        message_id: allocateMessageId(chatId),
        from: clone(botUser),
        chat: chatOf(chatId),
        date: unixNow(),
        ...topicOf(chatId, p),
        ...(replyTo ? { reply_to_message: replyTo } : {}),
        text,
        ...(entities.length > 0 ? { entities } : {}),
        ...(markup ? { reply_markup: markup } : {}),
      };
      storeMessage(msg);
      return clone(msg);
    },
    // A voice by a file id the fake takes on trust (no uploads); its caption is parsed as a text is.
    sendVoice: (p) => {
      const chatId = chatIdOf(p);
      mayWrite(chatId);
      if (typeof p.voice !== 'string' || p.voice === '') throw badRequest('there is no voice in the request');
      const caption = typeof p.caption === 'string' && p.caption.trim() !== '' ? formattedFrom({ ...p, text: p.caption }) : undefined;
      if (caption && [...caption.text].length > 1024) throw badRequest('message caption is too long');
      const markup = checkReplyMarkup(p.reply_markup, false);
      const msg: Message = {
        message_id: allocateMessageId(chatId),
        from: clone(botUser),
        chat: chatOf(chatId),
        date: unixNow(),
        voice: { file_id: p.voice },
        ...(caption ? { caption: caption.text, ...(caption.entities.length > 0 ? { caption_entities: caption.entities } : {}) } : {}),
        ...(markup ? { reply_markup: markup } : {}),
      };
      storeMessage(msg);
      return clone(msg);
    },
    editMessageText: (p) => {
      const chatId = chatIdOf(p);
      mayWrite(chatId);
      const msg = findMessage(chatId, messageIdOf(p), 'edit');
      if (msg.from?.id !== botInfo.id) throw badRequest("message can't be edited");
      if (msg.text === undefined) throw badRequest('there is no text in the message to edit');
      const { text, entities } = formattedFrom(p);
      // Without reply_markup, the edit removes the inline keyboard, as on Telegram.
      const markup = checkReplyMarkup(p.reply_markup, true);
      if (msg.text === text && JSON.stringify(msg.entities ?? []) === JSON.stringify(entities) && sameMarkup(msg.reply_markup, markup)) throw badRequest(NOT_MODIFIED);
      msg.text = text;
      if (entities.length > 0) msg.entities = entities;
      else delete msg.entities;
      if (markup) msg.reply_markup = markup;
      else delete msg.reply_markup;
      msg.edit_date = unixNow();
      return clone(msg);
    },
    editMessageReplyMarkup: (p) => {
      const chatId = chatIdOf(p);
      mayWrite(chatId);
      const msg = findMessage(chatId, messageIdOf(p), 'edit');
      if (msg.from?.id !== botInfo.id) throw badRequest("message can't be edited");
      const markup = checkReplyMarkup(p.reply_markup, true);
      if (sameMarkup(msg.reply_markup, markup)) throw badRequest(NOT_MODIFIED);
      if (markup) msg.reply_markup = markup;
      else delete msg.reply_markup;
      msg.edit_date = unixNow();
      return clone(msg);
    },
    deleteMessage: (p) => {
      const chatId = chatIdOf(p);
      const messageId = messageIdOf(p);
      findMessage(chatId, messageId, 'delete');
      chats.get(chatId)!.delete(messageId);
      return true;
    },
    answerCallbackQuery: (p) => {
      const id = typeof p.callback_query_id === 'string' || typeof p.callback_query_id === 'number' ? String(p.callback_query_id) : '';
      if (!issuedQueries.has(id) || answeredQueries.has(id)) throw badRequest(QUERY_INVALID);
      if (typeof p.text === 'string' && LONE_SURROGATE.test(p.text)) throw badRequest(NOT_UTF8);
      if (typeof p.text === 'string' && [...p.text].length > 200) throw badRequest('MESSAGE_TOO_LONG');
      answeredQueries.add(id);
      return true;
    },
  };
  const canonical = new Map([...Object.keys(handlers), 'getUpdates'].map((m) => [m.toLowerCase(), m]));

  // ---- recording ----------------------------------------------------------------------------

  /** Writes the Bot API answer, records the call and tells the listeners; resolves once the answer is written. */
  function respond(res: Response, method: string, params: Params, outcome: { result: unknown } | ApiError): Promise<void> {
    const call: RecordedCall = { seq: ++seq, method, params, at: Date.now(), ok: !(outcome instanceof ApiError) };
    const written = new Promise<void>((resolve) => {
      res.once('finish', () => resolve());
      res.once('close', () => resolve());
    });
    if (outcome instanceof ApiError) {
      call.errorCode = outcome.code;
      call.description = outcome.description;
      const body = { ok: false, error_code: outcome.code, description: outcome.description, ...(outcome.parameters ? { parameters: outcome.parameters } : {}) };
      if (!res.destroyed) res.status(outcome.code).json(body);
    } else {
      call.result = outcome.result;
      if (!res.destroyed) res.status(200).json({ ok: true, result: outcome.result });
    }
    calls.push(call);
    recordGroupCall(method, params);
    events.emit('call', call);
    return res.destroyed || res.writableFinished ? Promise.resolve() : written;
  }

  // ---- getUpdates ---------------------------------------------------------------------------

  const kindOf = (u: Update) => Object.keys(u).find((k) => k !== 'update_id');
  const isAllowed = (u: Update) => {
    const kind = kindOf(u);
    if (kind === undefined) return true;
    return allowedUpdates.length > 0 ? allowedUpdates.includes(kind) : !NOT_BY_DEFAULT.has(kind);
  };
  /** Confirms everything before `offset` (or keeps the last -offset), drops what allowed_updates excludes, returns up to `limit`. */
  function takeUpdates(offset: number, limit: number): Update[] {
    if (offset > 0) pending = pending.filter((u) => u.update_id >= offset);
    else if (offset < 0) pending = pending.slice(offset);
    pending = pending.filter(isAllowed);
    return pending.slice(0, limit);
  }

  function getUpdates(res: Response, params: Params): void {
    if (webhook) {
      void respond(res, 'getUpdates', params, new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"));
      return;
    }
    // Only one getUpdates at a time: a newer one ends the one still waiting, as on Telegram.
    for (const other of [...pollers]) {
      if (other.gone()) other.drop();
      else void other.finish(new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    }
    if (params.allowed_updates !== undefined) {
      const list = Array.isArray(params.allowed_updates) ? params.allowed_updates : [];
      allowedUpdates = list.filter((x): x is string => typeof x === 'string');
    }
    const offset = Math.trunc(Number(params.offset ?? 0)) || 0;
    const limit = Math.min(100, Math.max(1, Math.trunc(Number(params.limit ?? 100)) || 100));
    const timeout = Math.min(50, Math.max(0, Number(params.timeout ?? 0) || 0));
    const updates = takeUpdates(offset, limit);
    if (updates.length > 0 || timeout === 0 || closed) {
      void respond(res, 'getUpdates', params, { result: clone(updates) });
      return;
    }
    let done = false;
    const poller: Poller = {
      offset,
      limit,
      gone: () => res.destroyed || res.socket === null || res.socket.destroyed,
      drop() {
        done = true;
        clearTimeout(timer);
        pollers.delete(poller);
      },
      finish(outcome) {
        if (done) return Promise.resolve();
        poller.drop();
        return respond(res, 'getUpdates', params, outcome instanceof ApiError ? outcome : { result: clone(outcome) });
      },
    };
    const timer = setTimeout(() => void poller.finish(takeUpdates(offset, limit)), timeout * 1000);
    // The client gave up: nobody to answer.
    res.on('close', () => {
      if (!done && !res.writableFinished) poller.drop();
    });
    pollers.add(poller);
    events.emit('poll');
  }

  /** Answers waiting long polls once the current burst of pushUpdate calls is queued. */
  let wakeScheduled = false;
  function wakePollers() {
    if (wakeScheduled) return;
    wakeScheduled = true;
    queueMicrotask(() => {
      wakeScheduled = false;
      for (const p of [...pollers]) {
        const updates = takeUpdates(p.offset, p.limit);
        if (updates.length > 0) void p.finish(updates);
      }
    });
  }

  // ---- the server ---------------------------------------------------------------------------

  const paramsOf = (req: Request): Params => {
    const params: Params = { ...(req.query as Params), ...(isObject(req.body) ? req.body : {}) };
    for (const [k, v] of Object.entries(params)) {
      if (!JSON_FIELDS.has(k) || typeof v !== 'string') continue;
      try {
        params[k] = JSON.parse(v);
      } catch {
        // left as the string; the method's checks answer it
      }
    }
    return params;
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '10mb' }));
  app.use(express.urlencoded({ extended: false, limit: '10mb' }));
  app.all('/bot:token/:method', async (req: Request, res: Response) => {
    const params = paramsOf(req);
    // The way there: only now has the request "arrived", to be counted and answered.
    const delayMs = latencyMs + (jitterMs > 0 ? random() * 2 * jitterMs : 0);
    if (delayMs > 0) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(() => {
          latencyTimers.delete(t);
          resolve();
        }, delayMs);
        latencyTimers.add(t);
      });
    }
    const asked = String(req.params.method);
    if (req.params.token !== token) {
      void respond(res, asked, params, new ApiError(401, 'Unauthorized'));
      return;
    }
    const method = canonical.get(asked.toLowerCase());
    if (!method) {
      void respond(res, asked, params, new ApiError(404, 'Not Found: method not found'));
      return;
    }
    if (method === 'getUpdates') {
      getUpdates(res, params);
      return;
    }
    const hold = [...holds].find((h) => !h.released && h.method === method && h.match(params));
    if (hold) {
      const gone = new Promise<void>((resolve) => {
        if (res.destroyed) resolve();
        res.once('close', () => resolve());
      });
      await new Promise<void>((go) => {
        hold.waiting.push({ params, gone, go });
        hold.arrivals.emit('held');
      });
      // The caller died or gave up while its request was held: the call never got through.
      if (res.destroyed || res.socket === null || res.socket.destroyed) return;
    }
    let outcome: { result: unknown } | ApiError;
    try {
      if (windows && SENDING.has(method)) {
        const retryAfter = windows.take(chatIdOf(params), Date.now());
        if (retryAfter > 0) throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
      }
      outcome = { result: handlers[method]!(params) };
    } catch (err) {
      outcome = err instanceof ApiError ? err : new ApiError(500, `Internal Server Error: ${err instanceof Error ? err.message : String(err)}`);
    }
    void respond(res, method, params, outcome);
  });
  app.use((_req: Request, res: Response) => {
    res.status(404).json({ ok: false, error_code: 404, description: 'Not Found' });
  });
  // Bodies that are not JSON (or not parseable) get the Bot API's 400 rather than express's HTML page.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const status = isObject(err) && typeof err.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    const what = err instanceof Error ? err.message : String(err);
    res.status(status).json({ ok: false, error_code: status, description: status === 400 ? `Bad Request: can't parse request body: ${what}` : `Error: ${what}` });
  });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(opts.port ?? 0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // ---- the test-facing side -----------------------------------------------------------------

  function waitForCalls(predicate: (c: RecordedCall) => boolean, count: number, timeoutMs = 10_000): Promise<RecordedCall[]> {
    return new Promise((resolve, reject) => {
      const found = calls.filter(predicate);
      if (found.length >= count) {
        resolve(found.slice(0, count));
        return;
      }
      const listener = (c: RecordedCall) => {
        let matches: boolean;
        try {
          matches = predicate(c);
        } catch (err) {
          cleanup();
          reject(err);
          return;
        }
        if (!matches) return;
        found.push(c);
        if (found.length >= count) {
          cleanup();
          resolve(found.slice(0, count));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const last = calls
          .slice(-10)
          .map((c) => `  #${c.seq} ${c.method} ${c.ok ? 'ok' : `${c.errorCode} ${c.description}`} ${JSON.stringify(c.params).slice(0, 300)}`);
        reject(new Error(`fake Telegram: expected ${count} matching call(s), saw ${found.length} in ${timeoutMs} ms. Last calls:\n${last.join('\n') || '  (none)'}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        events.off('call', listener);
      };
      events.on('call', listener);
    });
  }

  function pushUpdate(update: object): Update {
    const given = update as Partial<Update>;
    const u = { ...update, update_id: typeof given.update_id === 'number' ? given.update_id : nextUpdateId++ } as Update;
    if (u.update_id >= nextUpdateId) nextUpdateId = u.update_id + 1;

    // What Telegram knows once this update exists.
    for (const m of [u.message, u.edited_message]) {
      if (!isObject(m) || !isObject(m.chat)) continue;
      learnChat(m.chat);
      learnUser(m.from);
      // Someone who writes to the bot in private has started it (and cannot have it blocked).
      if (m.chat.type === 'private' && isObject(m.from)) {
        started.add(m.from.id as number);
        blocked.delete(m.from.id as number);
      }
      if (u.message === m && typeof m.message_id === 'number' && !chats.get(m.chat.id)?.has(m.message_id)) storeMessage(clone(m));
    }
    if (isObject(u.callback_query)) {
      issuedQueries.add(String(u.callback_query.id));
      pushedQueries.add(String(u.callback_query.id));
      learnUser(u.callback_query.from);
    }
    const member = u.my_chat_member;
    if (isObject(member) && isObject(member.chat) && isObject(member.new_chat_member)) {
      learnChat(member.chat);
      const status = member.new_chat_member.status;
      if (member.chat.type === 'private') {
        // In private, 'kicked' is how Telegram reports that the user blocked the bot.
        if (status === 'kicked') blocked.add(member.chat.id);
        else if (status === 'member') {
          blocked.delete(member.chat.id);
          started.add(member.chat.id);
        }
      } else botStatus.set(member.chat.id, status);
    }

    pending.push(u);
    pending.sort((a, b) => a.update_id - b.update_id);
    wakePollers();
    return u;
  }

  const fake: FakeTelegram = {
    apiRoot,
    token,
    botInfo,
    calls,
    callsOf: (method) => calls.filter((c) => c.method === method),
    startUser(userId) {
      started.add(userId);
      blocked.delete(userId);
    },
    blockUser(userId) {
      blocked.add(userId);
    },
    setMemberStatus(chatId, userId, status) {
      memberStatus.set(`${chatId}:${userId}`, status);
    },
    chatMessages: (chatId) => [...(chats.get(chatId)?.values() ?? [])].sort((a, b) => a.message_id - b.message_id).map(clone),
    message: (chatId, messageId) => {
      const m = chats.get(chatId)?.get(messageId);
      return m && clone(m);
    },
    pushUpdate,
    textUpdate(from, chat, text) {
      const command = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?/.exec(text);
      const message: Message = {
        message_id: allocateMessageId(chat.id),
        from: { is_bot: false, ...from },
        chat: clone(chat),
        date: unixNow(),
        text,
        ...(command ? { entities: [{ type: 'bot_command', offset: 0, length: command[0].length }] } : {}),
      };
      return { update_id: nextUpdateId++, message };
    },
    callbackUpdate(from, message, data) {
      const id = String(4_200_000_000_000_000n + BigInt(botInfo.id) * 1_000_000n + BigInt(nextQueryId++));
      issuedQueries.add(id);
      const stored = chats.get(message.chat.id)?.get(message.message_id);
      return {
        update_id: nextUpdateId++,
        callback_query: {
          id,
          from: { is_bot: false, ...from },
          message: clone(stored ?? (message as Message)),
          chat_instance: String(-(BigInt(message.chat.id) * 7_919n + 1_000_003n)),
          data,
        },
      };
    },
    myChatMemberUpdate(chat, from, newStatus) {
      const old: ChatMember['status'] = newStatus === 'member' || newStatus === 'administrator' ? 'left' : 'member';
      const rights =
        newStatus === 'administrator'
          ? {
              can_be_edited: false,
              is_anonymous: false,
              can_manage_chat: true,
              can_delete_messages: true,
              can_manage_video_chats: false,
              can_restrict_members: false,
              can_promote_members: false,
              can_change_info: false,
              can_invite_users: true,
              can_post_stories: false,
              can_edit_stories: false,
              can_delete_stories: false,
              can_pin_messages: true,
            }
          : newStatus === 'kicked'
            ? { until_date: 0 }
            : {};
      return {
        update_id: nextUpdateId++,
        my_chat_member: {
          chat: clone(chat),
          from: { is_bot: false, ...from },
          date: unixNow(),
          old_chat_member: { status: old, user: clone(botUser) },
          new_chat_member: { status: newStatus, user: clone(botUser), ...rights },
        },
      };
    },
    waitForCall: (predicate, timeoutMs) => waitForCalls(predicate, 1, timeoutMs).then((found) => found[0]!),
    waitForCalls,
    waitForPoll(timeoutMs = 10_000) {
      if ([...pollers].some((p) => !p.gone())) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onPoll = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          events.off('poll', onPoll);
          reject(new Error(`fake Telegram: no getUpdates long poll arrived in ${timeoutMs} ms`));
        }, timeoutMs);
        events.once('poll', onPoll);
      });
    },
    onCall(listener) {
      // A listener that throws (a failed expect) must not break the answer to the bot: it surfaces as an uncaught error.
      const guarded = (c: RecordedCall) => {
        try {
          listener(c);
        } catch (err) {
          process.nextTick(() => {
            throw err;
          });
        }
      };
      events.on('call', guarded);
      return () => void events.off('call', guarded);
    },
    answersTo: (queryId) => calls.filter((c) => c.method === 'answerCallbackQuery' && String(c.params.callback_query_id) === queryId),
    callbackAnswers() {
      const tries = new Map<string, number>();
      for (const c of calls) {
        if (c.method !== 'answerCallbackQuery') continue;
        const id = String(c.params.callback_query_id);
        tries.set(id, (tries.get(id) ?? 0) + 1);
      }
      const pushed = [...pushedQueries];
      return {
        pushed: pushed.length,
        unanswered: pushed.filter((id) => !answeredQueries.has(id)),
        twice: [...tries].filter(([, n]) => n > 1).map(([id]) => id),
      };
    },
    stats() {
      const byMethod: Record<string, number> = {};
      let tooManyRequests = 0;
      for (const c of calls) {
        byMethod[c.method] = (byMethod[c.method] ?? 0) + 1;
        if (c.errorCode === 429) tooManyRequests++;
      }
      return { total: calls.length, tooManyRequests, byMethod };
    },
    reset() {
      calls.length = 0;
      chats.clear();
      nextMessageId.clear();
      windows = limits ? createRateWindows(limits) : undefined;
    },
    hold(method, match = () => true) {
      const h: Hold = { method, match, released: false, waiting: [], arrivals: new EventEmitter() };
      holds.add(h);
      let taken = 0;
      const handle: HeldAnswers = {
        get count() {
          return h.waiting.length;
        },
        next(timeoutMs = 10_000) {
          const index = taken++;
          const have = h.waiting[index];
          if (have) return Promise.resolve({ params: have.params, gone: have.gone });
          return new Promise((resolve, reject) => {
            const onHeld = () => {
              const got = h.waiting[index];
              if (!got) return;
              clearTimeout(timer);
              h.arrivals.off('held', onHeld);
              resolve({ params: got.params, gone: got.gone });
            };
            const timer = setTimeout(() => {
              h.arrivals.off('held', onHeld);
              reject(new Error(`fake Telegram: no ${method} call was held in ${timeoutMs} ms`));
            }, timeoutMs);
            h.arrivals.on('held', onHeld);
          });
        },
        release() {
          h.released = true;
          holds.delete(h);
          for (const w of h.waiting) w.go();
        },
      };
      return handle;
    },
    close: () => (closing ??= shutDown()),
  };

  let closing: Promise<void> | undefined;
  async function shutDown() {
    closed = true;
    for (const h of holds) for (const w of h.waiting) w.go();
    holds.clear();
    for (const t of latencyTimers) clearTimeout(t);
    latencyTimers.clear();
    // Waiting long polls get an empty answer first, so a polling client sees a clean end.
    await Promise.all([...pollers].map((p) => (p.gone() ? p.drop() : p.finish([]))));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  return fake;
}
