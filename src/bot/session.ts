import { Clock } from '../domain/clock';
import type { SessionRecord } from '../db/bot-stores';

/** How many of the latest updates that wrote a session it remembers, to recognise their redelivery. */
const REMEMBERED_WRITERS = 20;

export interface SessionStorage {
  load(key: string): Promise<SessionRecord>;
  write(key: string, data: unknown, writtenBy: number[], at: Date): Promise<void>;
}

/**
 * A person's conversation state as one update sees it: loaded once, written back with the update's id,
 * so a redelivered update that already moved the conversation on is recognised and not applied twice.
 * Updates of one person run one at a time (sequentialize.ts), so read-modify-write here loses nothing.
 */
export interface SessionHandle {
  get<T>(): Promise<T | undefined>;
  set<T>(data: T): Promise<void>;
  clear(): Promise<void>;
  /** Whether this update already wrote the session: a redelivery of an update that was applied. */
  alreadyWritten(): Promise<boolean>;
}

export function openSession(store: SessionStorage, key: string, updateId: number, clock: Clock): SessionHandle {
  let record: Promise<SessionRecord> | undefined;
  const load = () => (record ??= store.load(key));
  const write = async (data: unknown) => {
    const before = await load();
    const writtenBy = [...before.writtenBy.filter((id) => id !== updateId), updateId].slice(-REMEMBERED_WRITERS);
    await store.write(key, data, writtenBy, clock());
    record = Promise.resolve({ data, writtenBy });
  };
  return {
    async get<T>() {
      return (await load()).data as T | undefined;
    },
    set: (data) => write(data),
    clear: () => write(undefined),
    async alreadyWritten() {
      return (await load()).writtenBy.includes(updateId);
    },
  };
}

/** For updates without a person (none of the kinds we ask Telegram for): nothing to remember. */
export const noSession: SessionHandle = {
  get: async () => undefined,
  set: async () => {
    throw new Error('this update has no sender to keep a session for');
  },
  clear: async () => undefined,
  alreadyWritten: async () => false,
};
