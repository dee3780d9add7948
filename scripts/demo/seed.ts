// The demo's community, made the way people would make it: everyone opens the bot, the admin invites
// the worker, the worker adds the bot to two groups and links them; then wishes in every state, driven
// through the same services the bot and the API use. Runs against the fake Bot API in this process.
import type { Runtime } from '../../src/runtime';
import { actorFor, donorActor, donorRefOf, type DonorType } from '../../src/domain/people';
import type { Actor, Category, WishState } from '../../src/domain/wish/types';
import { groupChat, privateChatOf, type FakeTelegram, type Message, type RecordedCall, type TgChat, type TgUser } from '../../test/fake-telegram';

export interface DemoPerson {
  user: TgUser;
  /** What the picker says they are. */
  role: string;
  /** The group chats they are a member of. */
  groups: number[];
}

export interface DemoGroup {
  chat: TgChat;
  language: 'en' | 'zh';
}

export interface DemoWorld {
  people: DemoPerson[];
  groups: DemoGroup[];
  communityId: string;
  communityName: string;
  /** code -> status, for the start-up summary. */
  wishes: Array<{ code: string; title: string; status: string }>;
}

const ADMIN: TgUser = { id: 1001, is_bot: false, first_name: 'Ada', last_name: 'Admin', language_code: 'en' };
const WORKER: TgUser = { id: 2002, is_bot: false, first_name: 'Wang', last_name: 'Fang', language_code: 'en' };
const RESIDENT: TgUser = { id: 4004, is_bot: false, first_name: 'Rosa', language_code: 'en' };
const DONORS: Array<{ user: TgUser; type: DonorType; displayName: string; role: string }> = [
  { user: { id: 5001, is_bot: false, first_name: 'Emma', last_name: 'Clark', language_code: 'en' }, type: 'individual', displayName: 'Emma Clark', role: 'Donor (individual)' },
  { user: { id: 5002, is_bot: false, first_name: 'Tom', last_name: 'Baker', language_code: 'en' }, type: 'business', displayName: 'Sunrise Bakery', role: 'Donor (business: Sunrise Bakery)' },
  { user: { id: 5003, is_bot: false, first_name: '李建国', language_code: 'zh' }, type: 'party_member', displayName: '李建国', role: '捐助人（党员）Donor (party member)' },
  { user: { id: 5004, is_bot: false, first_name: '张伟', language_code: 'zh' }, type: 'volunteer_team', displayName: '青年志愿者队', role: '捐助人（志愿队：青年志愿者队）Donor (volunteer team)' },
];
const EN_GROUP: DemoGroup = { chat: groupChat(-1001000000001, 'Harbour Street Neighbours'), language: 'en' };
const ZH_GROUP: DemoGroup = { chat: groupChat(-1001000000002, '港湾街邻里互助群'), language: 'zh' };

/** How long the seeding waits for one answer of the bot before giving up: generous, for a loaded machine. */
const WAIT_MS = 60_000;
const DAY = 86_400_000;

export const demoAdminIds = [ADMIN.id];

