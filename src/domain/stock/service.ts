import { createHash } from 'node:crypto';
import { Clock } from '../clock';
import { BusyError, ForbiddenError, InvalidError, NotFoundError } from '../errors';
import { charCount, foldForChecks, tidyText } from '../input';
import { canSee, isStaffFor } from '../roles';
import { issue } from '../wish/rules';
import { Actor } from '../wish/types';
import { actorRef } from '../wish/service';
import { decide, evolve, fold } from './ledger';
import { CONDITIONS, Condition, Destination, Giver, StockCommand, StockEvent, StockState } from './types';

export interface StockStore {
  /** The item's last saved state (a cache: events after it are folded in). */
  head(itemId: string): Promise<StockState | null>;
  eventsAfter(itemId: string, seq: number): Promise<StockEvent[]>;
  /** Unique insert of `<itemId>:<seq>`: 'conflict' when another writer took that seq first. */
  append(event: StockEvent): Promise<'ok' | 'conflict'>;
  saveHead(state: StockState): Promise<void>;
  /** Every item's last saved state in a community. */
  headsOf(communityId: string): Promise<StockState[]>;
}

export type StockService = ReturnType<typeof createStockService>;

const LIMITS = { name: 60, unit: 20, from: 80 };

/**
 * The in-kind ledger over its store. One item per community and name and unit (`stk-…`, the same id
 * for the same words however they are typed), an event stream each; a command decides on the state,
 * inserts its event at version + 1, and on losing the insert reloads and decides again.
 */
export function createStockService(deps: {
  store: StockStore;
  clock: Clock;
  random?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** After each event is recorded (tells givers what their gift became); its failure is not the caller's. */
  onEvent?(event: StockEvent, before: StockState | null, after: StockState): Promise<void>;
}) {
  const { store, clock } = deps;
  const random = deps.random ?? Math.random;
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const MAX_ATTEMPTS = 80;

  const itemIdOf = (communityId: string, name: string, unit: string) =>
    `stk-${createHash('sha256').update(`${communityId}|${foldForChecks(name).toLowerCase()}|${foldForChecks(unit).toLowerCase()}`).digest('hex').slice(0, 16)}`;

  async function latest(itemId: string): Promise<StockState | null> {
    const head = await store.head(itemId);
    const newer = await store.eventsAfter(itemId, head?.version ?? 0);
    return newer.length === 0 ? head : fold(newer, head);
  }

  async function execute(itemId: string, command: StockCommand, actor: Actor): Promise<{ state: StockState; event: StockEvent | null }> {
    let state = await latest(itemId);
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const body = decide(state, command);
      if (body === null) return { state: state!, event: null };
      const seq = (state?.version ?? 0) + 1;
      const event = { ...body, id: `${itemId}:${seq}`, itemId, seq, at: clock(), actor: actorRef(actor) } as StockEvent;
      if ((await store.append(event)) === 'ok') {
        const next = evolve(state, event);
        await store.saveHead(next).catch(() => undefined); // a cache: the next read folds in what it missed
        await deps.onEvent?.(event, state, next).catch(() => undefined);
        return { state: next, event };
      }
      await sleep(Math.floor(random() * Math.min(100, 4 * 2 ** attempt)));
      state = await latest(itemId);
    }
    throw new BusyError('busy', 'Too many people are changing this stock right now; try again');
  }

  async function visible(itemId: string, actor: Actor): Promise<StockState> {
    const s = await latest(itemId);
    if (!s || !canSee(actor, s.communityId)) throw new NotFoundError('item_not_found', `No item ${itemId}`);
    return s;
  }
  async function staffItem(itemId: string, actor: Actor): Promise<StockState> {
    const s = await visible(itemId, actor);
    if (!isStaffFor(actor, s.communityId)) throw new ForbiddenError('forbidden', 'Only staff of this community change its stock');
    return s;
  }

  return {
    itemIdOf,
    /** Goods arrived: into the item of that name and unit (made on its first receipt). */
    async receive(input: { communityId: string; name: string; unit?: string; quantity: number; from: Giver; condition?: string; expiry?: Date; photoFileId?: string }, actor: Actor) {
      if (!isStaffFor(actor, input.communityId)) {
        if (!canSee(actor, input.communityId)) throw new NotFoundError('community_not_found', `No community ${input.communityId}`);
        throw new ForbiddenError('forbidden', 'Only staff of this community record what arrived');
      }
      const name = tidyText(String(input.name ?? ''));
      const unit = tidyText(String(input.unit ?? '')) || 'pcs';
      const from = { ...input.from, name: tidyText(String(input.from?.name ?? '')) };
      const condition = (input.condition ?? 'good') as Condition;
      const issues = [];
      if (charCount(name) === 0) issues.push(issue('name', 'required'));
      else if (charCount(name) > LIMITS.name) issues.push(issue('name', 'too_long', { max: LIMITS.name }));
      if (charCount(unit) > LIMITS.unit) issues.push(issue('unit', 'too_long', { max: LIMITS.unit }));
      if (charCount(from.name) === 0) issues.push(issue('from.name', 'required'));
      else if (charCount(from.name) > LIMITS.from) issues.push(issue('from.name', 'too_long', { max: LIMITS.from }));
      if (!(CONDITIONS as readonly string[]).includes(condition)) issues.push(issue('condition', 'not_a_choice', { choices: CONDITIONS.join(', ') }));
      if (!Number.isInteger(input.quantity)) issues.push(issue('quantity', 'not_whole'));
      else if (input.quantity < 1) issues.push(issue('quantity', 'too_small', { min: 1 }));
      else if (input.quantity > 1_000_000) issues.push(issue('quantity', 'too_large', { max: 1_000_000 }));
      if (input.expiry !== undefined && Number.isNaN(input.expiry.getTime())) issues.push(issue('expiry', 'not_a_date'));
      if (issues.length > 0) throw InvalidError.fields(issues);
      const itemId = itemIdOf(input.communityId, name, unit);
      return execute(itemId, { type: 'receive', communityId: input.communityId, name, unit, quantity: input.quantity, from, condition, ...(input.expiry ? { expiry: input.expiry } : {}), ...(input.photoFileId ? { photoFileId: input.photoFileId } : {}) }, actor);
    },
    async allocate(itemId: string, quantity: number, to: Destination, actor: Actor) {
      await staffItem(itemId, actor);
      return execute(itemId, { type: 'allocate', quantity, to }, actor);
    },
    async change(itemId: string, command: Exclude<StockCommand, { type: 'receive' | 'allocate' }>, actor: Actor) {
      await staffItem(itemId, actor);
      return execute(itemId, command, actor);
    },
    /** For the surplus offers and the wish side, which check roles themselves. */
    execute,
    get: visible,
    async list(communityId: string, actor: Actor): Promise<StockState[]> {
      if (!canSee(actor, communityId)) throw new NotFoundError('community_not_found', `No community ${communityId}`);
      const out: StockState[] = [];
      for (const head of await store.headsOf(communityId)) out.push((await latest(head.itemId)) ?? head);
      return out.sort((a, b) => a.name.localeCompare(b.name));
    },
    /** Every event of an item, first to last: what every figure is folded from. */
    async history(itemId: string, actor: Actor): Promise<StockEvent[]> {
      await visible(itemId, actor);
      return store.eventsAfter(itemId, 0);
    },
  };
}
