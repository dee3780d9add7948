import request from 'supertest';
import { FieldIssue } from '../../src/domain/errors';
import { dayIn, endOfDay } from '../../src/domain/time';
import { t } from '../../src/ui/i18n';
import { createApp } from '../../src/http/create-app';
import { testLogger } from '../support/privacy-record';
import { useTestDatabase } from '../support/db';
import { Harness, privateChatOf, startHarness, users } from '../support/bot-harness';
import type { RecordedCall } from '../fake-telegram';

// One table of bad inputs, typed into the bot's /newwish and sent to the HTTP API: both refuse each
// one for the same reason, because both ask the same rules in the domain.

const ADMIN_TOKEN = 'same-rules-admin-token-0123';
const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };

/** Two years ahead: past the furthest deadline allowed, whenever the test runs. */
const TOO_FAR = `${new Date().getUTCFullYear() + 2}-06-01`;

interface Row {
  field: 'title' | 'description' | 'target' | 'deadline' | 'beneficiary.alias';
  /** What the worker types in the bot. */
  typed: string;
  /** What an API client sends for the same thing. */
  sent: unknown;
  code: FieldIssue['code'];
}

const TABLE: Row[] = [
  { field: 'title', typed: 'x', sent: 'x', code: 'too_short' },
  { field: 'title', typed: 'a'.repeat(81), sent: 'a'.repeat(81), code: 'too_long' },
  { field: 'title', typed: 'Call 13800138000', sent: 'Call 13800138000', code: 'has_phone' },
  { field: 'description', typed: 'abc', sent: 'abc', code: 'too_short' },
  { field: 'description', typed: 'Write to li@example.com for details', sent: 'Write to li@example.com for details', code: 'has_email' },
  { field: 'target', typed: '0', sent: 0, code: 'too_small' },
  { field: 'target', typed: '2000000', sent: 2_000_000, code: 'too_large' },
  { field: 'target', typed: '2.5', sent: 2.5, code: 'not_whole' },
  { field: 'deadline', typed: '2020-01-01', sent: '2020-01-01', code: 'date_past' },
  { field: 'deadline', typed: TOO_FAR, sent: TOO_FAR, code: 'date_too_far' },
  { field: 'beneficiary.alias', typed: 'Mr Chen, 555 0199 123', sent: 'Mr Chen, 555 0199 123', code: 'has_phone' },
  { field: 'beneficiary.alias', typed: 'li@example.com', sent: 'li@example.com', code: 'has_email' },
  { field: 'beneficiary.alias', typed: '11010519491231002X', sent: '11010519491231002X', code: 'has_id_number' },
  { field: 'beneficiary.alias', typed: 'Mr Chen, Building 3', sent: 'Mr Chen, Building 3', code: 'has_name' },
  { field: 'beneficiary.alias', typed: '陈阿姨', sent: '陈阿姨', code: 'has_name' },
];

