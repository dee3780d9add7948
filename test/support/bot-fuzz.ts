// Hostile updates for the real bot, and the checks every one of them must pass: each button press
// answered exactly once, no Bot API call Telegram would refuse for our own fault (HTML that does not
// parse, a text too long), no update that fails with 'update failed', no crash. Used by
// `npm run fuzz:bot` (scripts/fuzz-bot.ts) and by test/e2e/fuzz-bot.test.ts with a smaller run.
import { Writable } from 'node:stream';
import fc from 'fast-check';
import type { Logger } from 'pino';
import { testLogger } from './privacy-record';
import { createRuntime, Runtime, RuntimeOptions } from '../../src/runtime';
import type { FakeTelegram, RecordedCall, TgChat, TgUser } from '../fake-telegram';

/** The runtime a fuzz run drives (script and test alike): the service's own, with room for many presses per person. */
export function fuzzRuntime(conn: RuntimeOptions['conn'], models: RuntimeOptions['models'], fake: FakeTelegram, logger: Logger, instanceId: string): Promise<Runtime> {
  return createRuntime({
    conn,
    models,
    clock: () => new Date(),
    logger,
    // Enough presses per person that the run reaches the handlers; "slow down" still answers some.
    bot: { token: fake.token, apiRoot: fake.apiRoot, adminIds: [1001], botInfo: fake.botInfo, presses: { limitPer10s: 30 } },
    defaultLanguage: 'en',
    timeZone: 'Asia/Shanghai',
    instanceId,
    sender: { slotMs: 200 },
  });
}

export interface FuzzCast {
  admin: TgUser;
  worker: TgUser;
  people: TgUser[];
  group: TgChat;
  otherGroup: TgChat;
  channel: TgChat;
  /** Ids of the seeded wishes (published of each category, and one draft). */
  wishIds: string[];
  draftId: string;
}

const DAY = 86_400_000;

/** A community, its linked group, a worker, two published wishes of each category and a draft; waits for the cards. */
export async function seedFuzzWorld(runtime: Runtime, fake: FakeTelegram, opts: { adminId: number }): Promise<FuzzCast> {
  const admin = { kind: 'admin' as const, id: 'fuzz' };
  const group: TgChat = { id: -100_123_456, type: 'supergroup', title: 'Fuzz <b>Street</b> & Co' };
  const community = await runtime.services.communities.create({ name: 'Fuzz Street' }, admin);
  await runtime.groups.link(group.id, group.title!, community.id, opts.adminId, new Date());
  const worker: TgUser = { id: 3_003, first_name: 'Wendy', last_name: '<i>Worker</i>', language_code: 'zh-hans' };
  await runtime.people.seen({ telegramId: worker.id, name: 'Wendy' }, new Date(), { started: true });
  await runtime.people.addWorkerCommunities(worker.id, [community.id], new Date());
  fake.startUser(worker.id);
  const wishIds: string[] = [];
  const base = {
    communityId: community.id,
    description: 'Needed <soon> & *urgently*: [see] `notes` </a>',
    deadline: new Date(Date.now() + 10 * DAY),
    urgency: 'normal' as const,
    beneficiary: { alias: 'resident, Building 7' },
  };
  for (const [category, target] of [
    ['goods', 1],
    ['goods', 3],
    ['service', 1],
    ['cash', 300],
    ['cash', 1000],
  ] as const) {
    const { state } = await runtime.services.wishes.create({ ...base, title: `${category} <b>${target}</b> & more`, category, target }, admin, { publish: true });
    wishIds.push(state.id);
  }
  const { state: draft } = await runtime.services.wishes.create({ ...base, title: 'Draft <secret>', category: 'cash', target: 50 }, admin);
  wishIds.push(draft.id);
  const people: TgUser[] = Array.from({ length: 12 }, (_, i) => ({ id: 60_000 + i, first_name: `Person${i}`, language_code: i % 3 === 0 ? 'zh' : 'en' }));
  return {
    admin: { id: opts.adminId, first_name: 'Ada', language_code: 'en' },
    worker,
    people,
    group,
    otherGroup: { id: -100_999_111, type: 'group', title: 'Unlinked' },
    channel: { id: -100_777_222, type: 'channel', title: 'A channel' } as unknown as TgChat,
    wishIds,
    draftId: draft.id,
  };
}