export async function seedDemo(fake: FakeTelegram, runtime: Runtime, log: (line: string) => void): Promise<DemoWorld> {
  const { services, people } = runtime;
  const groups = [EN_GROUP, ZH_GROUP];
  const groupIds = groups.map((g) => g.chat.id);
  const cast: DemoPerson[] = [
    { user: WORKER, role: 'Social worker', groups: groupIds },
    ...DONORS.map((d) => ({ user: d.user, role: d.role, groups: groupIds })),
    { user: RESIDENT, role: 'Resident (linked to a wish)', groups: [] },
    { user: ADMIN, role: 'Admin', groups: groupIds },
  ];

  const textOf = (c: RecordedCall) => String(c.params.text ?? '');
  /** Writes as `user` in `chat`; resolves with the bot's first message to that chat afterwards matching `expect`. */
  async function say(user: TgUser, chat: TgChat, text: string, expect: (text: string) => boolean = () => true): Promise<RecordedCall> {
    const after = fake.calls.at(-1)?.seq ?? 0;
    fake.pushUpdate(fake.textUpdate(user, chat, text));
    return fake.waitForCall((c) => c.seq > after && c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === chat.id && expect(textOf(c)), WAIT_MS);
  }
  async function press(user: TgUser, message: Message, data: string): Promise<RecordedCall> {
    const update = fake.callbackUpdate(user, message, data);
    fake.pushUpdate(update);
    const id = update.callback_query!.id;
    return fake.waitForCall((c) => c.method === 'answerCallbackQuery' && String(c.params.callback_query_id) === id, WAIT_MS);
  }

  // Everyone opens the bot once, as they would from a group's link.
  log('seeding: everyone opens the bot');
  for (const p of cast) await say(p.user, privateChatOf(p.user), '/start');

  // The admin makes the community and invites the worker with a one-time link.
  const adminActor: Actor = actorFor((await people.get(ADMIN.id))!, demoAdminIds);
  const community = await services.communities.create({ name: 'Harbour Street' }, adminActor);
  const invite = await say(ADMIN, privateChatOf(ADMIN), `/invite ${community.linkCode}`, (t) => /start=worker_/.test(t));
  const token = /start=worker_([0-9A-Za-z]+)/.exec(textOf(invite))![1]!;
  await say(WORKER, privateChatOf(WORKER), `/start worker_${token}`);

  // The worker, an administrator of both groups, adds the bot and links each group; the Chinese one speaks Chinese.
  log('seeding: linking the groups');
  for (const g of groups) {
    fake.pushUpdate(fake.myChatMemberUpdate(g.chat, WORKER, 'member'));
    fake.setMemberStatus(g.chat.id, WORKER.id, 'administrator');
    fake.setMemberStatus(g.chat.id, ADMIN.id, 'administrator');
    await say(WORKER, g.chat, `/link ${community.linkCode}`, (t) => t.includes(community.name));
    if (g.language === 'zh') {
      const offersChinese = (c: RecordedCall) => JSON.stringify(c.params.reply_markup ?? {}).includes('"lang:zh"');
      const after = fake.calls.at(-1)?.seq ?? 0;
      fake.pushUpdate(fake.textUpdate(WORKER, g.chat, '/language'));
      const chooser = await fake.waitForCall((c) => c.seq > after && c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === g.chat.id && offersChinese(c), WAIT_MS);
      await press(WORKER, chooser.result as Message, 'lang:zh');
    }
  }

  // Donors of every type (what /profile would set).
  for (const d of DONORS) await people.setDonorProfile(d.user.id, { type: d.type, displayName: d.displayName, anonymous: false }, new Date());

  log('seeding: wishes in every state');
  const worker = actorFor((await people.get(WORKER.id))!, demoAdminIds);
  const donor = async (i: number) => {
    const person = (await people.get(DONORS[i]!.user.id))!;
    return { actor: donorActor(person), ref: donorRefOf(person) };
  };
  const wish = async (w: { title: string; description: string; category: Category; target: number; unit?: string; alias: string; days?: number; deadline?: Date; urgent?: boolean }, publish = true): Promise<WishState> => {
    const { state } = await services.wishes.create(
      {
        communityId: community.id,
        title: w.title,
        description: w.description,
        category: w.category,
        target: w.target,
        ...(w.unit ? { unit: w.unit } : {}),
        deadline: w.deadline ?? new Date(Date.now() + (w.days ?? 14) * DAY),
        urgency: w.urgent ? 'urgent' : 'normal',
        beneficiary: { alias: w.alias, notes: 'Demo notes: only workers see these', contact: '555-0100' },
      },
      worker,
      { publish },
    );
    return state;
  };
  const pledgeOf = (state: WishState, donorId: string) => state.pledges.find((p) => p.donorId === donorId)!.id;

  // The one that expires: its deadline passes while the others are seeded.
  const expiresAt = new Date(Date.now() + 3000);
  const toExpire = await wish({ title: 'Bus pass top-up', description: 'A monthly pass to get to the clinic.', category: 'cash', target: 60, alias: 'resident with a clinic appointment', deadline: expiresAt });

  await wish({ title: 'Reading glasses +2.5', description: 'Her old pair broke; she cannot read her letters.', category: 'goods', target: 1, unit: 'pair', alias: 'elderly resident, Building 3', urgent: true });
  await wish({ title: '大米 10公斤', description: '独居老人，行动不便，需要送米上门。', category: 'goods', target: 3, unit: '袋', alias: '3号楼独居老人', days: 10 });
  await wish({ title: 'Weekly shopping help', description: 'Someone to carry the shopping up four floors on Saturdays.', category: 'service', target: 4, unit: 'visits', alias: 'resident on the 4th floor', days: 30 });

  const heating = await wish({ title: 'Winter heating bill', description: 'Heating was cut off in November; this covers the arrears.', category: 'cash', target: 300, alias: 'family of three, Building 5', days: 20 });
  // Rosa is this wish's resident (what following the worker's one-time link does), so she hears of its pledges;
  // linked after it was shown, she is told how it is shown and may stop it.
  await runtime.consent.link(heating.id, RESIDENT.id);
  const bakery = await donor(1);
  await services.wishes.execute(heating.id, { type: 'pledge', donor: bakery.ref, amount: 100 }, bakery.actor);

  const frame = await wish({ title: '助行器', description: '术后康复需要一个助行器。', category: 'goods', target: 1, unit: '个', alias: '术后康复的居民', days: 12 });
  const emma = await donor(0);
  await services.wishes.execute(frame.id, { type: 'claim', donor: emma.ref }, emma.actor);

  const batteries = await wish({ title: 'Hearing aid batteries', description: 'A year of size 312 batteries.', category: 'goods', target: 1, unit: 'box', alias: 'retired teacher, Building 1', days: 7 });
  const team = await donor(3);
  const claimed = (await services.wishes.execute(batteries.id, { type: 'claim', donor: team.ref }, team.actor)).state;
  const pledgeId = pledgeOf(claimed, team.ref.donorId);
  await services.wishes.execute(batteries.id, { type: 'deliver', pledgeId }, team.actor);
  // The worker confirms with the button the bot sent her, as she would.
  const confirmData = `cf:${batteries.id}:`;
  const hasConfirm = (c: RecordedCall) =>
    JSON.stringify((c.params.reply_markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard ?? []).includes(`"${confirmData}`);
  const ask = await fake.waitForCall((c) => c.ok && c.method === 'sendMessage' && Number(c.params.chat_id) === WORKER.id && hasConfirm(c), WAIT_MS);
  const button = (ask.result as Message).reply_markup!.inline_keyboard.flat().find((b) => b.callback_data?.startsWith(confirmData))!;
  await press(WORKER, ask.result as Message, button.callback_data!);

  const medicine = await wish({ title: '降压药费用', description: '本月的降压药自费部分。', category: 'cash', target: 200, alias: '5号楼的老人', days: 9 });
  const party = await donor(2);
  await services.wishes.execute(medicine.id, { type: 'pledge', donor: party.ref, amount: 200 }, party.actor);

  const fan = await wish({ title: 'Fix a leaking tap', description: 'The kitchen tap has dripped for a month.', category: 'service', target: 1, unit: 'visit', alias: 'resident, Building 2', days: 5 });
  await services.wishes.cancel(fan.id, worker, 'The landlord fixed it');

  await wish({ title: 'Winter coat, size L', description: 'Still being written up by the worker.', category: 'goods', target: 1, alias: 'resident, Building 4' }, false);

  const left = expiresAt.getTime() - Date.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left + 50));
  await services.wishes.execute(toExpire.id, { type: 'expire' }, { kind: 'system', id: 'system' });

  const all = (await services.wishes.list({ communityIds: [community.id] })).sort((a, b) => a.codeNumber - b.codeNumber);
  return {
    people: cast,
    groups,
    communityId: community.id,
    communityName: community.name,
    wishes: all.map((w) => ({ code: w.code, title: w.title, status: w.status })),
  };
}

/** Waits until what the seeding owes Telegram (cards, news) has been sent, so the first look is complete. */
export async function settle(fake: FakeTelegram, runtime: Runtime, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await runtime.later.idle();
    if ((await runtime.outbox.pendingCount()) === 0) return;
    if (Date.now() > deadline) throw new Error(`the outbox still has ${await runtime.outbox.pendingCount()} messages to send after ${timeoutMs / 1000} s`);
    runtime.sender.wake();
    await fake.waitForCall(() => true, 1000).catch(() => undefined);
  }
}
