import { useTestDatabase } from '../support/db';
import { draftFor } from '../support/fixtures';
import { Harness, privateChatOf, startHarness } from '../support/bot-harness';
import type { RecordedCall, TgUser } from '../fake-telegram';
import { donorActor, donorIdOf, donorRefOf } from '../../src/domain/people';

// Issue 13, item 5: a resident hears of every step of their wish in one clear message each: what
// happened, by whom (an anonymous donor stays anonymous) and what it means; one question per delivery,
// naming the donor and the amount. Their /help lists what a resident can do.

type Button = { text: string; callback_data?: string };
const buttonsOf = (c: RecordedCall): Button[] => ((c.params.reply_markup as { inline_keyboard?: Button[][] } | undefined)?.inline_keyboard ?? []).flat();
const resultMessage = (c: RecordedCall) => c.result as { chat: { id: number }; message_id: number; text: string };

const TEXTS = {
  en: {
    bakery: 'Harbour Bakery',
    anonymous: 'An anonymous donor',
    anonymousMid: 'an anonymous donor',
    pledgedAnon: (code: string) => `An anonymous donor pledged ¥80 for your wish ${code} “Winter heating bill”; ¥80 of ¥300 is now covered.`,
    pledgedBakery: (code: string) => `Harbour Bakery pledged ¥100 for your wish ${code} “Winter heating bill”; ¥180 of ¥300 is now covered.`,
    pledgedLee: (code: string) => `Lee Named pledged ¥120 for your wish ${code} “Winter heating bill”; the whole ¥300 is now covered.`,
    delivered: (who: string, amount: string) => `${who} says they handed over ${amount}`,
    question: 'Did you receive it?',
    fulfilled: 'thanks to an anonymous donor, Harbour Bakery and Lee Named',
    workerAsk: (who: string, amount: string) => `${who} says they handed over ${amount}`,
    workerConfirmed: 'The resident confirmed receipt of ¥100 from Harbour Bakery',
    help: { has: ['/mywishes', '/language', '/help', 'thank-you'], donor: '/mypledges' },
  },
  zh: {
    bakery: '港湾面包房',
    anonymous: '一位匿名爱心人士',
    anonymousMid: '一位匿名爱心人士',
    pledgedAnon: (code: string) => `一位匿名爱心人士为您的心愿 ${code}“Winter heating bill”认捐了 ¥80；目前已筹 ¥80，目标 ¥300。`,
    pledgedBakery: (code: string) => `港湾面包房为您的心愿 ${code}“Winter heating bill”认捐了 ¥100；目前已筹 ¥180，目标 ¥300。`,
    pledgedLee: (code: string) => `Lee Named为您的心愿 ${code}“Winter heating bill”认捐了 ¥120；目标 ¥300 已全部筹齐。`,
    delivered: (who: string, amount: string) => `${who}说已将 ${amount} 交给您`,
    question: '请问您收到了吗？',
    fulfilled: '感谢一位匿名爱心人士、港湾面包房和Lee Named',
    workerAsk: (who: string, amount: string) => `${who}说已将 ${amount} 交给居民`,
    workerConfirmed: '居民已确认收到港湾面包房的 ¥100',
    help: { has: ['/mywishes', '/language', '/help', '感谢'], donor: '/mypledges' },
  },
} as const;

