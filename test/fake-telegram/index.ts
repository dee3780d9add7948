// A local stand-in for the Telegram Bot API: records every call and answers the way Telegram does
// (Message objects with ids, 400/403/429 errors with Telegram's descriptions), so the real telegraf
// bot and the real sender can run against it in tests and benchmarks.
import { EventEmitter } from 'node:events';
import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import express from 'express';
import { createRateWindows, RateLimits, TELEGRAM_LIMITS } from './rate-limit';

export type TgUser = { id: number; is_bot?: boolean; first_name: string; last_name?: string; username?: string; language_code?: string };
export type TgChat = { id: number; type: 'private' | 'group' | 'supergroup'; title?: string; first_name?: string; username?: string };
export interface Message {
  message_id: number;
  from?: TgUser;
  chat: TgChat;
  date: number;
  edit_date?: number;
  text?: string;
  entities?: Array<{ type: string; offset: number; length: number }>;
  reply_markup?: { inline_keyboard: Array<Array<Record<string, unknown>>> };
}
export type Update = { update_id: number } & Record<string, unknown>;
export interface RecordedCall {
  seq: number;
  method: string;
  params: Record<string, unknown>;
  at: number;
  ok: boolean;
  errorCode?: number;
  description?: string;
  result?: unknown;
}
export interface FakeTelegramOptions {
  token?: string;
  botId?: number;
  botUsername?: string;
  rateLimit?: boolean | Partial<RateLimits>;
  /** Milliseconds each call takes, as a real network round trip would. */
  latencyMs?: number;
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

const SENDING = new Set(['sendMessage', 'editMessageText', 'editMessageReplyMarkup', 'deleteMessage']);
const ALLOWED_TAGS = new Set(['b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'a', 'code', 'pre', 'tg-spoiler', 'blockquote', 'span']);

/** Checks Telegram HTML the way the Bot API does and returns the plain text. */
export function parseHtml(html: string): string {
  const stack: string[] = [];
  const tagRe = /<\/?([a-zA-Z-]+)[^>]*>/g;
  for (const m of html.matchAll(tagRe)) {
    const name = m[1]!.toLowerCase();
    if (!ALLOWED_TAGS.has(name)) throw new ApiError(400, `Bad Request: can't parse entities: Unsupported start tag "${name}" at byte offset ${m.index}`);
    if (m[0].startsWith('</')) {
      if (stack.pop() !== name) throw new ApiError(400, `Bad Request: can't parse entities: Unexpected end tag at byte offset ${m.index}`);
    } else stack.push(name);
  }
  if (stack.length > 0) throw new ApiError(400, `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${stack.at(-1)}"`);
  const withoutTags = html.replace(tagRe, '');
  if (/<|&(?!(lt|gt|amp|quot|#\d+);)/.test(withoutTags)) {
    throw new ApiError(400, `Bad Request: can't parse entities: Unsupported start tag or unescaped character`);
  }
  return withoutTags.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&');
}

function parseMaybeJson(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  if (!(s.startsWith('{') || s.startsWith('['))) return v;
  try {
    return JSON.parse(s);
  } catch {
    return v;
  }
}

function checkKeyboard(markup: unknown): void {
  const rows = (markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard;
  if (markup === undefined) return;
  if (!Array.isArray(rows)) throw new ApiError(400, 'Bad Request: inline keyboard expected');
  for (const row of rows) {
    if (!Array.isArray(row)) throw new ApiError(400, 'Bad Request: inline keyboard expected');
    for (const b of row as Array<Record<string, unknown>>) {
      if (typeof b.text !== 'string' || b.text === '') throw new ApiError(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
      const kinds = ['callback_data', 'url'].filter((k) => b[k] !== undefined).length;
      if (kinds !== 1) throw new ApiError(400, 'Bad Request: BUTTON_TYPE_INVALID');
      if (typeof b.callback_data === 'string' && Buffer.byteLength(b.callback_data) > 64) throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
    }
  }
}

export function privateChatOf(user: TgUser): TgChat {
  return { id: user.id, type: 'private', first_name: user.first_name, ...(user.username ? { username: user.username } : {}) };
}

export function groupChat(id: number, title: string): TgChat {
  return { id, type: 'supergroup', title };
}

export async function startFakeTelegram(opts: FakeTelegramOptions = {}) {
  const token = opts.token ?? '123456:TEST-TOKEN';
  const botInfo = {
    id: opts.botId ?? 123456,
    is_bot: true as const,
    first_name: 'Micro-wish test bot',
    username: opts.botUsername ?? 'microwish_test_bot',
    can_join_groups: true as const,
    can_read_all_group_messages: false as const,
    supports_inline_queries: false as const,
  };
  const limits = opts.rateLimit ? { ...TELEGRAM_LIMITS, ...(opts.rateLimit === true ? {} : opts.rateLimit) } : undefined;
  let windows = limits ? createRateWindows(limits) : undefined;

  const calls: RecordedCall[] = [];
  const events = new EventEmitter();
  events.setMaxListeners(0);
  const started = new Set<number>();
  const blocked = new Set<number>();
  const chats = new Map<number, Map<number, Message>>();
  const nextMessageId = new Map<number, number>();
  const knownChats = new Map<number, TgChat>();
  const issuedQueries = new Set<string>();
  const answeredQueries = new Set<string>();
  const commands = new Map<string, unknown>();
  let pending: Update[] = [];
  let nextUpdateId = 1;
  let nextQueryId = 1;
  let seq = 0;
  let tooMany = 0;
  const pollers = new Set<() => void>();

  const now = () => Math.floor(Date.now() / 1000);
  const chatOf = (id: number): TgChat => knownChats.get(id) ?? (id > 0 ? { id, type: 'private', first_name: `User ${id}` } : { id, type: 'supergroup', title: `Group ${id}` });
  const messagesOf = (chatId: number) => {
    let m = chats.get(chatId);
    if (!m) chats.set(chatId, (m = new Map()));
    return m;
  };
  const chatIdOf = (p: Record<string, unknown>) => {
    const id = Number(p.chat_id);
    if (!Number.isSafeInteger(id) || id === 0) throw new ApiError(400, 'Bad Request: chat not found');
    return id;
  };
  const mayWrite = (chatId: number) => {
    if (chatId > 0 && blocked.has(chatId)) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
    if (chatId > 0 && !started.has(chatId)) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
  };
  const textFrom = (p: Record<string, unknown>) => {
    const raw = typeof p.text === 'string' ? p.text : '';
    const text = p.parse_mode === 'HTML' ? parseHtml(raw) : raw;
    if (text.trim() === '') throw new ApiError(400, 'Bad Request: message text is empty');
    if (text.length > 4096) throw new ApiError(400, 'Bad Request: message is too long');
    return text;
  };
  const findMessage = (p: Record<string, unknown>, verb: string) => {
    const chatId = chatIdOf(p);
    const msg = chats.get(chatId)?.get(Number(p.message_id));
    if (!msg) throw new ApiError(400, `Bad Request: message to ${verb} not found`);
    return { chatId, msg };
  };
  const sameMarkup = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

  const methods: Record<string, (p: Record<string, unknown>) => unknown> = {
    getMe: () => botInfo,
    logOut: () => true,
    close: () => true,
    setMyCommands: (p) => (commands.set(String(p.language_code ?? '') + '|' + JSON.stringify(p.scope ?? {}), p.commands), true),
    getMyCommands: (p) => commands.get(String(p.language_code ?? '') + '|' + JSON.stringify(p.scope ?? {})) ?? [],
    deleteMyCommands: () => true,
    setWebhook: () => true,
    deleteWebhook: () => true,
    getWebhookInfo: () => ({ url: '', has_custom_certificate: false, pending_update_count: pending.length }),
    setChatMenuButton: () => true,
    sendChatAction: () => true,
    leaveChat: () => true,
    getChat: (p) => chatOf(chatIdOf(p)),
    getChatMember: (p) => ({ status: 'member', user: { id: Number(p.user_id), is_bot: false, first_name: `User ${p.user_id}` } }),
    sendMessage: (p) => {
      const chatId = chatIdOf(p);
      mayWrite(chatId);
      const text = textFrom(p);
      checkKeyboard(p.reply_markup);
      const id = (nextMessageId.get(chatId) ?? 0) + 1;
      nextMessageId.set(chatId, id);
      const msg: Message = { message_id: id, from: botInfo, chat: chatOf(chatId), date: now(), text };
      if (p.reply_markup && (p.reply_markup as { inline_keyboard?: unknown }).inline_keyboard) msg.reply_markup = p.reply_markup as Message['reply_markup'];
      messagesOf(chatId).set(id, msg);
      return msg;
    },
    editMessageText: (p) => {
      const { chatId, msg } = findMessage(p, 'edit');
      mayWrite(chatId);
      const text = textFrom(p);
      checkKeyboard(p.reply_markup);
      const markup = (p.reply_markup as Message['reply_markup']) ?? undefined;
      if (msg.text === text && sameMarkup(msg.reply_markup, markup)) {
        throw new ApiError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      }
      msg.text = text;
      msg.reply_markup = markup && markup.inline_keyboard?.length ? markup : undefined;
      msg.edit_date = now();
      return msg;
    },
    editMessageReplyMarkup: (p) => {
      const { chatId, msg } = findMessage(p, 'edit');
      mayWrite(chatId);
      checkKeyboard(p.reply_markup);
      const markup = p.reply_markup as Message['reply_markup'];
      const next = markup && markup.inline_keyboard?.length ? markup : undefined;
      if (sameMarkup(msg.reply_markup, next)) {
        throw new ApiError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      }
      msg.reply_markup = next;
      msg.edit_date = now();
      return msg;
    },
    deleteMessage: (p) => {
      const { chatId } = findMessage(p, 'delete');
      chats.get(chatId)!.delete(Number(p.message_id));
      return true;
    },
    answerCallbackQuery: (p) => {
      const id = String(p.callback_query_id ?? '');
      if (!issuedQueries.has(id) || answeredQueries.has(id)) throw new ApiError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
      if (typeof p.text === 'string' && p.text.length > 200) throw new ApiError(400, 'Bad Request: MESSAGE_TOO_LONG');
      answeredQueries.add(id);
      return true;
    },
  };

  function takeUpdates(p: Record<string, unknown>): Update[] {
    const offset = Number(p.offset ?? 0);
    if (offset > 0) pending = pending.filter((u) => u.update_id >= offset);
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 100)));
    return pending.slice(0, limit);
  }

  const app = express();
  app.use(express.json({ limit: '5mb' }));
  app.use(express.urlencoded({ extended: true }));
  app.all('/bot:token/:method', async (req, res) => {
    const method = String(req.params.method);
    const params: Record<string, unknown> = { ...(req.query as Record<string, unknown>), ...((req.body as Record<string, unknown>) ?? {}) };
    for (const k of Object.keys(params)) params[k] = parseMaybeJson(params[k]);
    if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));

    if (req.params.token !== token) {
      res.status(401).json({ ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    if (method === 'getUpdates') {
      let updates = takeUpdates(params);
      const timeout = Math.min(50, Number(params.timeout ?? 0));
      if (updates.length === 0 && timeout > 0 && !closed) {
        await new Promise<void>((resolve) => {
          const done = () => {
            clearTimeout(timer);
            pollers.delete(done);
            resolve();
          };
          const timer = setTimeout(done, timeout * 1000);
          pollers.add(done);
        });
        updates = closed ? [] : takeUpdates(params);
      }
      res.json({ ok: true, result: updates });
      return;
    }

    const call: RecordedCall = { seq: ++seq, method, params, at: Date.now(), ok: false };
    try {
      const handler = methods[method];
      if (!handler) throw new ApiError(404, 'Not Found: method not found');
      if (windows && SENDING.has(method)) {
        const retryAfter = windows.take(chatIdOf(params), Date.now());
        if (retryAfter > 0) {
          tooMany++;
          throw new ApiError(429, `Too Many Requests: retry after ${retryAfter}`, { retry_after: retryAfter });
        }
      }
      call.result = handler(params);
      call.ok = true;
      res.json({ ok: true, result: call.result });
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(500, `Internal Server Error: ${String(err)}`);
      call.errorCode = e.code;
      call.description = e.description;
      res.status(e.code).json({ ok: false, error_code: e.code, description: e.description, ...(e.parameters ? { parameters: e.parameters } : {}) });
    }
    calls.push(call);
    events.emit('call', call);
  });

  let closed = false;
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function entitiesFor(text: string) {
    const m = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
    return m ? [{ type: 'bot_command', offset: 0, length: m[0].length }] : undefined;
  }

  function waitForCalls(predicate: (c: RecordedCall) => boolean, count: number, timeoutMs = 10_000): Promise<RecordedCall[]> {
    return new Promise((resolve, reject) => {
      const found = calls.filter(predicate);
      if (found.length >= count) return resolve(found.slice(0, count));
      const listener = (c: RecordedCall) => {
        if (!predicate(c)) return;
        found.push(c);
        if (found.length >= count) {
          cleanup();
          resolve(found.slice(0, count));
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const last = calls.slice(-10).map((c) => `${c.seq} ${c.method} ${c.ok ? 'ok' : `${c.errorCode} ${c.description}`} ${JSON.stringify(c.params).slice(0, 200)}`);
        reject(new Error(`fake Telegram: expected ${count} matching call(s), saw ${found.length} in ${timeoutMs} ms. Last calls:\n${last.join('\n')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        events.off('call', listener);
      };
      events.on('call', listener);
    });
  }

  const fake = {
    apiRoot,
    token,
    botInfo,
    calls,
    callsOf: (method: string) => calls.filter((c) => c.method === method),
    startUser: (userId: number) => void started.add(userId),
    blockUser: (userId: number) => void blocked.add(userId),
    chatMessages: (chatId: number) => [...(chats.get(chatId)?.values() ?? [])],
    message: (chatId: number, messageId: number) => chats.get(chatId)?.get(messageId),
    pushUpdate(update: Record<string, unknown>): Update {
      const u = { ...update, update_id: typeof update.update_id === 'number' ? update.update_id : nextUpdateId++ } as Update;
      for (const key of ['callback_query']) {
        const q = u[key] as { id?: string } | undefined;
        if (q?.id) issuedQueries.add(q.id);
      }
      pending.push(u);
      for (const wake of [...pollers]) wake();
      return u;
    },
    textUpdate(from: TgUser, chat: TgChat, text: string): Update {
      knownChats.set(chat.id, chat);
      const id = (nextMessageId.get(chat.id) ?? 0) + 1;
      nextMessageId.set(chat.id, id);
      const entities = entitiesFor(text);
      const message: Message = { message_id: id, from: { is_bot: false, ...from }, chat, date: now(), text, ...(entities ? { entities } : {}) };
      messagesOf(chat.id).set(id, message);
      return { update_id: nextUpdateId++, message };
    },
    callbackUpdate(from: TgUser, message: { chat: { id: number }; message_id: number } & Record<string, unknown>, data: string): Update {
      const id = `cq${nextQueryId++}`;
      issuedQueries.add(id);
      const stored = chats.get(message.chat.id)?.get(message.message_id) ?? message;
      return {
        update_id: nextUpdateId++,
        callback_query: { id, from: { is_bot: false, ...from }, message: stored, chat_instance: `ci${message.chat.id}`, data },
      };
    },
    myChatMemberUpdate(chat: TgChat, from: TgUser, newStatus: 'member' | 'administrator' | 'left' | 'kicked'): Update {
      knownChats.set(chat.id, chat);
      const old = newStatus === 'member' || newStatus === 'administrator' ? 'left' : 'member';
      return {
        update_id: nextUpdateId++,
        my_chat_member: {
          chat,
          from: { is_bot: false, ...from },
          date: now(),
          old_chat_member: { status: old, user: botInfo },
          new_chat_member: { status: newStatus, user: botInfo },
        },
      };
    },
    waitForCall: (predicate: (c: RecordedCall) => boolean, timeoutMs = 10_000) => waitForCalls(predicate, 1, timeoutMs).then((x) => x[0]!),
    waitForCalls,
    onCall(listener: (c: RecordedCall) => void): () => void {
      events.on('call', listener);
      return () => events.off('call', listener);
    },
    stats() {
      const byMethod: Record<string, number> = {};
      for (const c of calls) byMethod[c.method] = (byMethod[c.method] ?? 0) + 1;
      return { total: calls.length, tooManyRequests: tooMany, byMethod };
    },
    reset() {
      calls.length = 0;
      chats.clear();
      nextMessageId.clear();
      tooMany = 0;
      windows = limits ? createRateWindows(limits) : undefined;
    },
    async close() {
      closed = true;
      for (const wake of [...pollers]) wake();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

export type FakeTelegram = Awaited<ReturnType<typeof startFakeTelegram>>;