describe('the same rules through the bot and the API', () => {
  const db = useTestDatabase();
  let h: Harness;
  let communityId: string;
  const worker = { ...users.worker, id: 7007 };
  const dm = privateChatOf(worker);

  beforeAll(async () => {
    h = await startHarness(db);
    const community = await h.runtime.services.communities.create({ name: 'Rules Lane' }, { kind: 'admin', id: 'test' });
    communityId = community.id;
    h.fake.startUser(worker.id);
    await h.runtime.people.seen({ telegramId: worker.id, name: 'Wang' }, new Date(), { started: true });
    await h.runtime.people.addWorkerCommunities(worker.id, [communityId], new Date());
  });
  afterAll(async () => {
    await h?.stop();
  });

  function api() {
    const { services, invites, bot } = h.runtime;
    const admin = { ...services, resolveToken: (token: string | undefined) => (token === ADMIN_TOKEN ? Promise.resolve({ kind: 'admin' as const, id: 'api:test' }) : services.resolveToken(token)) };
    return createApp({
      logger: testLogger(),
      wishes: services.wishes,
      consent: h.runtime.consent,
    directory: h.runtime.directory,
    teams: h.runtime.appDeps().teams,
    stock: h.runtime.stock,
    reports: h.runtime.reports,
      communities: services.communities,
      tokens: services.tokens,
      invites,
      resolveToken: admin.resolveToken,
      isDatabaseReady: async () => true,
      timezone: 'Asia/Shanghai',
      clock: () => new Date(),
      botUsername: () => bot.telegraf.botInfo?.username,
    });
  }

  const validBody = () => ({
    communityId,
    title: 'Reading glasses',
    description: 'Her old pair broke; she cannot read her letters.',
    category: 'cash',
    target: 300,
    deadline: new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10),
    beneficiary: { alias: 'elderly resident, Building 3' },
  });

  function withField(body: ReturnType<typeof validBody>, field: Row['field'], value: unknown) {
    if (field === 'beneficiary.alias') return { ...body, beneficiary: { alias: value } };
    return { ...body, [field]: value };
  }

  /** What the bot answers when the worker types `typed` at the current step. */
  const botSays = async (typed: string) => String((await h.say(worker, dm, typed)).params.text);
  const refusalFor = (code: FieldIssue['code'], params: Record<string, string | number>) => t('en', 'newwish.invalid', { reason: t('en', `issue.${code}`, params) });

  it('refuses every row of the table for the same reason, in both', async () => {
    const app = api();
    const apiIssues = new Map<Row, FieldIssue>();
    for (const row of TABLE) {
      const res = await request(app).post('/api/v1/wishes').set('Authorization', `Bearer ${ADMIN_TOKEN}`).send(withField(validBody(), row.field, row.sent));
      expect(res.status).toBe(400);
      const issue = (res.body.error.details.fields as FieldIssue[]).find((f) => f.field === row.field);
      expect({ row: row.typed, code: issue?.code }).toEqual({ row: row.typed, code: row.code });
      apiIssues.set(row, issue!);
    }

    // The bot: one walk through /newwish, each bad answer first, then a good one to move on.
    const good: Record<Row['field'], string> = { title: '眼镜', description: '需要一副老花镜，方便读信。', target: '２００', deadline: '12月31日', 'beneficiary.alias': '3号楼的一位老人' };
    await h.say(worker, dm, '/newwish');
    const answers: Array<{ row: string; said: string; expected: string }> = [];
    const step = async (field: Row['field']) => {
      for (const row of TABLE.filter((r) => r.field === field)) {
        answers.push({ row: row.typed, said: await botSays(row.typed), expected: refusalFor(row.code, apiIssues.get(row)!.params ?? {}) });
      }
    };
    await step('title');
    await botSays(good.title);
    await step('description');
    const categoryQuestion = await h.say(worker, dm, good.description);
    const askTarget = h.fake.calls.length;
    await h.press(worker, resultMessage(categoryQuestion), 'nw:cat_cash');
    await h.fake.waitForCall((c) => c.seq > askTarget && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id);
    await step('target');
    await botSays(good.target);
    await step('deadline');
    const urgencyQuestion = await h.say(worker, dm, good.deadline);
    const askAlias = h.fake.calls.length;
    await h.press(worker, resultMessage(urgencyQuestion), 'nw:urg_normal');
    await h.fake.waitForCall((c) => c.seq > askAlias && c.method === 'sendMessage' && Number(c.params.chat_id) === worker.id);
    await step('beneficiary.alias');
    await botSays(good['beneficiary.alias']);
    expect(answers.map((a) => ({ row: a.row, said: a.said }))).toEqual(answers.map((a) => ({ row: a.row, said: a.expected })));

    // And what a Chinese speaker naturally typed was taken as meant.
    const preview = await h.say(worker, dm, '-');
    expect(String(preview.params.text)).toContain('眼镜');
    const before = h.fake.calls.length;
    await h.press(worker, resultMessage(preview), 'nw:publish');
    const published = await h.fake.waitForCall((c) => c.seq > before && c.method === 'sendMessage' && /W-\d+/.test(String(c.params.text)));
    const code = /W-\d+/.exec(String(published.params.text))![0];
    const wish = await h.runtime.services.wishes.get(code);
    const thisYear = dayIn(new Date(), 'Asia/Shanghai').slice(0, 4);
    expect([wish.title, wish.target, wish.deadline, wish.beneficiary.alias]).toEqual(['眼镜', 200, endOfDay(`${thisYear}-12-31`, 'Asia/Shanghai'), '3号楼的一位老人']);
  });
});
