import { offerFeature } from './features/offer';
import { teamsFeature } from './features/teams';
import { surplusFeature } from './features/surplus';
import { receivedFeature } from './features/received';
import { invitationsFeature } from './features/invitations';
import { consentFeature } from './features/consent';
import { RequestHandler } from 'express';
import { Telegraf, TelegramError } from 'telegraf';
import type { Update, UserFromGetMe } from 'telegraf/types';
import { Language } from '../domain/community';
import { noMetrics } from '../domain/metrics';
import { actorFor, languageOf, personAsSeen, SeenPerson } from '../domain/people';
import { t, translator } from '../ui/i18n';
import { registerCommands } from './commands';
import { BotContext, BotDeps, sessionKey } from './context';
import { errorCodeOf, refusalText } from './errors';
import { createBacklog, createPressLimiter } from './presses';
import { createSequentializer, createTurnLock, turnKeyOf } from './sequentialize';
import { noSession, openSession } from './session';
import { adminFeature } from './features/admin';
import { cardsFeature } from './features/cards';
import { followThroughFeature } from './features/follow-through';
import { groupsFeature } from './features/groups';
import { languageFeature } from './features/language';
import { newWishFeature } from './features/newwish';
import { pledgesFeature } from './features/pledges';
import { profileFeature } from './features/profile';
import { startFeature, fallbackFeature } from './features/start';
import { theirDataFeature } from './features/their-data';
import { intakeFeature } from './features/intake';
import { conversationFeature } from './features/conversation';
import { tokenFeature } from './features/token';

/** A Bot API 403: the person blocked the bot, or it is no longer in the group. */
function isForbiddenByTelegram(err: unknown): boolean {
  return err instanceof TelegramError && err.code === 403;
}

export interface CreatedBot {
  telegraf: Telegraf<BotContext>;
  /** Registers the command lists (per language) and, in webhook mode, the webhook. */
  prepare(opts: { webhook?: { url: string; secret: string } }): Promise<void>;
  startPolling(): Promise<void>;
  /** Settles when polling has stopped (by itself, or by stop()), with the reason it stopped by itself, if any. */
  pollingEnded(): Promise<unknown>;
  /** Express handler for webhook mode; checks X-Telegram-Bot-Api-Secret-Token. */
  webhookHandler(secret: string): RequestHandler;
  /** Handles one update as polling or the webhook would (tests, benchmarks). */
  handleUpdate(update: Update): Promise<void>;
  stop(): Promise<void>;
}

/** Presses this process remembers having answered, to drop a repeat at once. */
const ANSWERED_REMEMBERED = 10_000;