// ---- generators -----------------------------------------------------------------------------

const NASTY = ['<b>', '</a>', '<a href="javascript:x">', '&', '&amp;', '&#0;', '<', '>', '*', '_', '[', ']', '`', '\u200f', '\u202e', '\u200b', '👩‍👩‍👧‍👦', '🎉', '\uD800', '\uDFFF', '\n', '\t', ' ', '\\', '"', "'"];

/** Short hostile text: markup, RTL marks, emoji, lone surrogates, ordinary words. */
export const hostileText = fc.oneof(
  fc.string({ unit: fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 })), maxLength: 24 }),
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.constantFrom('', ' ', 'W-1001', '0', '-5', '1e9', '3.5', '99999999999', 'NaN', '１００', 'skip', '/cancel', '<b>bold</b> & <i>it', '*bold* _it_ [link](http://x)'),
);

/** Texts long enough to hit Telegram's 4096-character limit once quoted back. */
const overlong = fc.constantFrom('x'.repeat(4096), '长'.repeat(4100), '<b>'.repeat(1500), '&'.repeat(5000), '👍'.repeat(2100));

const COMMANDS = ['start', 'help', 'newwish', 'cancel', 'mypledges', 'mywishes', 'profile', 'language', 'wishes', 'link', 'cancelwish', 'invite', 'communities', 'frobnicate'];

function callbackDataOf(cast: FuzzCast) {
  const wishId = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...cast.wishIds) },
    { weight: 1, arbitrary: fc.constantFrom('W-99999', 'W-1', 'W-0000', 'W-123456789', 'W-', 'w-1001', cast.draftId) },
  );
  const amount = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('1', '2', '5', '10', '50', '100', '200', '300', '1000') },
    { weight: 1, arbitrary: fc.constantFrom('0', '-1', '7', 'abc', '', '1e3', '999999999', '1000000000', '99999999999999999999') },
    { weight: 1, arbitrary: fc.integer({ min: -10, max: 2_000 }).map(String) },
  );
  const pledgeId = fc.tuple(wishId, fc.oneof(fc.constantFrom('1', '2', '3', '0', '-1', 'x', ''), fc.nat(9).map(String))).map(([w, n]) => `${w}:${n}`);
  return fc.oneof(
    { weight: 6, arbitrary: fc.tuple(fc.constantFrom('c', 'o', 'i', 'ty'), wishId).map(([v, w]) => `${v}:${w}`) },
    { weight: 6, arbitrary: fc.tuple(wishId, amount).map(([w, a]) => `p:${w}:${a}`) },
    { weight: 4, arbitrary: fc.tuple(fc.constantFrom('dl', 'wd', 'cf', 'so'), pledgeId).map(([v, p]) => `${v}:${p}`) },
    {
      weight: 3,
      arbitrary: fc.constantFrom('lang:en', 'lang:zh', 'lang:fr', 'nw:cat_goods', 'nw:cat_cash', 'nw:cat_bogus', 'nw:urg_urgent', 'nw:publish', 'nw:discard', 'nw:com_x', 'pf:type', 'pf:name', 'pf:anon', 'pf:named', 'pf:t_business', 'pf:t_zz'),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'binary-ascii', maxLength: 64 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 30, maxLength: 64 }) },
    { weight: 1, arbitrary: fc.constantFrom('c:' + 'W-1'.padEnd(62, '1'), 'p:W-1001:' + '9'.repeat(55), `c:${cast.wishIds[0]}:extra`, `p:${cast.wishIds[3]}`) },
  );
}

