import { testLogger } from '../support/privacy-record';
import { createBot, CreatedBot } from '../../src/bot/create-bot';
import type { BotDeps } from '../../src/bot/context';
import type { Person } from '../../src/domain/people';
import { FakeTelegram, privateChatOf, startFakeTelegram, TgUser } from '../fake-telegram';

// While the database is unreachable, every press is answered once: "I can't reach my records right
// now", in the person's language, whichever store failed first (the chat turn, the update log, the
// person lookup, the wish itself). The bot here runs on stand-in stores, one of which is "down".

const outage = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:27017'), { name: 'MongoServerSelectionError' });
/** A store whose every method fails as an unreachable database does. */
const down = <T>(): T => new Proxy({}, { get: () => async () => Promise.reject(outage()) }) as T;

function workingStores() {
  const turns = new Map<string, { n: number; holder: string; until: Date; releasedAt?: Date }>();
  const done = new Set<number>();
  const sessions = new Map<string, { data?: unknown; writtenBy: number[] }>();
  const person = (telegramId: number, telegramLanguage?: string): Person => ({
    telegramId,
    name: `Person ${telegramId}`,
    telegramLanguage,
    workerOf: [],
    residentOf: [],
    createdAt: new Date(),
    updatedAt: new Date(),
  });
  return {
    turns: {
      pointer: async (key: string) => Math.max(0, ...[...turns.keys()].filter((k) => k.startsWith(`${key}#`)).map((k) => Number(k.split('#')[1]))),
      get: async (key: string, n: number) => turns.get(`${key}#${n}`) ?? null,
      take: async (key: string, n: number, holder: string, until: Date) => {
        if (turns.has(`${key}#${n}`)) return false;
        turns.set(`${key}#${n}`, { n, holder, until });
        return true;
      },
      advance: async () => undefined,
      renew: async () => undefined,
      release: async (key: string, n: number, at: Date) => void (turns.get(`${key}#${n}`)!.releasedAt = at),
    },
    updates: { isDone: async (id: number) => done.has(id), markDone: async (id: number) => void done.add(id) },
    people: {
      get: async () => null,
      seen: async (p: { telegramId: number; telegramLanguage?: string }) => person(p.telegramId, p.telegramLanguage),
    },
    sessions: {
      load: async (key: string) => sessions.get(key) ?? { writtenBy: [] },
      write: async (key: string, data: unknown, writtenBy: number[]) => void sessions.set(key, { data, writtenBy }),
    },
    groups: { get: async () => null },
    wishes: down(),
  };
}

describe('answers while the database is unreachable', () => {
  let fake: FakeTelegram;
  beforeAll(async () => {
    fake = await startFakeTelegram();
  });
  afterAll(async () => {
    await fake?.close();
  });

  function botWith(failing: Partial<Record<'turns' | 'updates' | 'people' | 'sessions' | 'wishes', true>>): CreatedBot {
    const stores = workingStores() as Record<string, unknown>;
    for (const name of Object.keys(failing)) stores[name] = down();
    const deps = {
      token: fake.token,
      apiRoot: fake.apiRoot,
      communities: down(),
      invites: down(),
      reminderAnswers: down(),
      enqueue: async () => Promise.reject(outage()),
      relay: down(),
      outboxItem: async () => Promise.reject(outage()),
      instanceId: 'outage-test',
      adminIds: [],
      defaultLanguage: 'en',
      timeZone: 'Asia/Shanghai',
      currency: 'CNY',
      clock: () => new Date(),
      logger: testLogger(),
      ...stores,
    } as unknown as BotDeps;
    return createBot(deps, { botInfo: fake.botInfo });
  }

  it.each([
    ['the chat turn', { turns: true }],
    ['the update log', { updates: true }],
    ['the person lookup', { people: true }],
    ['the wish', { wishes: true }],
  ] as const)('when %s fails, a press is answered once: try again in a minute (en and zh)', async (_what, failing) => {
    const bot = botWith(failing);
    for (const [user, expected] of [
      [{ id: 71, first_name: 'Ann', language_code: 'en' }, "I can't reach my records right now; please try again in a minute."],
      [{ id: 72, first_name: '安', language_code: 'zh-hans' }, '暂时无法读取记录，请一分钟后再试。'],
    ] as Array<[TgUser, string]>) {
      // A button in their private chat (a group's presses are answered in the group's language).
      const update = fake.callbackUpdate(user, { chat: privateChatOf(user), message_id: 1 }, 'dl:W-1001:1') as unknown as { callback_query: { id: string } };
      fake.pushUpdate(update); // the fake now knows the query; the bot gets it directly
      await bot.handleUpdate(update as never);
      const answers = fake.answersTo(update.callback_query.id);
      expect(answers).toHaveLength(1);
      expect(answers[0]!.ok).toBe(true);
      const text = String(answers[0]!.params.text);
      expect(text).toBe(expected);
    }
  });
});