export function createBot(deps: BotDeps, opts: { botInfo?: UserFromGetMe } = {}): CreatedBot {
  const telegraf = new Telegraf<BotContext>(deps.token, {
    contextType: BotContext,
    // No answers inside the webhook's HTTP response: it would end the request, and Telegram would
    // consider the update delivered, before the handler has finished.
    telegram: { apiRoot: deps.apiRoot, webhookReply: false },
    // No timeout: telegraf's would answer "failed" through bot.catch while the handler goes on and
    // may well succeed. A backlog is shed before its work starts instead (below), and answered "busy".
    handlerTimeout: Infinity,
  });
  if (opts.botInfo) telegraf.botInfo = opts.botInfo;

  // Polling takes the next batch of updates only once every update of the last one has been handled,
  // and the webhook answers Telegram only then: a press would wait for the slowest of its batch, work
  // after its answer included. A press may be let go once it is answered (its decision is committed or
  // refused, and what follows is either redone by the relay sweep or harmless to lose); other updates
  // only when handled, so that a crash leaves them to Telegram's redelivery. What is let go early is
  // still finished, and stop() waits for it.
  const handleFully = telegraf.handleUpdate.bind(telegraf);
  const answeredPresses = new Map<number, () => void>();
  const finishing = new Set<Promise<unknown>>();
  telegraf.handleUpdate = (update, webhookResponse) => {
    const handled = handleFully(update, webhookResponse);
    if (!('callback_query' in update)) return handled;
    finishing.add(handled);
    const answered = new Promise<void>((resolve) => answeredPresses.set(update.update_id, resolve));
    return Promise.race([handled, answered]).finally(() => {
      answeredPresses.delete(update.update_id);
      void handled.finally(() => finishing.delete(handled)).catch(() => undefined);
    });
  };
  const log = deps.logger.child({ component: 'bot' });
  const metrics = deps.metrics ?? noMetrics;
  const localeOf = (language: Language) => ({ language, timeZone: deps.timeZone, currency: deps.currency });
  const limiter = createPressLimiter({ perWindow: deps.presses?.limitPer10s, windowMs: 10_000, clock: deps.clock });
  const inHand = new Set<number>();
  const answeredHere = new Set<string>();
  const backlog = createBacklog({ maxWaitMs: deps.presses?.maxWaitMs, maxQueued: deps.presses?.maxQueued, clock: deps.clock });

  // One failing update never stops the bot; the person gets an apology, never a stack trace. A press
  // already answered keeps its answer (it was true when given): what failed after it is only logged.
  const apologize = async (err: unknown, ctx: BotContext) => {
    // Telegram closed the chat to us (blocked, removed from the group): nobody to apologise to, nothing of ours to fix.
    if (isForbiddenByTelegram(err)) {
      metrics.error('telegram_forbidden', 'bot');
      log.warn({ err, updateId: ctx.update.update_id }, 'update left unfinished: Telegram refused a call (403)');
      if (ctx.callbackQuery && !ctx.answered) await ctx.answerCbQuery().catch(() => undefined);
      return;
    }
    metrics.error(errorCodeOf(err), 'bot');
    log.error({ err, updateId: ctx.update.update_id }, 'update failed');
    const local = ctx.local as BotContext['local'] | undefined;
    const lang = local?.lang ?? deps.defaultLanguage;
    const text = refusalText(err, local?.locale ?? localeOf(lang)) ?? t(lang, 'error.generic');
    try {
      if (ctx.callbackQuery) {
        if (!ctx.answered) await ctx.answerCbQuery(text);
      } else if (ctx.chat) await ctx.reply(text);
    } catch {
      // Telegram may be the thing that failed; the log has it.
    }
  };
  telegraf.catch(apologize);

  /** Starts the point reads a press needs while it waits for its turn; each is awaited (and may fail) where it is used. */
  const prefetch = (userId: number, chat: BotContext['chat']): NonNullable<BotContext['local']['prefetched']> => {
    const quiet = <T>(p: Promise<T>) => {
      p.catch(() => undefined);
      return p;
    };
    const inGroup = chat !== undefined && chat.type !== 'private' && chat.type !== 'channel';
    return { person: quiet(deps.people.get(userId)), ...(inGroup ? { group: quiet(deps.groups.get(chat.id)) } : {}) };
  };

  /** Answers a press without doing its work (shed, or too fast), and records it as done so it is not redone. */
  const refusePress = async (ctx: BotContext, code: 'busy' | 'slow_down') => {
    const updateId = ctx.update.update_id;
    metrics.error(code, 'bot');
    log.info({ updateId, userId: ctx.callbackQuery?.from.id, code }, 'press refused without doing it');
    await ctx.answerCbQuery(t(ctx.local.lang, `refusal.${code}`)).catch((err: unknown) => log.warn({ err, updateId }, 'could not answer a refused press'));
    await deps.updates.markDone(updateId, deps.clock()).catch((err: unknown) => log.warn({ err, updateId }, 'could not mark the update done'));
  };

  const sequential = createSequentializer({
    lock: createTurnLock({
      store: deps.turns,
      holder: deps.instanceId,
      lifetimeMs: deps.turnLifetimeMs,
      clock: deps.clock,
      onLapsed: (turn) => log.warn(turn, 'a chat turn lapsed while its update was still being handled'),
      onError: (err, what) => log.warn({ err }, `chat turn ${what} failed`),
    }),
    onError: (err, what) => log.warn({ err }, `chat turn ${what} failed`),
  });

  /** Answers every press once, whatever happens on the way (see below). */
  const handle = async (ctx: BotContext, next: () => Promise<void>) => {
    const updateId = ctx.update.update_id;
    // A press's time to answer runs from here, where the bot takes it, to its answer's completion.
    const took = performance.now();
    ctx.onRepeatAnswer = (text) => log.warn({ updateId, text }, 'a second answer to one button press was dropped');
    ctx.onAnswered = (ok) => {
      metrics.pressAnswered((performance.now() - took) / 1000, ok ? 'ok' : 'failed');
      answeredPresses.get(updateId)?.();
    };
    const lang = languageOf({ telegramLanguage: ctx.from?.language_code }, deps.defaultLanguage);
    ctx.local = { lang, t: translator(lang), locale: localeOf(lang), session: noSession, noteError: (code) => metrics.error(code, 'bot') };
    try {
      await next();
    } catch (err) {
      await apologize(err, ctx);
    }
    if (ctx.callbackQuery && !ctx.answered && !ctx.local.repeated) {
      await ctx.answerCbQuery().catch((err: unknown) => log.warn({ err, updateId }, 'could not answer a press'));
    }
  };

  // Every press is answered, once. The first answer stands (BotContext.answerCbQuery drops a second
  // one and we log it); a press no handler answered gets a plain answer, so its button stops spinning;
  // a failure anywhere (the turn lock, the update log, the database) is apologised for in the
  // sender's app language until we know their chosen one.
  telegraf.use(async (ctx, next) => {
    const updateId = ctx.update.update_id;
    // The same update again while this process has it in hand (a webhook retry, a repeated batch), or
    // a press this process has answered already: the first delivery answers it, and Telegram takes one
    // answer. Other repeats go on to the update log and the session, which recognise what was done.
    const queryId = ctx.callbackQuery?.id;
    if (inHand.has(updateId) || (queryId !== undefined && answeredHere.has(queryId))) {
      log.debug({ updateId }, 'repeated update skipped');
      return;
    }
    inHand.add(updateId);
    try {
      await handle(ctx, next);
    } finally {
      inHand.delete(updateId);
      if (queryId !== undefined && ctx.answered) {
        answeredHere.add(queryId);
        if (answeredHere.size > ANSWERED_REMEMBERED) answeredHere.delete(answeredHere.values().next().value!);
      }
    }
  });

  // One person cannot flood the bot: presses beyond their share are answered "slow down", not done.
  telegraf.use(async (ctx, next) => {
    if (ctx.callbackQuery && !limiter.take(ctx.callbackQuery.from.id)) return refusePress(ctx, 'slow_down');
    return next();
  });

  // One chat at a time, across a getUpdates batch and across instances. An update is marked done only
  // once it has been handled (or has failed and been apologised for): an instance that dies mid-update
  // leaves it to Telegram's redelivery, and handling it again is harmless because every decision is a
  // unique insert. Queued synchronously, so a batch keeps its order of arrival. A press that arrives to
  // a full backlog, or whose turn comes too late to answer in time, is answered "busy" and not done.
  telegraf.use((ctx, next) => {
    const ticket = ctx.callbackQuery ? backlog.enter() : undefined;
    if (ctx.callbackQuery && !ticket) return refusePress(ctx, 'busy');
    const key = turnKeyOf(ctx);
    // Read while it waits for its turn, unless an update of the same person is ahead of it here (which may change them).
    const early = ctx.callbackQuery && !sequential.queued(key) ? prefetch(ctx.callbackQuery.from.id, ctx.chat) : undefined;
    // A press on a group's message (a card, the language chooser) decides by unique inserts and leaves
    // the person's conversation alone: it keeps its order here but takes no turn in the database, which
    // cost it a read and a write before its answer and two writes after. Private chats, where the
    // conversation lives, keep their turn across instances.
    const acrossInstances = !(ctx.callbackQuery && ctx.chat !== undefined && ctx.chat.type !== 'private');
    return sequential(
      key,
      async () => {
        if (ctx.callbackQuery) ctx.local.prefetched = early ?? prefetch(ctx.callbackQuery.from.id, ctx.chat);
        const updateId = ctx.update.update_id;
        if (ticket && !ticket.startable()) return refusePress(ctx, 'busy');
        if (await deps.updates.isDone(updateId)) {
          log.debug({ updateId }, 'repeated update skipped');
          ctx.local.repeated = true;
          return;
        }
        try {
          await next();
        } catch (err) {
          await apologize(err, ctx);
        }
        if (ctx.callbackQuery && !ctx.answered) await ctx.answerCbQuery().catch((err: unknown) => log.warn({ err, updateId }, 'could not answer a press'));
        await deps.updates.markDone(updateId, deps.clock()).catch((err: unknown) => log.warn({ err, updateId }, 'could not mark the update done'));
      },
      { acrossInstances },
    ).finally(() => ticket?.leave());
  });

  telegraf.use(async (ctx, next) => {
    const from = ctx.from;
    const now = deps.clock();
    const prefetched = ctx.local.prefetched;
    /** A press records the sighting after its answer; anything else before it is handled. */
    let seenAfter: SeenPerson | undefined;
    if (from && !from.is_bot) {
      ctx.local.session = openSession(deps.sessions, sessionKey(from.id), ctx.update.update_id, deps.clock);
      // Redelivered after a crash, but it had already moved the person's conversation on: not twice.
      // (Presses in groups write no conversation that a repeat could repeat: their decisions are the wish's.)
      const private_ = ctx.chat?.type === 'private';
      if (turnKeyOf(ctx) === `p:${from.id}` && (private_ || !ctx.callbackQuery) && (await ctx.local.session.alreadyWritten())) {
        log.debug({ updateId: ctx.update.update_id }, 'redelivered update already applied');
        if (ctx.callbackQuery) await ctx.answerCbQuery().catch(() => undefined);
        return;
      }
      const name = [from.first_name, from.last_name].filter(Boolean).join(' ') || from.username || String(from.id);
      const seen: SeenPerson = { telegramId: from.id, name, username: from.username, telegramLanguage: from.language_code };
      if (ctx.callbackQuery && prefetched) {
        ctx.local.person = personAsSeen(await prefetched.person, seen, now);
        seenAfter = seen;
      } else {
        ctx.local.person = await deps.people.seen(seen, now, { started: private_ });
      }
      ctx.local.actor = actorFor(ctx.local.person, deps.adminIds);
    }
    if (ctx.chat && ctx.chat.type !== 'private' && ctx.chat.type !== 'channel') {
      ctx.local.group = await (prefetched?.group ?? deps.groups.get(ctx.chat.id));
      ctx.local.lang = ctx.local.group?.language ?? deps.defaultLanguage;
    } else {
      ctx.local.lang = languageOf(ctx.local.person, ctx.local.lang);
    }
    ctx.local.t = translator(ctx.local.lang);
    ctx.local.locale = localeOf(ctx.local.lang);
    // Buttons and messages act for a person: without one (a channel post, a bot sender) there is
    // nobody to act for; a press is answered, a message left alone.
    // A group's administrator writing anonymously (as the group itself) may still set the group up.
    const asTheGroup = ctx.chat !== undefined && (ctx.message as { sender_chat?: { id: number } } | undefined)?.sender_chat?.id === ctx.chat.id;
    if (!ctx.local.person && (ctx.callbackQuery || (ctx.message && !asTheGroup))) {
      if (ctx.callbackQuery) await ctx.answerCbQuery(ctx.local.t('refusal.stale_button'));
      return;
    }
    // The bot sends no inline-mode messages: a press on one was not made by us, and has no chat to act in.
    if (ctx.callbackQuery && !ctx.callbackQuery.message) return ctx.answerCbQuery(ctx.local.t('refusal.stale_button'));
    try {
      await next();
    } finally {
      if (seenAfter && !ctx.local.forgotten) {
        const sighting = seenAfter;
        await deps.people.seen(sighting, now, { started: ctx.chat?.type === 'private' }).catch((err: unknown) => log.warn({ err, updateId: ctx.update.update_id }, 'could not record who pressed'));
      }
    }
  });

  telegraf.use(startFeature(deps));
  telegraf.use(intakeFeature(deps));
  telegraf.use(theirDataFeature(deps));
  telegraf.use(consentFeature(deps));
  telegraf.use(invitationsFeature(deps));
  telegraf.use(offerFeature(deps));
  telegraf.use(teamsFeature(deps));
  telegraf.use(surplusFeature(deps));
  telegraf.use(receivedFeature(deps));
  telegraf.use(languageFeature(deps));
  telegraf.use(adminFeature(deps));
  telegraf.use(groupsFeature(deps));
  telegraf.use(cardsFeature(deps));
  telegraf.use(pledgesFeature(deps));
  telegraf.use(followThroughFeature(deps));
  telegraf.use(profileFeature(deps));
  telegraf.use(newWishFeature(deps));
  telegraf.use(tokenFeature(deps));
  telegraf.use(conversationFeature(deps));
  telegraf.use(fallbackFeature(deps));

  async function prepare(prepareOpts: { webhook?: { url: string; secret: string } }) {
    if (!telegraf.botInfo) telegraf.botInfo = await telegraf.telegram.getMe();
    await registerCommands(telegraf.telegram, deps.defaultLanguage);
    if (prepareOpts.webhook) {
      await telegraf.telegram.setWebhook(prepareOpts.webhook.url, {
        secret_token: prepareOpts.webhook.secret,
        allowed_updates: ['message', 'callback_query', 'my_chat_member'],
      });
    }
  }

  let polling: Promise<void> | undefined;
  return {
    telegraf,
    prepare,
    async startPolling() {
      await telegraf.telegram.deleteWebhook();
      await new Promise<void>((resolve, reject) => {
        polling = telegraf.launch({ allowedUpdates: ['message', 'callback_query', 'my_chat_member'] }, () => resolve());
        polling.catch(reject);
      });
    },
    pollingEnded() {
      return (polling ?? Promise.resolve()).then(
        () => undefined,
        (err: unknown) => err ?? new Error('polling stopped'),
      );
    },
    webhookHandler(secret: string): RequestHandler {
      const handle = telegraf.webhookCallback('/', { secretToken: secret });
      // telegraf passes requests it refuses (wrong secret, not a POST) on to `next`: answer them here.
      return (req, res) =>
        handle(req, res, () => {
          res.status(403).json({ error: { code: 'forbidden', message: 'Missing or wrong X-Telegram-Bot-Api-Secret-Token' } });
        });
    },
    async handleUpdate(update) {
      await handleFully(update);
    },
    async stop() {
      if (polling) {
        telegraf.stop('shutdown');
        await polling.catch(() => undefined);
      }
      // Presses let go at their answer, still finishing (the update log, the turn's release).
      await Promise.allSettled([...finishing]);
    },
  };
}