export type FuzzUpdate = Record<string, unknown>;

/** One step: a fresh update (with the id it is given), or a repeat of one already sent. */
type Step = { fresh: (updateId: number, nextMessageId: () => number) => FuzzUpdate } | { repeat: number };

/** The generated run: batches of steps, each batch delivered at once (as a getUpdates batch would be), in a shuffled order. */
export function hostileRun(cast: FuzzCast, count: number): fc.Arbitrary<Array<{ steps: Step[]; order: number[] }>> {
  const human = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...cast.people) },
    { weight: 2, arbitrary: fc.constant(cast.worker) },
    { weight: 1, arbitrary: fc.constant(cast.admin) },
  );
  const sender = fc.tuple(human, fc.option(hostileText, { freq: 3 }), fc.option(fc.constantFrom('en', 'zh', 'zh-hant', 'fr', ''), { freq: 3 })).map(([u, name, lang]) => ({
    ...u,
    is_bot: false,
    ...(name !== null ? { first_name: name } : {}),
    ...(lang !== null ? { language_code: lang } : {}),
  }));
  const groupish = fc.constantFrom(cast.group, cast.otherGroup);
  const chatFor = (u: TgUser) => fc.oneof({ weight: 5, arbitrary: fc.constant<TgChat>({ id: u.id, type: 'private', first_name: u.first_name }) }, { weight: 4, arbitrary: groupish }, { weight: 1, arbitrary: fc.constant(cast.channel) });
  const commandText = fc
    .tuple(fc.constantFrom(...COMMANDS), fc.constantFrom('', '', '@microwish_test_bot', '@other_bot'), fc.oneof(fc.constant(''), hostileText, fc.constantFrom(...cast.wishIds), fc.constantFrom('amount_' + cast.wishIds[3], 'amount_' + cast.draftId, 'pledges', 'worker_ABCDEF12', 'resident_ZZZZZZ')))
    .map(([c, at, rest]) => `/${c}${at}${rest ? ` ${rest}` : ''}`);
  const text = fc.oneof({ weight: 5, arbitrary: commandText }, { weight: 5, arbitrary: hostileText }, { weight: 1, arbitrary: overlong });
  const entitiesFor = (t: string) => {
    const m = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?/.exec(t);
    return m ? { entities: [{ type: 'bot_command', offset: 0, length: m[0].length }] } : {};
  };
  const date = Math.floor(Date.now() / 1000);

  const message = fc.tuple(sender, text, fc.boolean()).chain(([u, t, withFrom]) =>
    chatFor(u).map((chat) => (id: number, mid: () => number): FuzzUpdate => ({
      update_id: id,
      message: { message_id: mid(), ...(withFrom || chat.type === 'private' ? { from: u } : {}), chat, date, text: t, ...entitiesFor(t) },
    })),
  );
  const noText = fc.tuple(sender, fc.constantFrom('sticker', 'photo', 'new_chat_members', 'left_chat_member', 'poll')).chain(([u, what]) =>
    chatFor(u).map((chat) => (id: number, mid: () => number): FuzzUpdate => ({
      update_id: id,
      message: { message_id: mid(), from: u, chat, date, [what]: what === 'new_chat_members' ? [u] : what === 'left_chat_member' ? u : { file_id: 'x' } },
    })),
  );
  const press = fc.tuple(sender, callbackDataOf(cast), fc.oneof(fc.constant(cast.group), fc.constant(undefined)), fc.nat(12), fc.nat(9).map((n) => n === 0)).map(
    ([u, data, chat, messageId, inline]) =>
      (id: number): FuzzUpdate => ({
        update_id: id,
        callback_query: {
          id: `fz${id}`,
          from: u,
          chat_instance: '-42',
          data,
          ...(inline
            ? { inline_message_id: 'AAAA' }
            : { message: { message_id: messageId + 1, chat: chat ?? { id: u.id, type: 'private', first_name: u.first_name }, date, text: 'a card' } }),
        },
      }),
  );
  const edited = message.map((make) => (id: number, mid: () => number) => {
    const u = make(id, mid);
    return { update_id: id, edited_message: { ...(u.message as object), edit_date: date } };
  });
  const channelPost = text.map((t) => (id: number, mid: () => number): FuzzUpdate => ({ update_id: id, channel_post: { message_id: mid(), chat: cast.channel, date, text: t } }));
  const membership = fc.tuple(sender, groupish, fc.constantFrom('member', 'administrator', 'left', 'kicked')).map(([u, chat, status]) => (id: number): FuzzUpdate => ({
    update_id: id,
    my_chat_member: {
      chat,
      from: u,
      date,
      old_chat_member: { status: status === 'member' || status === 'administrator' ? 'left' : 'member', user: { id: 123456, is_bot: true, first_name: 'bot' } },
      new_chat_member: { status, user: { id: 123456, is_bot: true, first_name: 'bot' } },
    },
  }));
  const unknown = fc.constantFrom('poll', 'message_reaction', 'business_message', 'future_kind').map((kind) => (id: number): FuzzUpdate => ({ update_id: id, [kind]: { id: 'x', anything: [1, 2, 3] } }));
  const botPress = press.map((make) => (id: number): FuzzUpdate => {
    const u = make(id);
    const cq = u.callback_query as { from: TgUser };
    return { ...u, callback_query: { ...cq, from: { ...cq.from, id: 999_000_001, is_bot: true } } };
  });

  const fresh = fc.oneof(
    { weight: 10, arbitrary: press },
    { weight: 8, arbitrary: message },
    { weight: 1, arbitrary: noText },
    { weight: 1, arbitrary: edited },
    { weight: 1, arbitrary: channelPost },
    { weight: 1, arbitrary: membership },
    { weight: 1, arbitrary: unknown },
    { weight: 1, arbitrary: botPress },
  ).map((f): Step => ({ fresh: f as Extract<Step, { fresh: unknown }>['fresh'] }));
  const step = fc.oneof({ weight: 19, arbitrary: fresh }, { weight: 1, arbitrary: fc.nat().map((n): Step => ({ repeat: n })) });
  const batch = fc.array(step, { minLength: 1, maxLength: 8 }).chain((steps) => fc.shuffledSubarray(steps.map((_, i) => i), { minLength: steps.length, maxLength: steps.length }).map((order) => ({ steps, order })));
  // Enough batches for `count` updates: trimmed by the runner.
  return fc.array(batch, { minLength: Math.ceil(count / 2) + 4, maxLength: Math.ceil(count / 2) + 4 });
}

