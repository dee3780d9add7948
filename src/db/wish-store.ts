import { FIRST_CODE_NUMBER, formatWishCode, parseWishCode } from '../domain/wish/code';
import { WishListFilter, WishStore } from '../domain/wish/store';
import { LIVE_STATUSES, WishEvent, WishState, WishStatus } from '../domain/wish/types';
import { isDuplicateKey, upsertWithRetry } from './connection';
import { FieldKeyring, fieldKeyring } from './field-crypto';
import { Models } from './models';
import { openDocument, sealDocument } from './private-fields';

type Doc<T> = T & { _id: string };
type Collection = Models['WishEvent']['collection'];

/** The statuses of a wish whose lifecycle is 'published' (views.ts deriveStatus): those kept in `open_wishes`. */
const onlyLive = (status: readonly WishStatus[] | undefined): boolean => status !== undefined && status.every((s) => LIVE_STATUSES.includes(s));

/** The hint document holding the highest wish code number known (see highestCodeNumber). */
const CODE_HINT = 'wish_code';

/** The keyring a store uses: the one it was given, else the process's (read when used, not when built). */
type Keys = () => FieldKeyring;
const keysOf = (keyring?: FieldKeyring): Keys => (keyring ? () => keyring : fieldKeyring);

// A `created` event's draft and every snapshot carry the beneficiary's private fields sealed
// (src/db/private-fields.ts): sealed when written, opened when read, only when present.
function toEvent(doc: Record<string, unknown>, keys: Keys): WishEvent {
  const { _id, ...rest } = doc;
  return { ...openDocument(rest, 'event', keys()), id: _id } as unknown as WishEvent;
}

function toState(doc: Record<string, unknown>, keys: Keys): WishState {
  const { _id, ...rest } = doc;
  return { ...openDocument(rest, 'snapshot', keys()), id: _id } as unknown as WishState;
}

/** `fn` over every item, at most `limit` at a time; results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * A wish's events from `fromSeq` on (up to `toSeq`), read one by one by `_id` (`<wishId>:<seq>`) until
 * one is missing: seqs have no gaps (each is a unique insert of version + 1), and on FerretDB only a
 * plain findOne by `_id` uses an index; a filter on `wishId` scans every wish's events, so its cost
 * grew with the whole history. Here it grows only with the events read.
 */
async function eventsFrom(events: Collection, keys: Keys, wishId: string, fromSeq: number, toSeq = Infinity): Promise<WishEvent[]> {
  const found: WishEvent[] = [];
  for (let seq = fromSeq; seq <= toSeq; seq++) {
    const doc = await events.findOne({ _id: `${wishId}:${seq}` as never });
    if (!doc) break;
    found.push(toEvent(doc, keys));
  }
  return found;
}

async function exists(collection: Collection, id: string): Promise<boolean> {
  return (await collection.findOne({ _id: id as never }, { projection: { _id: 1 } })) !== null;
}

/**
 * Makes a wish's `open_wishes` entry follow its snapshot: present while the wish is live, deleted
 * once it has closed. A draft has none to delete (it was never live), and skipping the delete keeps a
 * slow save of a draft from removing the entry its publication just wrote. A closed wish never goes
 * back to live, so a delete is never wrong; an upsert that lands late may leave an older live state,
 * which staleIds brings forward when a list or a job reads it.
 */
async function syncOpenEntry(openWishes: Collection, id: string, stored: Omit<WishState, 'id'>): Promise<void> {
  if (stored.lifecycle === 'published') await upsertWithRetry(() => openWishes.replaceOne({ _id: id as never }, stored, { upsert: true }));
  else if (stored.lifecycle !== 'draft') await openWishes.deleteOne({ _id: id as never });
}

