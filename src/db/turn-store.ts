import { BotModels } from './bot-models';
import { isDuplicateKey, upsertWithRetry } from './connection';

/** One turn of a key: who holds it and until when, unless released. */
export interface TurnRecord {
  n: number;
  holder: string;
  until: Date;
  releasedAt?: Date;
}

const turnId = (key: string, n: number) => `${key}#${n}`;

/**
 * Turns per key (`p:<userId>`, `g:<chatId>`) as documents `<key>#<n>`, made only of unique inserts and
 * writes by a turn's own holder: taking turn n+1 is inserting `<key>#<n+1>`, which exactly one taker
 * manages on every engine. Nothing is decided by a conditional update or delete (read-then-write on FerretDB).
 */
export function createTurnStore(models: BotModels) {
  const { ChatTurn: T, ChatTurnPointer: P } = models;
  return {
    /** The latest turn taken under `key` as far as the pointer knows (0: none); a hint, possibly behind. */
    async pointer(key: string): Promise<number> {
      return (await P.findById(key).lean<{ n: number }>())?.n ?? 0;
    },
    async get(key: string, n: number): Promise<TurnRecord | null> {
      return T.findById(turnId(key, n), { n: 1, holder: 1, until: 1, releasedAt: 1, _id: 0 }).lean<TurnRecord>();
    },
    /** Inserts turn n: false if it exists (someone else took it). */
    async take(key: string, n: number, holder: string, until: Date, at: Date): Promise<boolean> {
      try {
        await T.collection.insertOne({ _id: turnId(key, n) as never, key, n, holder, until, takenAt: at });
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    /** Moves the key's pointer up to turn n (`$max`: a late write never moves it back). */
    async advance(key: string, n: number, at: Date): Promise<void> {
      await upsertWithRetry(() => P.updateOne({ _id: key }, { $max: { n }, $set: { at } }, { upsert: true }));
    },
    /** The holder extends its own turn. */
    async renew(key: string, n: number, until: Date): Promise<void> {
      await T.updateOne({ _id: turnId(key, n) }, { $set: { until } });
    },
    /** The holder ends its own turn. */
    async release(key: string, n: number, at: Date): Promise<void> {
      await T.updateOne({ _id: turnId(key, n) }, { $set: { releasedAt: at } });
    },
    /**
     * Housekeeping: turns that ended (released, or lapsed) before `date`. Takers treat a missing turn at
     * or after their hint as ended, so `date` must lie well before any hint still in use (days, not seconds).
     * Pointers are kept: one small document per person or group.
     */
    async deleteEndedBefore(date: Date): Promise<number> {
      return (await T.deleteMany({ until: { $lt: date } })).deletedCount;
    },
  };
}

export type TurnStore = ReturnType<typeof createTurnStore>;
