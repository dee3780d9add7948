import { decide } from '../../src/domain/wish/decide';
import { evolve } from '../../src/domain/wish/evolve';
import { Actor, Category, WishCommand, WishEvent, WishEventBody, WishState } from '../../src/domain/wish/types';
import { donorIdOf, Person, PersonStore } from '../../src/domain/people';
import { Language } from '../../src/domain/community';
import { GroupStore } from '../../src/domain/groups';
import { createRelay } from '../../src/notify/relay';
import { NewOutboxItem } from '../../src/domain/outbox';

// Issue 13, item 5: each step of a wish tells its resident what happened, who did it (an anonymous
// donor never by name) and what it means, once; the worker's news names the donor and amount too.

const NOW = new Date('2026-11-22T09:00:00Z');
const WORKER = 2002;
const RESIDENT = 4004;
const BAKERY = 5001;
const SECRET = 5002;

const person = (telegramId: number, language: Language, over: Partial<Person> = {}): Person => ({
  telegramId,
  name: `P${telegramId}`,
  language,
  startedAt: NOW,
  workerOf: [],
  residentOf: [],
  createdAt: NOW,
  updatedAt: NOW,
  ...over,
});

function relayFor(lang: Language) {
  const everyone = new Map([
    [WORKER, person(WORKER, lang, { workerOf: ['c1'] })],
    [RESIDENT, person(RESIDENT, lang, { residentOf: ['W-1001'] })],
  ]);
  const people = {
    get: async (id: number) => everyone.get(id) ?? null,
    residentsOf: async () => [everyone.get(RESIDENT)!],
    workersOf: async (communityId: string) => [...everyone.values()].filter((p) => p.workerOf.includes(communityId)),
  } as unknown as PersonStore;
  const groups = { ofCommunity: async () => [] } as unknown as GroupStore;
  return createRelay({ groups, people, defaultLanguage: 'en', timeZone: 'Asia/Shanghai', currency: 'CNY' });
}

const worker: Actor = { kind: 'worker', id: donorIdOf(WORKER), communityIds: ['c1'], telegramId: WORKER };
const bakery = { donorId: donorIdOf(BAKERY), displayName: 'Harbour <Bakery>', anonymous: false };
const secret = { donorId: donorIdOf(SECRET), displayName: 'Secretive Sam', anonymous: true };
const asDonor = (d: { donorId: string }): Actor => ({ kind: 'donor', id: d.donorId });

/** A wish's story, event by event, with the outbox items each event owes. */
async function storyOf(lang: Language, category: Category, target: number, unit: string | undefined, commands: Array<[WishCommand | ((s: WishState) => WishCommand), Actor]>) {
  const relay = relayFor(lang);
  let seq = 0;
  const step = (state: WishState | null, body: WishEventBody, actor: Actor) => {
    seq += 1;
    const event = { ...body, id: `W-1001:${seq}`, wishId: 'W-1001', seq, at: NOW, actor: { kind: actor.kind, id: actor.id } } as WishEvent;
    return { state: evolve(state, event), event };
  };
  let { state } = step(
    null,
    {
      type: 'created',
      wish: { code: 'W-1001', communityId: 'c1', title: 'Rice', description: 'For an elder', category, target, ...(unit ? { unit } : {}), deadline: new Date('2026-12-12T23:59:59Z'), urgency: 'normal', beneficiary: { alias: 'elder' }, workerTelegramId: WORKER },
    } as WishEventBody,
    worker,
  );
  state = step(state, { type: 'published' } as WishEventBody, worker).state;
  const steps: Array<{ event: WishEvent; items: NewOutboxItem[] }> = [];
  for (const [c, actor] of commands) {
    const command = typeof c === 'function' ? c(state) : c;
    const d = decide(state, command, { actor, now: NOW });
    if (!d.ok || !d.event) throw new Error(`refused: ${command.type}`);
    const next = step(state, d.event, actor);
    state = next.state;
    steps.push({ event: next.event, items: await relay.messagesFor(next.event, state) });
  }
  const textsTo = (items: NewOutboxItem[], chatId: number) =>
    items.filter((i) => i.chatId === chatId && i.payload.type === 'message').map((i) => (i.payload as { message: { text: string } }).message.text);
  return { steps, state, textsTo };
}

const pledgeOf = (donorId: string) => (s: WishState) => s.pledges.find((p) => p.donorId === donorId && p.status !== 'withdrawn')!.id;

