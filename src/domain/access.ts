import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from './errors';
import { Actor } from './wish/types';

export type ApiRole = 'admin' | 'worker';

export interface ApiTokenRecord {
  hash: string;
  role: ApiRole;
  communityIds: string[];
  label: string;
  /** The Telegram user the token was issued to, if any: wishes they create are theirs to follow. */
  telegramId?: number;
  createdAt: Date;
}

export interface ApiTokenStore {
  byHash(hash: string): Promise<ApiTokenRecord | null>;
  insert(record: ApiTokenRecord): Promise<void>;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newApiToken(): string {
  return `mw_${randomBytes(24).toString('base64url')}`;
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Turns a bearer token into the actor it speaks for: the bootstrap admin token, or a stored one. */
export function createTokenResolver(deps: { adminToken?: string; store: ApiTokenStore }) {
  return async function resolve(token: string | undefined): Promise<Actor> {
    if (!token) throw new UnauthenticatedError('unauthenticated', 'Send Authorization: Bearer <token>');
    if (deps.adminToken && sameSecret(token, deps.adminToken)) return { kind: 'admin', id: 'api:bootstrap', name: 'API admin' };
    const record = await deps.store.byHash(hashToken(token));
    if (!record) throw new UnauthenticatedError('unauthenticated', 'This token is not valid');
    const owner = record.telegramId !== undefined ? { telegramId: record.telegramId } : {};
    return record.role === 'admin'
      ? { kind: 'admin', id: `api:${record.hash.slice(0, 12)}`, name: record.label, ...owner }
      : { kind: 'worker', id: `api:${record.hash.slice(0, 12)}`, name: record.label, communityIds: record.communityIds, ...owner };
  };
}

export type TokenResolver = ReturnType<typeof createTokenResolver>;
