import { Connection, Schema } from 'mongoose';
import { Actor } from '../domain/wish/types';

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
}

const schema = new Schema(
  {
    _id: { type: String, required: true },
    actor: { type: Schema.Types.Mixed, required: true },
    tokenHash: { type: String },
    telegramId: { type: Number },
    csrfSecret: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { collection: 'console_sessions', versionKey: false },
);

type SessionDoc = Omit<ConsoleSession, 'id'> & { _id: string };

const build = (conn: Connection) => conn.model('ConsoleSession', schema);

export function createConsoleSessionModel(conn: Connection) {
  return (conn.models.ConsoleSession as ReturnType<typeof build> | undefined) ?? build(conn);
}

/** Sessions of the web console; an expired one is deleted when it is next read. */
export function createConsoleSessionStore(conn: Connection): ConsoleSessionStore {
  const M = createConsoleSessionModel(conn);
  return {
    async insert(s) {
      const { id, ...rest } = s;
      await M.create({ _id: id, ...rest });
    },
    async get(id) {
      const doc = await M.findById(id).lean<SessionDoc>();
      if (!doc) return null;
      const { _id, ...rest } = doc;
      return { id: _id, ...rest, ...(rest.tokenHash === null ? { tokenHash: undefined } : {}) };
    },
    async delete(id) {
      await M.deleteOne({ _id: id });
    },
  };
}
