import { WishEvent, WishState, WishStatus } from './types';

export interface WishListFilter {
  status?: WishStatus[];
  communityIds?: string[];
  ids?: string[];
  /** Wishes this donor has (or had) a pledge on. */
  donorId?: string;
  createdBy?: string;
  limit?: number;
}

/** What the domain needs from storage. Implemented over MongoDB in db/, in memory in unit tests. */
export interface WishStore {
  /** The cached snapshot; may be behind the events, never ahead of them. */
  loadSnapshot(wishId: string): Promise<WishState | null>;
  /** Events with seq > afterSeq, in order. */
  eventsAfter(wishId: string, afterSeq: number): Promise<WishEvent[]>;
  /** Of these snapshots, the ids whose event `version + 1` exists (one query for the lot). */
  staleIds(snapshots: ReadonlyArray<{ id: string; version: number }>): Promise<Set<string>>;
  /** Inserts the event under its unique `<wishId>:<seq>`; 'conflict' when that seq is already taken. */
  append(event: WishEvent): Promise<'ok' | 'conflict'>;
  /** Best effort: a lost write is repaired by the next read. */
  saveSnapshot(state: WishState): Promise<void>;
  /** The highest wish code number in use, or 0 when there is none (the snapshot may lag; appends catch that). */
  highestCodeNumber(): Promise<number>;
  /** Snapshots matching the filter (possibly stale; callers repair them). */
  listSnapshots(filter: WishListFilter): Promise<WishState[]>;
}
