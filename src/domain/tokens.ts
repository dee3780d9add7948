import { ApiTokenRecord, ApiTokenStore, hashToken, ISSUABLE_ROLES, IssuableRole, newApiToken } from './access';
import { Clock } from './clock';
import { FieldIssue, ForbiddenError, InvalidError, NotFoundError } from './errors';
import { randomId } from './ids';
import { charCount, takeGraphemes, tidyText } from './input';
import { issue } from './wish/rules';
import { Actor } from './wish/types';

// API tokens an admin issues (over the API or in the bot) and a worker asks the bot for. The rules
// for a request are written once, here: the API and the bot's /token both call them.

export const TOKEN_LIMITS = { label: { min: 1, max: 80 } } as const;

export interface TokenRequest {
  role: IssuableRole;
  communityIds: string[];
  label: string;
  telegramId?: number;
}

/**
 * What is wrong with a token request, every field at once (pure). `known` holds the ids among
 * `communityIds` that are communities; each other one is named `communityIds.<index>`.
 */
export function tokenRequestIssues(input: { role?: unknown; communityIds?: unknown; label?: unknown; telegramId?: unknown }, known: ReadonlySet<string>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (input.role === undefined) issues.push(issue('role', 'required'));
  else if (!(ISSUABLE_ROLES as readonly unknown[]).includes(input.role)) issues.push(issue('role', 'not_a_choice', { choices: ISSUABLE_ROLES.join(', ') }));

  if (input.communityIds === undefined) issues.push(issue('communityIds', 'required'));
  else if (!Array.isArray(input.communityIds)) issues.push(issue('communityIds', 'wrong_type', { expected: 'a list of community ids' }));
  else if (input.communityIds.length === 0) issues.push(issue('communityIds', 'required'));
  else
    input.communityIds.forEach((id: unknown, i) => {
      if (typeof id !== 'string') issues.push(issue(`communityIds.${i}`, 'wrong_type', { expected: 'a community id' }));
      else if (!known.has(id)) issues.push(issue(`communityIds.${i}`, 'unknown_community'));
    });

  if (input.label === undefined) issues.push(issue('label', 'required'));
  else if (typeof input.label !== 'string') issues.push(issue('label', 'wrong_type', { expected: 'text' }));
  else {
    const n = charCount(tidyText(input.label));
    if (n < TOKEN_LIMITS.label.min) issues.push(issue('label', 'required'));
    else if (n > TOKEN_LIMITS.label.max) issues.push(issue('label', 'too_long', { max: TOKEN_LIMITS.label.max }));
  }

  if (input.telegramId !== undefined) {
    if (typeof input.telegramId !== 'number' || !Number.isFinite(input.telegramId)) issues.push(issue('telegramId', 'not_a_number'));
    else if (!Number.isSafeInteger(input.telegramId)) issues.push(issue('telegramId', 'not_whole'));
    else if (input.telegramId < 1) issues.push(issue('telegramId', 'too_small', { min: 1 }));
  }
  return issues;
}

/** The request as it will be stored, once `tokenRequestIssues` found nothing wrong. */
function tidyRequest(input: TokenRequest): TokenRequest {
  return {
    role: input.role,
    communityIds: [...new Set(input.communityIds)],
    label: tidyText(input.label),
    ...(input.telegramId !== undefined ? { telegramId: input.telegramId } : {}),
  };
}

/** A token as issued: the secret is in `token`, shown this once and never again. */
export interface IssuedToken {
  record: ApiTokenRecord;
  token: string;
}

export type TokenService = ReturnType<typeof createTokenService>;

export function createTokenService(deps: { store: ApiTokenStore; communityExists(id: string): Promise<boolean>; clock: Clock }) {
  const { store, clock } = deps;

  const requireAdmin = (actor: Actor) => {
    if (actor.kind !== 'admin') throw new ForbiddenError('forbidden', 'Only an admin may manage API tokens');
  };

  async function knownCommunities(ids: unknown): Promise<Set<string>> {
    if (!Array.isArray(ids)) return new Set();
    const strings = [...new Set(ids.filter((x): x is string => typeof x === 'string' && x.length > 0 && x.length <= 64))];
    const found = await Promise.all(strings.map(async (id) => ((await deps.communityExists(id)) ? id : undefined)));
    return new Set(found.filter((x): x is string => x !== undefined));
  }

  async function create(request: TokenRequest, actor: Actor, via: 'api' | 'bot'): Promise<IssuedToken> {
    const issues = tokenRequestIssues(request, await knownCommunities(request.communityIds));
    if (issues.length > 0) throw InvalidError.fields(issues);
    const tidy = tidyRequest(request);
    const token = newApiToken();
    const record: ApiTokenRecord = { id: randomId('tok'), hash: hashToken(token), ...tidy, createdAt: clock(), createdBy: actor.id, via };
    await store.insert(record);
    return { record, token };
  }

  return {
    /** An admin issues a worker or auditor token for any communities (the API, and /token worker|auditor in the bot). */
    async issue(request: TokenRequest, actor: Actor): Promise<IssuedToken> {
      requireAdmin(actor);
      return create(request, actor, 'api');
    },

    /**
     * A worker's own token from the bot, for their communities: one live bot token per person, so
     * the ones they asked for before are revoked.
     */
    async issueOwn(actor: Actor, name: string): Promise<IssuedToken> {
      if (actor.kind !== 'worker' || actor.telegramId === undefined || (actor.communityIds ?? []).length === 0) {
        throw new ForbiddenError('forbidden', 'Only a worker may ask for their own token');
      }
      const label = `Telegram: ${takeGraphemes(tidyText(name) || String(actor.telegramId), TOKEN_LIMITS.label.max - 'Telegram: '.length)}`;
      const earlier = (await store.list()).filter((r) => r.via === 'bot' && r.telegramId === actor.telegramId && !r.revokedAt);
      const issued = await create({ role: 'worker', communityIds: actor.communityIds ?? [], label, telegramId: actor.telegramId }, actor, 'bot');
      const now = clock();
      for (const r of earlier) await store.revoke(r.id, now);
      return issued;
    },

    async list(actor: Actor): Promise<ApiTokenRecord[]> {
      requireAdmin(actor);
      return store.list();
    },

    /** Revokes a token; revoking one already revoked changes nothing (its first revocation time stays). */
    async revoke(id: string, actor: Actor): Promise<ApiTokenRecord> {
      requireAdmin(actor);
      const record = await store.byId(id);
      if (!record) throw new NotFoundError('token_not_found', `No token ${id}`);
      if (record.revokedAt) return record;
      const at = clock();
      await store.revoke(record.id, at);
      return { ...record, revokedAt: at };
    },
  };
}