// ---- running and checking -------------------------------------------------------------------

/** A pino logger whose lines are counted: the run reports errors logged as 'update failed'. */
export function countingLogger(level = 'warn'): { logger: Logger; failed: string[]; errors: number } {
  const seen = { failed: [] as string[], errors: 0 };
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line) continue;
        try {
          const entry = JSON.parse(line) as { msg?: string; level?: number; err?: { message?: string; type?: string }; updateId?: number };
          if ((entry.level ?? 0) >= 50) seen.errors++;
          if (entry.msg === 'update failed') seen.failed.push(`#${entry.updateId}: ${entry.err?.type ?? ''} ${entry.err?.message ?? ''}`.slice(0, 300));
        } catch {
          // not JSON: not ours to count
        }
      }
      done();
    },
  });
  const logger = testLogger(level, stream);
  return {
    logger,
    get failed() {
      return seen.failed;
    },
    get errors() {
      return seen.errors;
    },
  };
}

/** Refusals that follow from the forged input itself (a message id that never existed, an inline message), not from what we wrote. */
const FORGED_INPUT = /message to edit not found|message can't be edited|MESSAGE_ID_INVALID|message is not modified|message to delete not found|there is no text in the message to edit/;

export interface FuzzReport {
  seed: number;
  updatesSent: number;
  repeats: number;
  pressesSent: number;
  callsByMethod: Record<string, number>;
  refused: Record<string, number>;
  refusedOurFault: number;
  /** What the presses were answered, by the answer's first words: what the run reached. */
  answers: Record<string, number>;
  /** What the bot wrote (sendMessage), by the first words. */
  messages: Record<string, number>;
  unanswered: number;
  answeredTwice: number;
  updateFailed: number;
  crashes: number;
  /** Up to ten examples of each kind of problem. */
  examples: { unanswered: string[]; twice: string[]; refused: string[]; failed: string[]; crashes: string[] };
}