describe('what each step tells the resident and the worker', () => {
  it('goods: who will bring what, a withdrawal, a delivery question naming donor and item, a confirmation by staff', async () => {
    const { steps, textsTo } = await storyOf('en', 'goods', 2, 'bags', [
      [{ type: 'claim', donor: secret }, asDonor(secret)],
      [(s) => ({ type: 'withdraw', pledgeId: pledgeOf(secret.donorId)(s) }), asDonor(secret)],
      [{ type: 'claim', donor: bakery }, asDonor(bakery)],
      [(s) => ({ type: 'deliver', pledgeId: pledgeOf(bakery.donorId)(s) }), asDonor(bakery)],
      [(s) => ({ type: 'confirm', pledgeId: pledgeOf(bakery.donorId)(s) }), worker],
    ]);
    const resident = steps.map((s) => textsTo(s.items, RESIDENT));
    expect(resident).toEqual([
      ['An anonymous donor will bring 2 bags for your wish W-1001 “Rice”.'],
      ['An anonymous donor cannot bring the 2 bags for your wish W-1001 “Rice” after all. The wish is open again so someone else can help; your worker is following it.'],
      ['Harbour &lt;Bakery&gt; will bring 2 bags for your wish W-1001 “Rice”.'],
      ['Harbour &lt;Bakery&gt; says they delivered 2 bags for your wish W-1001 “Rice”. Did you receive it?'],
      [expect.stringContaining('is fulfilled 🎉 – 2 bags in all, thanks to Harbour &lt;Bakery&gt;.')],
    ]);
    const toWorker = steps.map((s) => textsTo(s.items, WORKER));
    expect(toWorker[1]).toEqual(['An anonymous donor withdrew 2 bags from W-1001 “Rice”. It is open again for others.']);
    expect(toWorker[3]).toEqual(['Harbour &lt;Bakery&gt; says they delivered 2 bags for W-1001 “Rice”. Please confirm once the resident has it.']);
    // The worker confirmed it: no "resident confirmed" news back to the worker.
    expect(toWorker[4]).toEqual([]);
    for (const s of steps) for (const text of [...textsTo(s.items, RESIDENT), ...textsTo(s.items, WORKER)]) expect(text).not.toMatch(/Secretive|Sam/);
  });

  it('cash: a confirmation by staff that does not fulfil the wish tells the resident what was recorded', async () => {
    const { steps, textsTo } = await storyOf('zh', 'cash', 300, undefined, [
      [{ type: 'pledge', donor: secret, amount: 100 }, asDonor(secret)],
      [(s) => ({ type: 'deliver', pledgeId: pledgeOf(secret.donorId)(s) }), asDonor(secret)],
      [(s) => ({ type: 'confirm', pledgeId: pledgeOf(secret.donorId)(s) }), worker],
    ]);
    expect(textsTo(steps[0]!.items, RESIDENT)).toEqual(['一位匿名爱心人士为您的心愿 W-1001“Rice”认捐了 ¥100；目前已筹 ¥100，目标 ¥300。']);
    expect(textsTo(steps[1]!.items, RESIDENT)).toEqual(['一位匿名爱心人士说已将 ¥100 交给您（心愿 W-1001“Rice”）。请问您收到了吗？']);
    expect(textsTo(steps[2]!.items, RESIDENT)).toEqual(['已记录：您已收到一位匿名爱心人士的 ¥100（心愿 W-1001“Rice”）。']);
  });

  it('service: the volunteer is named in the claim and the visit question', async () => {
    const { steps, textsTo } = await storyOf('en', 'service', 1, undefined, [
      [{ type: 'claim', donor: bakery }, asDonor(bakery)],
      [(s) => ({ type: 'deliver', pledgeId: pledgeOf(bakery.donorId)(s) }), asDonor(bakery)],
    ]);
    expect(textsTo(steps[0]!.items, RESIDENT)).toEqual(['Harbour &lt;Bakery&gt; will come for your wish W-1001 “Rice” (1 visit).']);
    expect(textsTo(steps[1]!.items, RESIDENT)).toEqual(['Harbour &lt;Bakery&gt; says the visit for your wish W-1001 “Rice” is done. Did it happen?']);
  });

  it('never two messages for one step: every outbox key is unique, and one question per delivery', async () => {
    const { steps } = await storyOf('en', 'cash', 300, undefined, [
      [{ type: 'pledge', donor: secret, amount: 100 }, asDonor(secret)],
      [{ type: 'pledge', donor: bakery, amount: 200 }, asDonor(bakery)],
      [(s) => ({ type: 'deliver', pledgeId: pledgeOf(secret.donorId)(s) }), asDonor(secret)],
      [(s) => ({ type: 'deliver', pledgeId: pledgeOf(bakery.donorId)(s) }), asDonor(bakery)],
    ]);
    const all = steps.flatMap((s) => s.items);
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
    for (const s of steps) expect(s.items.filter((i) => i.chatId === RESIDENT)).toHaveLength(1);
    const questions = all.filter((i) => i.chatId === RESIDENT && i.payload.type === 'message' && i.payload.message.keyboard);
    expect(questions).toHaveLength(2);
  });
});
