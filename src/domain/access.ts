import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from './errors';
import { Actor } from './wish/types';

/** What a stored API token speaks as. `admin` records (from before roles could be issued) keep working. */
export type ApiRole = 'admin' | 'worker' | 'auditor';

/** The roles an admin may issue: a worker acts in its communities, an auditor only reads them. */
export const ISSUABLE_ROLES = ['worker', 'auditor'] as const;
export type IssuableRole = (typeof ISSUABLE_ROLES)[number];

export interface ApiTokenRecord {
  /** Public handle (`tok_…`, random, never derived from the secret): what lists show and DELETE takes. */
  id: string;
  /** sha256 of the secret: the secret itself is never stored. */
  hash: string;
  role: ApiRole;
  communityIds: string[];
  label: string;
  /** The Telegram user the token was issued to, if any: wishes they create are theirs to follow. */
  telegramId?: number;
  createdAt: Date;
  /** The actor id of whoever issued it. */
  createdBy: string;
  /** `bot`: a person's own token from /token in the bot (a new one revokes the older). */
  via?: 'api' | 'bot';
  /** Set once revoked: the token answers 401 from then on. */
  revokedAt?: Date;
}

export interface ApiTokenStore {
  /** The hot path, every API request: a point read by `_id` (the hash). */
  byHash(hash: string): Promise<ApiTokenRecord | null>;
  insert(record: ApiTokenRecord): Promise<void>;
  /** Every token, newest first (a small collection: scanned). */
  list(): Promise<ApiTokenRecord[]>;
  byId(id: string): Promise<ApiTokenRecord | null>;
  /** Marks it revoked at `at` (a plain $set: revoking twice is harmless). */
  revoke(id: string, at: Date): Promise<void>;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newApiToken(): string {
  return `mw_${randomBytes(24).toString('base64url')}`;
}

/** Compares two secrets (or hashes) in time independent of where they differ, whatever their lengths. */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Turns a bearer token into the actor it speaks for: the bootstrap admin token, or a stored one. */
export function createTokenResolver(deps: { adminToken?: string; store: Pick<ApiTokenStore, 'byHash'> }) {
  return async function resolve(token: string | undefined): Promise<Actor> {
    if (!token) throw new UnauthenticatedError('unauthenticated', 'Send Authorization: Bearer <token>');
    if (deps.adminToken && sameSecret(token, deps.adminToken)) return { kind: 'admin', id: 'api:bootstrap', name: 'API admin' };
    const hash = hashToken(token);
    const record = await deps.store.byHash(hash);
    // The store finds by hash; the record is trusted only if its hash is this token's, compared in constant time.
    if (!record || !sameSecret(record.hash, hash)) throw new UnauthenticatedError('unauthenticated', 'This token is not valid');
    if (record.revokedAt) throw new UnauthenticatedError('unauthenticated', 'This token was revoked');
    return actorOfToken(record);
  };
}

/** The actor a stored token speaks as. */
export function actorOfToken(record: ApiTokenRecord): Actor {
  const who = { id: `api:${record.id}`, name: record.label, ...(record.telegramId !== undefined ? { telegramId: record.telegramId } : {}) };
  if (record.role === 'admin') return { kind: 'admin', ...who };
  return { kind: record.role, ...who, communityIds: record.communityIds };
}

export type TokenResolver = ReturnType<typeof createTokenResolver>;

/**
 * Whether the token with this sha256 still stands: the bootstrap admin token, or a stored one not
 * revoked. A console session signed in with a token ends once this says no.
 */
export function createTokenStanding(deps: { adminToken?: string; store: Pick<ApiTokenStore, 'byHash'> }) {
  const bootstrapHash = deps.adminToken ? hashToken(deps.adminToken) : undefined;
  return async function stillValid(tokenHash: string): Promise<boolean> {
    if (bootstrapHash && sameSecret(tokenHash, bootstrapHash)) return true;
    const record = await deps.store.byHash(tokenHash);
    return record !== null && !record.revokedAt;
  };
}
