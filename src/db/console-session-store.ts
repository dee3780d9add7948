import { Actor } from '../domain/wish/types';
import { Models } from './models';

/** A signed-in console user: found by the sha256 of the cookie's random id, so a lookup is a point read by `_id`. */
export interface ConsoleSession {
  /** sha256 (hex) of the session id the cookie carries: the id itself is never stored. */
  id: string;
  actor: Actor;
  /** sha256 of the API token that signed in; revoking the token ends the session. Absent for Mini App sign-ins. */
  tokenHash?: string;
  /** The Telegram user of a Mini App sign-in. */
  telegramId?: number;
  /** Secret the session's CSRF tokens are derived from. */
  csrfSecret: string;
  createdAt: Date;
  expiresAt: Date;
}

export interface ConsoleSessionStore {
  insert(session: ConsoleSession): Promise<void>;
  get(id: string): Promise<ConsoleSession | null>;
  delete(id: string): Promise<void>;
  /** Housekeeping: sessions that expired before this, never used again. */
  deleteExpiredBefore(date: Date): Promise<number>;
}

type SessionDoc = Omit<ConsoleSession, 'id'> & { _id: string };

/** Sessions of the web console; an expired one is deleted when it is next read. */
export function createConsoleSessionStore(models: Pick<Models, 'ConsoleSession'>): ConsoleSessionStore {
  const M = models.ConsoleSession;
  return {
    async insert(s) {
      const { id, ...rest } = s;
      await M.create({ _id: id, ...rest });
    },
    async get(id) {
      const doc = await M.findById(id).lean<SessionDoc>();
      if (!doc) return null;
      const { _id, ...rest } = doc;
      return { id: _id, ...rest };
    },
    async delete(id) {
      await M.deleteOne({ _id: id });
    },
    async deleteExpiredBefore(date) {
      return (await M.deleteMany({ expiresAt: { $lt: date } })).deletedCount;
    },
  };
}
