import { decide } from '../../src/domain/wish/decide';
import { evolve } from '../../src/domain/wish/evolve';
import { Actor, WishCommand, WishEvent, WishEventBody, WishState } from '../../src/domain/wish/types';
import { donorIdOf, Person, PersonStore } from '../../src/domain/people';
import { GroupStore } from '../../src/domain/groups';
import { createRelay } from '../../src/notify/relay';

// A worker who gives to their own community's wish cannot confirm it (issue 10, self-dealing): the
// "please confirm" prompt with its button goes to someone who may press it.

const NOW = new Date('2026-11-22T09:00:00Z');
const WANG = 2002; // the wish's worker, who also claims it
const LI = 2003; // another worker of the community

const person = (telegramId: number, workerOf: string[] = []): Person => ({
  telegramId,
  name: `P${telegramId}`,
  startedAt: NOW,
  workerOf,
  residentOf: [],
  createdAt: NOW,
  updatedAt: NOW,
});

const everyone = new Map([WANG, LI].map((id) => [id, person(id, ['c1'])]));
const people = {
  get: async (id: number) => everyone.get(id) ?? null,
  residentsOf: async () => [],
  workersOf: async (communityId: string) => [...everyone.values()].filter((p) => p.workerOf.includes(communityId)),
} as unknown as PersonStore;
const groups = { ofCommunity: async () => [] } as unknown as GroupStore;

let seq = 0;
function step(state: WishState | null, body: WishEventBody, actor: Actor): { state: WishState; event: WishEvent } {
  seq += 1;
  const event = { ...body, id: `W-1001:${seq}`, wishId: 'W-1001', seq, at: NOW, actor: { kind: actor.kind, id: actor.id } } as WishEvent;
  return { state: evolve(state, event), event };
}
function act(state: WishState, command: WishCommand, actor: Actor) {
  const d = decide(state, command, { actor, now: NOW });
  if (!d.ok || !d.event) throw new Error(`refused: ${command.type}`);
  return step(state, d.event, actor);
}

function deliveredByTheWishWorker(workerTelegramId: number | undefined) {
  seq = 0;
  const worker: Actor = { kind: 'worker', id: donorIdOf(WANG), communityIds: ['c1'], telegramId: WANG };
  let { state } = step(
    null,
    {
      type: 'created',
      wish: {
        code: 'W-1001',
        communityId: 'c1',
        title: 'Wheelchair',
        description: 'For an elder',
        category: 'goods',
        target: 1,
        deadline: new Date('2026-12-12T23:59:59Z'),
        urgency: 'normal',
        beneficiary: { alias: 'elder, Building 3' },
        ...(workerTelegramId !== undefined ? { workerTelegramId } : {}),
      },
    } as WishEventBody,
    worker,
  );
  state = step(state, { type: 'published' } as WishEventBody, worker).state;
  state = act(state, { type: 'claim', donor: { donorId: donorIdOf(WANG) } }, worker).state;
  const pledgeId = state.pledges[0]!.id;
  return act(state, { type: 'deliver', pledgeId } as WishCommand, worker);
}

describe('who is asked to confirm a delivery', () => {
  const relay = createRelay({ groups, people, defaultLanguage: 'en', timeZone: 'Asia/Shanghai', currency: 'CNY' });
  const confirmPrompts = (items: Awaited<ReturnType<typeof relay.messagesFor>>) => items.filter((i) => i.kind === 'worker_delivered').map((i) => i.chatId);

  it('not the worker who gave it themselves: the community’s other workers are asked', async () => {
    const { state, event } = deliveredByTheWishWorker(WANG);
    expect(confirmPrompts(await relay.messagesFor(event, state))).toEqual([LI]);
  });

  it('nor when the wish names no worker and its creator gave it', async () => {
    const { state, event } = deliveredByTheWishWorker(undefined);
    expect(confirmPrompts(await relay.messagesFor(event, state))).toEqual([LI]);
  });
});
