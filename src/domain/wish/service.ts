import { Clock } from '../clock';
import { Later } from '../later';
import { BusyError, DomainError, ForbiddenError, InvalidError, NotFoundError } from '../errors';
import { isStaffFor } from '../roles';
import { FIRST_CODE_NUMBER, formatWishCode } from './code';
import { decide } from './decide';
import { evolve, fold } from './evolve';
import { DraftInput, issue, validateDraft } from './rules';
import { DeadlineCursor, WishListFilter, WishStore } from './store';
import { Actor, ActorRef, WishChanges, WishCommand, WishEvent, WishEventBody, WishState, WishStatus } from './types';

export interface CommandResult {
  state: WishState;
  /** The event the command recorded; null when what it asked for was already so (a repeat: answer it as done). */
  event: WishEvent | null;
}

export interface WishServiceDeps {
  store: WishStore;
  clock: Clock;
  /** Does this community exist? */
  communityExists(communityId: string): Promise<boolean>;
  /** May this Telegram user follow wishes of this community (a worker of it, or an admin)? */
  isWorker?(telegramId: number, communityId: string): Promise<boolean>;
  /** Called after each committed event (relay to the outbox, metrics). Failures are the callee's to handle. */
  onEvent?(event: WishEvent, state: WishState): Promise<void> | void;
  /**
   * Where a commit's onEvent runs (once its snapshot is saved): in the background, after the command has
   * returned, so a press is answered first. Without it, it runs before the command returns.
   */
  later?: Pick<Later, 'run'>;
  /** How many times a command is re-decided after losing a race before answering "busy". */
  maxAttempts?: number;
  /** Injected so tests and benchmarks can make backoff deterministic. */
  sleep?(ms: number): Promise<void>;
  random?(): number;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What an event records of who did it: no scopes. */
export function actorRef(actor: Actor): ActorRef {
  return actor.name ? { kind: actor.kind, id: actor.id, name: actor.name } : { kind: actor.kind, id: actor.id };
}

export interface ExecuteOptions {
  /**
   * The caller's own precondition on the state the command is decided on (a card button that must
   * fit the wish it names): throws a DomainError to refuse. Checked on the same read as the decision,
   * so it costs no extra load.
   */
  guard?(state: WishState): void;
  /**
   * Return as soon as the event is committed, leaving the snapshot write to finish in the background
   * (a press is answered first). Otherwise the snapshot is saved before returning, so the caller's next
   * list shows what it just did.
   */
  returnAtCommit?: boolean;
}

function guardRefusal(guard: ExecuteOptions['guard'], state: WishState): DomainError | undefined {
  if (!guard) return undefined;
  try {
    guard(state);
    return undefined;
  } catch (err) {
    if (err instanceof DomainError) return err;
    throw err;
  }
}

export type WishService = ReturnType<typeof createWishService>;

export function createWishService(deps: WishServiceDeps) {
  const { store, clock } = deps;
  const maxAttempts = deps.maxAttempts ?? 25;
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;

  /** Full jitter, growing to about 100 ms: spreads the losers of a race so the next round has fewer. */
  const backoff = (attempt: number) => sleep(Math.floor(random() * Math.min(100, 4 * 2 ** attempt)));

  /** Runs `task` after the caller's answer when there is a background, else now; its failure is not the caller's. */
  async function afterwards(key: string, task: () => Promise<void>): Promise<void> {
    if (deps.later) deps.later.run(key, task);
    else await task().catch(() => undefined);
  }

  /** The current state: snapshot plus any events it has not seen yet. */
  async function loadLatest(wishId: string): Promise<WishState | null> {
    const snapshot = await store.loadSnapshot(wishId);
    const newer = await store.eventsAfter(wishId, snapshot?.version ?? 0);
    if (newer.length === 0) return snapshot;
    const state = fold(newer, snapshot);
    if (state) {
      // Started now (others deciding on this wish need it soon), awaited by the background.
      const saved = saveSnapshotQuietly(state);
      await afterwards(wishId, () => saved);
    }
    return state;
  }

  async function saveSnapshotQuietly(state: WishState): Promise<void> {
    try {
      await store.saveSnapshot(state);
    } catch {
      // The snapshot is a cache; the next read folds the missing events back in.
    }
  }

  async function commit(state: WishState | null, wishId: string, body: WishEventBody, actor: Actor, returnAtCommit = false): Promise<CommandResult | 'conflict'> {
    const seq = (state?.version ?? 0) + 1;
    const event = { ...body, id: `${wishId}:${seq}`, wishId, seq, at: clock(), actor: actorRef(actor) } as WishEvent;
    if ((await store.append(event)) === 'conflict') return 'conflict';
    const next = evolve(state, event);
    // The snapshot write starts now (beside a press's answer, when the caller returns at commit). The
    // relay waits for it: a snapshot that could not be saved leaves the event unrelayed, and the relay
    // sweep saves the snapshot (what lists and the jobs read) before relaying.
    const saved = store.saveSnapshot(next);
    saved.catch(() => undefined);
    if (!returnAtCommit) await saved.catch(() => undefined);
    // Known by the event's id, so the relay sweep leaves alone what is still on its way here.
    await afterwards(event.id, async () => {
      await saved;
      await deps.onEvent?.(event, next);
    });
    return { state: next, event };
  }

  /**
   * Runs one command: decide on the state we have, insert the event at version + 1, and if
   * another writer took that seq first, reload and decide again. The unique insert is the
   * only thing that makes the decision exclusive. A command whose outcome is already so records
   * nothing and returns the state with `event: null`.
   */
  async function execute(wishId: string, command: WishCommand, actor: Actor, opts: ExecuteOptions = {}): Promise<CommandResult> {
    // The snapshot alone is enough for the first try: a stale one just loses the insert.
    let state = await store.loadSnapshot(wishId);
    if (!state) state = await loadLatest(wishId);
    for (let attempt = 0; attempt < maxAttempts; attempt++) {
      if (!state) throw new NotFoundError('wish_not_found', `No wish ${wishId}`);
      const refused = guardRefusal(opts.guard, state);
      const decision = refused ? ({ ok: false, error: refused } as const) : decide(state, command, { actor, now: clock() });
      if (!decision.ok || decision.event === null) {
        // Decided on a snapshot that may be behind (the pledge it cannot find was just made): one
        // point read tells, and only then are the events folded in and the command decided again.
        if (await store.eventExists(`${wishId}:${state.version + 1}`)) {
          state = await loadLatest(wishId);
          continue;
        }
        if (!decision.ok) throw decision.error;
        return { state, event: null };
      }
      const result = await commit(state, wishId, decision.event, actor, opts.returnAtCommit);
      if (result !== 'conflict') return result;
      await backoff(attempt);
      // The winner writes the snapshot right after its insert, so a fresh snapshot is usually enough
      // and costs one small read; only when it has not moved do we fold the newer events in (a point
      // read per event).
      const previous = state.version;
      const snapshot = await store.loadSnapshot(wishId);
      state = snapshot && snapshot.version > previous ? snapshot : await loadLatest(wishId);
    }
    throw new BusyError('busy', 'Many people are acting on this wish right now; please try again');
  }

  async function create(input: DraftInput, actor: Actor, opts: { publish?: boolean } = {}): Promise<CommandResult> {
    if (!isStaffFor(actor, input.communityId)) {
      throw new ForbiddenError('forbidden', 'Only a worker of this community or an admin may post wishes');
    }
    // Who follows the wish: the worker named, else the one creating it (a worker in the bot, a token's owner).
    const draft = validateDraft({ ...input, workerTelegramId: input.workerTelegramId ?? actor.telegramId }, clock());
    if (!(await deps.communityExists(draft.communityId))) throw InvalidError.fields([issue('communityId', 'unknown_community')]);
    if (draft.workerTelegramId !== undefined && deps.isWorker && !(await deps.isWorker(draft.workerTelegramId, draft.communityId))) {
      throw InvalidError.fields([issue('workerTelegramId', 'not_a_worker')]);
    }
    // The code is the wish's id, so taking a code is inserting its first event: unique by construction.
    let number = Math.max((await store.highestCodeNumber()) + 1, FIRST_CODE_NUMBER);
    for (let attempt = 0; attempt < maxAttempts * 4; attempt++) {
      const code = formatWishCode(number);
      const created = await commit(null, code, { type: 'created', wish: { ...draft, code } }, actor);
      if (created !== 'conflict') return opts.publish ? execute(code, { type: 'publish' }, actor) : created;
      // Someone took this code: the next one is most likely free, with fresh knowledge now and then.
      number = attempt % 8 === 7 ? Math.max(number + 1, (await store.highestCodeNumber()) + 1) : number + 1;
    }
    throw new BusyError('busy', 'Many wishes are being created right now; please try again');
  }

  async function get(wishId: string): Promise<WishState> {
    const state = await loadLatest(wishId);
    if (!state) throw new NotFoundError('wish_not_found', `No wish ${wishId}`);
    return state;
  }

  /** Snapshots brought up to date; those whose true status no longer matches are left out. */
  async function repaired(snapshots: WishState[], status: WishStatus[] | undefined): Promise<WishState[]> {
    const stale = await store.staleIds(snapshots);
    const fresh = await Promise.all(snapshots.map(async (s) => (stale.has(s.id) ? ((await loadLatest(s.id)) ?? s) : s)));
    return fresh.filter((s) => !status || status.includes(s.status));
  }

  async function list(filter: WishListFilter): Promise<WishState[]> {
    return repaired(await store.listSnapshots(filter), filter.status);
  }

  /**
   * One page of a list, newest code first: `full` says whether more may follow, after
   * `lowestCodeNumber` (what the next page's `codeBelow` is). A wish whose snapshot lagged and whose
   * true status no longer matches is left out, so a page may be a little shorter than asked.
   */
  async function listPage(filter: WishListFilter & { limit: number }): Promise<{ items: WishState[]; full: boolean; lowestCodeNumber?: number }> {
    const snapshots = await store.listSnapshots(filter);
    const lowest = snapshots.length > 0 ? Math.min(...snapshots.map((s) => s.codeNumber)) : undefined;
    return { items: await repaired(snapshots, filter.status), full: snapshots.length >= filter.limit, lowestCodeNumber: lowest };
  }

  /**
   * Every wish with one of these statuses, oldest deadline first, a page at a time: the jobs go
   * through all of them, however many, without holding them all at once.
   */
  async function* pagesByDeadline(filter: { status: WishStatus[]; deadlineBefore?: Date }, pageSize = 200): AsyncGenerator<WishState[]> {
    let cursor: DeadlineCursor | undefined;
    for (;;) {
      const page = await store.pageByDeadline(filter, cursor, pageSize);
      if (page.length === 0) return;
      const last = page[page.length - 1]!;
      cursor = { deadline: last.deadline, id: last.id };
      const fresh = await repaired(page, filter.status);
      if (fresh.length > 0) yield fresh;
      if (page.length < pageSize) return;
    }
  }

  /** Every event of a wish, in order: its history, ledger and audit trail. */
  async function history(wishId: string): Promise<WishEvent[]> {
    const events = await store.eventsAfter(wishId, 0);
    if (events.length === 0) throw new NotFoundError('wish_not_found', `No wish ${wishId}`);
    return events;
  }

  return {
    create,
    get,
    history,
    list,
    listPage,
    pagesByDeadline,
    execute,
    publish: (wishId: string, actor: Actor) => execute(wishId, { type: 'publish' }, actor),
    cancel: (wishId: string, actor: Actor, reason?: string) => execute(wishId, { type: 'cancel', reason }, actor),
    confirm: (wishId: string, pledgeId: string, actor: Actor, opts: { handedOver?: boolean } = {}) =>
      execute(wishId, { type: 'confirm', pledgeId, ...(opts.handedOver ? { handedOver: true } : {}) }, actor),
    edit: (wishId: string, changes: WishChanges, actor: Actor) => execute(wishId, { type: 'edit', changes }, actor),
  };
}