export function createWishStore(models: Models, keyring?: FieldKeyring): WishStore {
  const keys = keysOf(keyring);
  const events = models.WishEvent.collection;
  const wishes = models.Wish.collection;
  const openWishes = models.OpenWish.collection;
  const relayQueue = models.RelayMarker.collection;
  const hints = models.Hint.collection;

  /** Whether a wish code is taken: its first event exists. */
  const codeTaken = (n: number) => exists(events, `${formatWishCode(n)}:1`);

  async function raiseCodeHint(n: number): Promise<void> {
    // $max is read-then-write on FerretDB: racing raises may leave a lower value; highestCodeNumber looks past it.
    await hints.updateOne({ _id: CODE_HINT as never }, { $max: { n } }, { upsert: true }).catch(() => undefined);
  }

  /**
   * From a code number known to be taken (or below the first code), the highest taken one: a gallop
   * then a binary search, of point reads. Codes are taken in order without gaps, so this finds the top.
   */
  async function highestTakenFrom(known: number): Promise<number> {
    let low = Math.max(known, FIRST_CODE_NUMBER - 1);
    let step = 1;
    let high: number | undefined;
    while (high === undefined) {
      if (await codeTaken(low + step)) {
        low += step;
        step *= 2;
      } else high = low + step;
    }
    while (high - low > 1) {
      const mid = Math.floor((low + high) / 2);
      if (await codeTaken(mid)) low = mid;
      else high = mid;
    }
    return low < FIRST_CODE_NUMBER ? known : low;
  }

  return {
    async loadSnapshot(wishId) {
      const doc = await wishes.findOne({ _id: wishId as never });
      return doc ? toState(doc, keys) : null;
    },

    eventsAfter: (wishId, afterSeq) => eventsFrom(events, keys, wishId, afterSeq + 1),

    eventExists: (eventId) => exists(events, eventId),

    async staleIds(snapshots) {
      // A point read each (`_id: {$in}` scans every event on FerretDB), 16 at a time.
      const stale = await mapLimit(snapshots, 16, async (s) => {
        if (!(await exists(events, `${s.id}:${s.version + 1}`))) return false;
        // An open_wishes entry behind the stored snapshot (a save that landed late) would be read
        // again by every job run: bring it to the snapshot, which deletes it once the wish has closed.
        // A repair only: if it fails, the next read that meets the entry tries again.
        const stored = await wishes.findOne({ _id: s.id as never });
        if (stored && Number(stored.version) > s.version) {
          const { _id, ...sealed } = stored;
          await syncOpenEntry(openWishes, s.id, sealed as unknown as Omit<WishState, 'id'>).catch(() => undefined);
        }
        return true;
      });
      return new Set(snapshots.filter((_, i) => stale[i]).map((s) => s.id));
    },

    async append(event) {
      const { id, ...rest } = event;
      const doc: Doc<Omit<WishEvent, 'id'>> = { _id: id, ...sealDocument(rest, 'event', keys()) };
      // The relay marker first, so no event is ever committed without one (inserted side by side, a
      // process killed in between could leave an event no sweep would find). A marker whose event is
      // never written is dropped by the sweep; one that lost the race marks the winner's event (same
      // id), which the sweep skips if it is already relayed.
      try {
        await relayQueue.insertOne({ _id: id as never, wishId: event.wishId, at: event.at });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      try {
        await events.insertOne(doc as never);
      } catch (err) {
        if (isDuplicateKey(err)) return 'conflict';
        throw err;
      }
      if (event.type === 'created') await raiseCodeHint(parseWishCode(event.wishId) ?? 0);
      return 'ok';
    },

    async saveSnapshot(state) {
      const { id, ...rest } = state;
      // A point read, then a write by _id alone: a filter on `version` as well made FerretDB scan the
      // whole collection on every save (12 s per save at 20,000 events under load). Two writers racing
      // past the read may leave the older of their two states: a snapshot only ever behind the events,
      // which every load folds forward, never ahead of them.
      const current = await wishes.findOne({ _id: id as never }, { projection: { version: 1 } });
      if (current && Number(current.version) >= state.version) return;
      // open_wishes first: if that write fails, `wishes` stays behind the events and the next load
      // saves both again; the other way round, a live wish could be missing from open_wishes for good.
      // Sealed once for both writes.
      const sealed = sealDocument(rest, 'snapshot', keys());
      await syncOpenEntry(openWishes, id, sealed);
      try {
        await wishes.replaceOne({ _id: id as never }, sealed, { upsert: true });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },

    async highestCodeNumber() {
      const hint = await hints.findOne({ _id: CODE_HINT as never });
      let known = Number(hint?.n ?? NaN);
      if (!Number.isFinite(known)) {
        // A database from before the hint: one scan, then the hint serves.
        const top = await wishes.find({}, { projection: { codeNumber: 1 } }).sort({ codeNumber: -1 }).limit(1).toArray();
        known = Number(top[0]?.codeNumber ?? 0);
        await raiseCodeHint(known);
      }
      // The hint may lag (raises that raced, a bulk load): one point read tells, a few more find the top.
      const highest = await highestTakenFrom(known);
      if (highest > known) await raiseCodeHint(highest);
      return highest;
    },

    async listSnapshots(filter: WishListFilter) {
      const query: Record<string, unknown> = {};
      if (filter.communityIds) query.communityId = { $in: filter.communityIds };
      if (filter.status) query.status = { $in: filter.status };
      if (filter.ids) query._id = { $in: filter.ids };
      if (filter.donorId) query['pledges.donorId'] = filter.donorId;
      if (filter.createdBy) query['createdBy.id'] = filter.createdBy;
      if (filter.category) query.category = filter.category;
      if (filter.deadlineBefore) query.deadline = { $lt: filter.deadlineBefore };
      if (filter.codeBelow !== undefined) query.codeNumber = { $lt: filter.codeBelow };
      if (filter.text) {
        const pattern = filter.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        query.$or = [{ title: { $regex: pattern, $options: 'i' } }, { description: { $regex: pattern, $options: 'i' } }];
      }
      const docs = await (onlyLive(filter.status) ? openWishes : wishes)
        .find(query)
        .sort({ codeNumber: -1 })
        .limit(filter.limit ?? 200)
        .toArray();
      return docs.map((d) => toState(d, keys));
    },

    async pageByDeadline(filter, cursor, limit) {
      const query: Record<string, unknown> = { status: { $in: filter.status } };
      const deadline: Record<string, Date> = {};
      if (filter.deadlineBefore) deadline.$lt = filter.deadlineBefore;
      if (cursor) {
        query.$or = [{ deadline: { ...deadline, $gt: cursor.deadline } }, { deadline: cursor.deadline, _id: { $gt: cursor.id } }];
      } else if (filter.deadlineBefore) {
        query.deadline = deadline;
      }
      // Every job asks for live statuses only: a scan of the open wishes, not of every wish ever made.
      const docs = await (onlyLive(filter.status) ? openWishes : wishes).find(query).sort({ deadline: 1, _id: 1 }).limit(limit).toArray();
      return docs.map((d) => toState(d, keys));
    },
  };
}

/**
 * Which events the relay has yet to turn into messages: a marker in `relay_queue` per event, written
 * just before it and deleted once it is relayed. Events written before the queue existed have none; the
 * start-up migration gives one to each event the old sweep would still have relayed (no relayedAt).
 */
export function createRelayLog(models: Models, keyring?: FieldKeyring) {
  const keys = keysOf(keyring);
  const events = models.WishEvent.collection;
  const relayQueue = models.RelayMarker.collection;
  const store = createWishStore(models, keyring);
  return {
    /** A snapshot write lost to a crash or an outage, made again (only ever forward); throws if it cannot be saved. */
    saveSnapshot: (state: WishState) => store.saveSnapshot(state),
    /** Stamps relayedAt on the event, then deletes its marker: a marker left by a crash in between is skipped by the sweep. */
    async markRelayed(eventId: string, at: Date): Promise<void> {
      await events.updateOne({ _id: eventId as never }, { $set: { relayedAt: at } });
      await relayQueue.deleteOne({ _id: eventId as never });
    },
    /**
     * Events marked before `before` and not yet relayed, oldest first. A marker without its event (its
     * insert failed) or whose event is already relayed (a racing append's, come late) is deleted.
     */
    async unrelayed(before: Date, limit: number): Promise<WishEvent[]> {
      const markers = await relayQueue.find({ at: { $lt: before } }).sort({ at: 1 }).limit(limit).toArray();
      const found = await mapLimit(markers, 16, async (m) => {
        const doc = await events.findOne({ _id: m._id });
        if (doc && !doc.relayedAt) return toEvent(doc, keys);
        await relayQueue.deleteOne({ _id: m._id });
        return null;
      });
      return found.filter((e): e is WishEvent => e !== null);
    },
    eventsUpTo: (wishId: string, seq: number): Promise<WishEvent[]> => eventsFrom(events, keys, wishId, 1, seq),
  };
}

/**
 * Rebuilds the open wishes (what the jobs and the lists of live wishes read) from the snapshots: after
 * a bulk load that wrote snapshots directly (benchmarks), or once when a database from before them is
 * first opened. One scan of `wishes`; replaces what open_wishes held. Returns how many it recorded.
 */
export async function rebuildOpenWishes(models: Models): Promise<number> {
  const openWishes = models.OpenWish.collection;
  const live = await models.Wish.collection.find({ status: { $in: [...LIVE_STATUSES] } }).toArray();
  await openWishes.deleteMany({});
  const BATCH = 1000;
  for (let i = 0; i < live.length; i += BATCH) {
    try {
      await openWishes.insertMany(live.slice(i, i + BATCH), { ordered: false });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // a save that got there first: its state is as new or newer
    }
  }
  return live.length;
}

/** One marker per event the old sweep would still have relayed (no relayedAt): one scan, once. */
export async function queueUnrelayedEvents(models: Models): Promise<number> {
  const unmarked = await models.WishEvent.collection.find({ relayedAt: { $exists: false } }, { projection: { wishId: 1, at: 1 } }).toArray();
  const markers = unmarked.map((e) => ({ _id: e._id, wishId: e.wishId, at: e.at }));
  const BATCH = 1000;
  for (let i = 0; i < markers.length; i += BATCH) {
    try {
      await models.RelayMarker.collection.insertMany(markers.slice(i, i + BATCH), { ordered: false });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err; // already marked
    }
  }
  return markers.length;
}

/**
 * A wish's history read raw (private fields still sealed) and written back one event at a time: only
 * for erasure (src/db/erasure.ts), the one time an event is rewritten. Then the snapshot is folded
 * afresh from the rewritten events and replaces the stored one whatever its version.
 */
export function createHistoryRewriter(models: Models, keyring?: FieldKeyring) {
  const keys = keysOf(keyring);
  const events = models.WishEvent.collection;
  return {
    async *rawEvents(wishId: string): AsyncGenerator<Record<string, unknown>> {
      for (let seq = 1; ; seq++) {
        const doc = await events.findOne({ _id: `${wishId}:${seq}` as never });
        if (!doc) return;
        yield doc;
      }
    },
    async replaceEvent(doc: Record<string, unknown>): Promise<void> {
      await events.replaceOne({ _id: doc._id as never }, doc);
    },
    async refold(wishId: string, fold: (events: WishEvent[]) => WishState | null): Promise<void> {
      const state = fold(await eventsFrom(events, keys, wishId, 1));
      if (!state) return;
      const { id, ...rest } = state;
      const sealed = sealDocument(rest, 'snapshot', keys());
      await upsertWithRetry(() => models.Wish.collection.replaceOne({ _id: id as never }, sealed, { upsert: true }));
      if (sealed.lifecycle === 'published') await upsertWithRetry(() => models.OpenWish.collection.replaceOne({ _id: id as never }, sealed, { upsert: true }));
    },
  };
}
