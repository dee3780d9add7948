import { Category, WishEvent, WishState, WishStatus } from './types';

export interface WishListFilter {
  status?: WishStatus[];
  communityIds?: string[];
  ids?: string[];
  /** Wishes this donor has (or had) a pledge on. */
  donorId?: string;
  createdBy?: string;
  category?: Category;
  /** Words anywhere in the title or description, any case. */
  text?: string;
  /** Wishes whose deadline is before this. */
  deadlineBefore?: Date;
  /** Wishes whose code number is below this: the next page of a list in newest-first order. */
  codeBelow?: number;
  limit?: number;
}

/** Where a page of wishes in deadline order ended: the next page starts after it. */
export interface DeadlineCursor {
  deadline: Date;
  id: string;
}

/** What the domain needs from storage; db/wish-store.ts implements it over any MongoDB-compatible engine. */
export interface WishStore {
  /** The cached snapshot; may be behind the events, never ahead of them. */
  loadSnapshot(wishId: string): Promise<WishState | null>;
  /** Events with seq > afterSeq, in order. */
  eventsAfter(wishId: string, afterSeq: number): Promise<WishEvent[]>;
  /** Whether this event (`<wishId>:<seq>`) exists: a point read, to tell whether a snapshot is behind. */
  eventExists(eventId: string): Promise<boolean>;
  /**
   * Of these snapshots, the ids whose event `version + 1` exists (a point read each). A store that
   * keeps live wishes apart also brings such a copy that lags its stored snapshot up to it here.
   */
  staleIds(snapshots: ReadonlyArray<{ id: string; version: number }>): Promise<Set<string>>;
  /** Inserts the event under its unique `<wishId>:<seq>`; 'conflict' when that seq is already taken. */
  append(event: WishEvent): Promise<'ok' | 'conflict'>;
  /** Saves the snapshot if newer than the stored one; throws if a write fails. Callers may treat that as best effort: the next read repairs it. */
  saveSnapshot(state: WishState): Promise<void>;
  /** The highest wish code number in use, or 0 when there is none (it may lag behind concurrent creations; appends catch that). */
  highestCodeNumber(): Promise<number>;
  /** Snapshots matching the filter, newest code first (possibly stale; callers repair them). */
  listSnapshots(filter: WishListFilter): Promise<WishState[]>;
  /**
   * Snapshots with one of these statuses, oldest deadline first (ties by id), after `cursor`: the
   * jobs page through every wish that concerns them this way. Possibly stale; callers repair them.
   */
  pageByDeadline(filter: { status: WishStatus[]; deadlineBefore?: Date }, cursor: DeadlineCursor | undefined, limit: number): Promise<WishState[]>;
}