describe('what a linked resident hears as their cash wish moves', () => {
  const db = useTestDatabase();
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness(db);
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function story(lang: 'en' | 'zh', n: number) {
    const L = TEXTS[lang];
    const worker: TgUser = { id: 9_100 + n, first_name: 'Wang', last_name: 'Worker', language_code: lang };
    const resident: TgUser = { id: 9_200 + n, first_name: 'Rosa', language_code: lang };
    const bakery: TgUser = { id: 9_300 + n, first_name: 'Baker', last_name: 'Bob', language_code: lang };
    // The anonymous donor's Telegram name and username must never reach the resident or the worker.
    const secret: TgUser = { id: 9_400 + n, first_name: 'Secretive', last_name: 'Sam', username: 'secret_sam_tg', language_code: lang };
    const lee: TgUser = { id: 9_500 + n, first_name: 'Lee', last_name: 'Named', language_code: lang };
    for (const u of [worker, resident, bakery, secret, lee]) {
      h.fake.startUser(u.id);
      await h.say(u, privateChatOf(u), '/start');
    }
    const { services, people, invites } = h.runtime;
    const community = await services.communities.create({ name: `Harbour Street updates ${lang}` }, { kind: 'admin', id: 'test' });
    await people.addWorkerCommunities(worker.id, [community.id], new Date());
    await people.setDonorProfile(bakery.id, { type: 'business', displayName: L.bakery, anonymous: false }, new Date());
    await people.setDonorProfile(secret.id, { type: 'individual', displayName: 'Sam Hidden-Name', anonymous: true }, new Date());

    const workerActor = { kind: 'worker' as const, id: donorIdOf(worker.id), telegramId: worker.id, communityIds: [community.id] };
    const { state: wish } = await services.wishes.create(draftFor(community.id, { category: 'cash', target: 300, workerTelegramId: worker.id }), workerActor, { publish: true });
    const code = wish.code;

    // The worker's one-time resident link; the resident follows it.
    const invite = await invites.linkResident(wish.id, workerActor);
    await h.say(resident, privateChatOf(resident), `/start resident_${invite.token}`, (t) => t.includes(code));
    await h.settle();

    const residentCallsFrom = () => h.fake.calls.length;
    const residentSince = (from: number) =>
      h.fake.calls.filter((c, i) => i >= from && c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === resident.id);

    // Three donors pledge; after each, one message naming who, how much and how much is covered.
    const pledge = async (u: TgUser, amount: number) => {
      const person = (await people.get(u.id))!;
      const from = residentCallsFrom();
      const { event } = await services.wishes.execute(wish.id, { type: 'pledge', donor: donorRefOf(person), amount }, donorActor(person));
      await h.settle();
      const said = residentSince(from);
      expect(said).toHaveLength(1);
      return { text: String(said[0]!.params.text), pledgeId: event!.id };
    };
    const anon = await pledge(secret, 80);
    expect(anon.text).toBe(L.pledgedAnon(code));
    const bake = await pledge(bakery, 100);
    expect(bake.text).toBe(L.pledgedBakery(code));
    const last = await pledge(lee, 120);
    expect(last.text).toBe(L.pledgedLee(code));

    // Each donor presses Delivered under their next steps; the resident gets exactly one question per
    // delivery, naming the donor and the amount, with the Received button for that pledge.
    const deliveries = [
      { u: secret, who: L.anonymous, named: L.anonymousMid, amount: '¥80', pledgeId: anon.pledgeId },
      { u: bakery, who: L.bakery, named: L.bakery, amount: '¥100', pledgeId: bake.pledgeId },
      { u: lee, who: 'Lee Named', named: 'Lee Named', amount: '¥120', pledgeId: last.pledgeId },
    ];
    const questions: RecordedCall[] = [];
    for (const d of deliveries) {
      const next = h.fake.callsOf('sendMessage').find((c) => Number(c.params.chat_id) === d.u.id && buttonsOf(c).some((b) => b.callback_data === `dl:${d.pledgeId}`))!;
      expect(next).toBeDefined();
      const from = residentCallsFrom();
      const answer = await h.press(d.u, resultMessage(next), `dl:${d.pledgeId}`);
      expect(answer.ok).toBe(true);
      await h.settle();
      const said = residentSince(from);
      expect(said).toHaveLength(1);
      const text = String(said[0]!.params.text);
      expect(text).toContain(L.delivered(d.who, d.amount));
      expect(text).toContain(L.question);
      expect(buttonsOf(said[0]!).map((b) => b.callback_data)).toEqual([`cf:${d.pledgeId}`]);
      questions.push(said[0]!);
      // The worker's prompt names the donor and the amount too.
      const workerAsk = h.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === worker.id && buttonsOf(c).some((b) => b.callback_data === `cf:${d.pledgeId}`));
      expect(workerAsk).toHaveLength(1);
      expect(String(workerAsk[0]!.params.text)).toContain(L.workerAsk(d.who, d.amount));
    }
    // Exactly one question per delivery, across everything the resident was sent.
    const allQuestions = h.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === resident.id && buttonsOf(c).some((b) => b.callback_data?.startsWith('cf:')));
    expect(allQuestions.map((c) => buttonsOf(c)[0]!.callback_data)).toEqual(deliveries.map((d) => `cf:${d.pledgeId}`));
    expect(new Set(allQuestions.map((c) => c.params.text)).size).toBe(3);

    // The resident confirms each; the last fulfils the wish, and that message names who helped.
    for (const [i, q] of questions.entries()) {
      const answer = await h.press(resident, resultMessage(q), buttonsOf(q)[0]!.callback_data!);
      expect(answer.ok).toBe(true);
      // The answer says what was confirmed: how much, from whom.
      expect(String(answer.params.text)).toContain(deliveries[i]!.amount);
      expect(String(answer.params.text)).toContain(deliveries[i]!.named);
    }
    await h.settle();
    expect((await services.wishes.get(code)).status).toBe('fulfilled');
    const fulfilled = h.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === resident.id && buttonsOf(c).some((b) => b.callback_data?.startsWith('ty:')));
    expect(fulfilled).toHaveLength(1);
    expect(String(fulfilled[0]!.params.text)).toContain(L.fulfilled);
    expect(String(fulfilled[0]!.params.text)).toContain('¥300');
    expect(h.textsIn(worker.id).some((t) => t.includes(L.workerConfirmed) && t.includes(code))).toBe(true);

    // Anonymity: neither the resident nor the worker ever saw the anonymous donor's names.
    for (const chat of [resident.id, worker.id]) {
      for (const text of h.textsIn(chat)) {
        for (const secretName of ['Secretive', 'Sam', 'secret_sam_tg', 'Hidden-Name']) expect(text).not.toContain(secretName);
      }
    }

    // /help for someone who is only a resident: what a resident can do, nothing for workers or donors.
    const help = String((await h.say(resident, privateChatOf(resident), '/help')).params.text);
    for (const s of L.help.has) expect(help).toContain(s);
    for (const s of ['/newwish', '/token', '/invite', L.help.donor, '/profile']) expect(help).not.toContain(s);
    // A resident who also gives (a donor profile) sees the donor commands after their own.
    await people.setDonorProfile(resident.id, { type: 'individual', displayName: 'Rosa', anonymous: false }, new Date());
    const helpAsDonor = String((await h.say(resident, privateChatOf(resident), '/help')).params.text);
    expect(helpAsDonor).toContain(L.help.donor);
    expect(helpAsDonor.indexOf('/mywishes')).toBeLessThan(helpAsDonor.indexOf(L.help.donor));
    expect(helpAsDonor).not.toContain('/newwish');
    // A worker's help is unchanged: the worker commands are there.
    const workerHelp = String((await h.say(worker, privateChatOf(worker), '/help')).params.text);
    expect(workerHelp).toContain('/newwish');
    expect(workerHelp).toContain(L.help.donor);
  }

  it('in English: one clear message per step, one question per delivery, anonymity kept, a resident’s /help', async () => {
    await story('en', 1);
  });

  it('in Chinese: the same, in Chinese', async () => {
    await story('zh', 2);
  });
});