/** Whether the run found something to fix. */
export function problemsOf(r: FuzzReport): string[] {
  const p: string[] = [];
  if (r.unanswered > 0) p.push(`${r.unanswered} press(es) unanswered`);
  if (r.answeredTwice > 0) p.push(`${r.answeredTwice} press(es) answered twice`);
  if (r.refusedOurFault > 0) p.push(`${r.refusedOurFault} Bot API call(s) refused for our fault`);
  if (r.crashes > 0) p.push(`${r.crashes} crash(es)`);
  return p;
}

export async function runFuzz(opts: {
  runtime: Runtime;
  fake: FakeTelegram;
  cast: FuzzCast;
  seed: number;
  updates: number;
  failedLog: () => string[];
  /** Waits for the outbox to drain at the end (the sender's calls are checked too). */
  settle: () => Promise<void>;
  onProgress?: (sent: number) => void;
}): Promise<FuzzReport> {
  const { runtime, fake, cast } = opts;
  const [batches] = fc.sample(hostileRun(cast, opts.updates), { seed: opts.seed, numRuns: 1 });
  const firstCall = fake.calls.length;
  const failedBefore = opts.failedLog().length;
  const sent: FuzzUpdate[] = [];
  const crashes: string[] = [];
  const onCrash = (err: unknown) => crashes.push(`uncaught: ${err instanceof Error ? err.stack?.split('\n').slice(0, 3).join(' ') : String(err)}`);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  let nextId = 5_000_000;
  let nextMessageId = 10_000;
  const mid = () => nextMessageId++;
  let repeats = 0;
  const queryIds = new Set<string>();
  try {
    for (const { steps, order } of batches!) {
      if (sent.length >= opts.updates) break;
      const batch: FuzzUpdate[] = [];
      for (const s of steps) {
        if (sent.length + batch.length >= opts.updates) break;
        if ('repeat' in s) {
          if (sent.length === 0) continue;
          batch.push(sent[s.repeat % sent.length]!);
          repeats++;
        } else batch.push(s.fresh(nextId++, mid));
      }
      const shuffled = order.filter((i) => i < batch.length).map((i) => batch[i]!);
      for (const u of shuffled) {
        // The fake learns of the query (it accepts one answer for it) and of the people, as Telegram would.
        fake.pushUpdate(u);
        const cq = u.callback_query as { id?: string } | undefined;
        if (cq?.id) queryIds.add(cq.id);
      }
      sent.push(...batch);
      await Promise.all(
        shuffled.map((u) =>
          runtime.bot.handleUpdate(u as never).catch((err: unknown) => crashes.push(`handleUpdate rejected #${String(u.update_id)}: ${err instanceof Error ? err.message : String(err)}`)),
        ),
      );
      opts.onProgress?.(sent.length);
    }
    await opts.settle();
  } finally {
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
  }

  const calls = fake.calls.slice(firstCall);
  const callsByMethod: Record<string, number> = {};
  const refused: Record<string, number> = {};
  const refusedExamples: string[] = [];
  let refusedOurFault = 0;
  const answers = new Map<string, RecordedCall[]>();
  for (const c of calls) {
    callsByMethod[c.method] = (callsByMethod[c.method] ?? 0) + 1;
    if (c.method === 'answerCallbackQuery') {
      const id = String(c.params.callback_query_id);
      answers.set(id, [...(answers.get(id) ?? []), c]);
    }
    if (c.ok || c.method === 'getUpdates') continue;
    const key = `${c.method} ${c.errorCode} ${c.description}`;
    refused[key] = (refused[key] ?? 0) + 1;
    const ours = c.errorCode === 400 && !FORGED_INPUT.test(String(c.description)) && !/query is too old/.test(String(c.description));
    if (ours) {
      refusedOurFault++;
      if (refusedExamples.length < 10) refusedExamples.push(`${key}: ${JSON.stringify(c.params).slice(0, 300)}`);
    }
  }
  const tally = (list: RecordedCall[]) => {
    const out: Record<string, number> = {};
    for (const c of list) {
      const key = String(c.params.text ?? '(plain)').replace(/\s+/g, ' ').replace(/W-\d+/g, 'W-n').replace(/[¥\d]+/g, 'n').slice(0, 28);
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  };
  const unanswered = [...queryIds].filter((id) => !(answers.get(id) ?? []).some((a) => a.ok));
  const twice = [...answers].filter(([id, list]) => queryIds.has(id) && list.length > 1).map(([id]) => id);
  const failed = opts.failedLog().slice(failedBefore);
  const describe = (id: string) => {
    const u = sent.find((x) => (x.callback_query as { id?: string } | undefined)?.id === id);
    return `${id} ${JSON.stringify((u?.callback_query as { data?: string } | undefined)?.data)} -> ${(answers.get(id) ?? []).map((a) => `${a.ok ? 'ok' : a.description} "${String(a.params.text ?? '')}"`).join(' | ')}`;
  };
  return {
    seed: opts.seed,
    updatesSent: sent.length,
    repeats,
    pressesSent: queryIds.size,
    callsByMethod,
    refused,
    refusedOurFault,
    answers: tally(calls.filter((c) => c.method === 'answerCallbackQuery' && c.ok)),
    messages: tally(calls.filter((c) => c.method === 'sendMessage' && c.ok)),
    unanswered: unanswered.length,
    answeredTwice: twice.length,
    updateFailed: failed.length,
    crashes: crashes.length,
    examples: {
      unanswered: unanswered.slice(0, 10).map(describe),
      twice: twice.slice(0, 10).map(describe),
      refused: refusedExamples,
      failed: failed.slice(0, 10),
      crashes: crashes.slice(0, 10),
    },
  };
}

const top = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 14)
    .map(([k, n]) => `${n} "${k}"`)
    .join(', ');

export function formatReport(r: FuzzReport): string {
  const lines = [
    `seed ${r.seed}: ${r.updatesSent} updates sent (${r.repeats} repeated), ${r.pressesSent} distinct button presses`,
    `Bot API calls by method: ${Object.entries(r.callsByMethod).sort(([a], [b]) => a.localeCompare(b)).map(([m, n]) => `${m} ${n}`).join(', ')}`,
    `Bot API calls refused by the fake: ${Object.values(r.refused).reduce((a, b) => a + b, 0)} (for our fault: ${r.refusedOurFault})`,
    ...Object.entries(r.refused).map(([k, n]) => `  ${n} x ${k}`),
    `presses answered with: ${top(r.answers)}`,
    `messages sent: ${top(r.messages)}`,
    `callback queries unanswered: ${r.unanswered}`,
    `callback queries answered twice: ${r.answeredTwice}`,
    `errors logged as 'update failed': ${r.updateFailed}`,
    `crashes: ${r.crashes}`,
  ];
  for (const [kind, list] of Object.entries(r.examples)) if (list.length > 0) lines.push(`examples (${kind}):`, ...list.map((x) => `  ${x}`));
  return lines.join('\n');
}
