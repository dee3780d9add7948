import { ApiTokenRecord, ApiTokenStore, createTokenResolver, hashToken, sameSecret } from '../../src/domain/access';
import { InvalidError, isDomainError } from '../../src/domain/errors';
import { createTokenService, tokenRequestIssues } from '../../src/domain/tokens';
import { Actor } from '../../src/domain/wish/types';

/** The store's contract, in memory: what the resolver and the service need. */
function memoryStore(): ApiTokenStore & { records: ApiTokenRecord[] } {
  const records: ApiTokenRecord[] = [];
  return {
    records,
    byHash: async (hash) => records.find((r) => r.hash === hash) ?? null,
    insert: async (r) => {
      records.push({ ...r });
    },
    list: async () => [...records].reverse(),
    byId: async (id) => records.find((r) => r.id === id) ?? null,
    revoke: async (id, at) => {
      const r = records.find((x) => x.id === id);
      if (r) r.revokedAt = at;
    },
  };
}

const known = new Set(['com_a', 'com_b']);
const valid = { role: 'worker', communityIds: ['com_a'], label: 'Wang, Harbour Street' };
const fields = (input: Record<string, unknown>) => tokenRequestIssues(input, known).map((i) => `${i.field}:${i.code}`);

describe('the rules for a token request (the API and the bot both use them)', () => {
  it('a worker or auditor request for known communities with a label passes', () => {
    expect(fields(valid)).toEqual([]);
    expect(fields({ ...valid, role: 'auditor', communityIds: ['com_a', 'com_b'], telegramId: 2002 })).toEqual([]);
  });

  it('names each unknown community by its index', () => {
    expect(fields({ ...valid, communityIds: ['com_a', 'com_nope', 'com_b', 7] })).toEqual(['communityIds.1:unknown_community', 'communityIds.3:wrong_type']);
  });

  it('refuses no communities at all', () => {
    expect(fields({ ...valid, communityIds: [] })).toEqual(['communityIds:required']);
    expect(fields({ role: 'worker', label: 'x' })).toEqual(['communityIds:required']);
  });

  it('takes a label of 1 to 80 characters, counted as characters (Chinese too)', () => {
    expect(fields({ ...valid, label: 'W' })).toEqual([]);
    expect(fields({ ...valid, label: '社'.repeat(80) })).toEqual([]);
    expect(fields({ ...valid, label: '社'.repeat(81) })).toEqual(['label:too_long']);
    expect(fields({ ...valid, label: '   ' })).toEqual(['label:required']);
  });

  it('takes a telegramId only as a positive whole number', () => {
    expect(fields({ ...valid, telegramId: 0 })).toEqual(['telegramId:too_small']);
    expect(fields({ ...valid, telegramId: -5 })).toEqual(['telegramId:too_small']);
    expect(fields({ ...valid, telegramId: 1.5 })).toEqual(['telegramId:not_whole']);
    expect(fields({ ...valid, telegramId: '2002' })).toEqual(['telegramId:not_a_number']);
  });

  it('issues only worker and auditor tokens, and names every bad field at once', () => {
    expect(fields({ role: 'admin', communityIds: ['x'], label: '', telegramId: 0 })).toEqual(['role:not_a_choice', 'communityIds.0:unknown_community', 'label:required', 'telegramId:too_small']);
  });
});

const at = new Date('2026-11-22T09:00:00Z');
function record(over: Partial<ApiTokenRecord> & { secret: string }): ApiTokenRecord {
  const { secret, ...rest } = over;
  return { id: `tok_${secret.slice(-6)}`, hash: hashToken(secret), role: 'worker', communityIds: ['com_a'], label: 'Wang', createdAt: at, createdBy: 'api:bootstrap', ...rest };
}

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    if (isDomainError(err)) return `${err.kind}: ${err.message}`;
    throw err;
  }
  throw new Error('expected a refusal');
}

describe('the token resolver', () => {
  const store = memoryStore();
  store.records.push(
    record({ secret: 'mw_worker_secret_0001', telegramId: 2002 }),
    record({ secret: 'mw_auditor_secret_0002', role: 'auditor', communityIds: ['com_b'], label: 'Committee' }),
    record({ secret: 'mw_revoked_secret_0003', revokedAt: at }),
    record({ secret: 'mw_legacy_admin_0004', role: 'admin', communityIds: [] }),
  );
  const resolve = createTokenResolver({ adminToken: 'bootstrap-admin-token-0123456789', store });

  it('the bootstrap token is an admin', async () => {
    await expect(resolve('bootstrap-admin-token-0123456789')).resolves.toMatchObject({ kind: 'admin', id: 'api:bootstrap' });
  });

  it('a worker token is a worker of its communities, speaking for its Telegram user, under its public id', async () => {
    await expect(resolve('mw_worker_secret_0001')).resolves.toEqual({ kind: 'worker', id: 'api:tok_t_0001', name: 'Wang', telegramId: 2002, communityIds: ['com_a'] });
  });

  it('an auditor token is an auditor of its communities', async () => {
    await expect(resolve('mw_auditor_secret_0002')).resolves.toEqual({ kind: 'auditor', id: 'api:tok_t_0002', name: 'Committee', communityIds: ['com_b'] });
  });

  it('an admin record stored before roles could be issued still works', async () => {
    await expect(resolve('mw_legacy_admin_0004')).resolves.toMatchObject({ kind: 'admin' });
  });

  it('a revoked token is refused, saying so', async () => {
    expect(await refusal(resolve('mw_revoked_secret_0003'))).toBe('unauthenticated: This token was revoked');
  });

  it('no token, or one nobody issued, is refused', async () => {
    expect(await refusal(resolve(undefined))).toBe('unauthenticated: Send Authorization: Bearer <token>');
    expect(await refusal(resolve('mw_never_issued'))).toBe('unauthenticated: This token is not valid');
  });

  it('trusts a stored record only when its hash is the token\'s, compared in constant time', async () => {
    // The module object itself, as access.ts requires it (an `import * as` would be a copy).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const spy = jest.spyOn(require('node:crypto') as typeof import('node:crypto'), 'timingSafeEqual');
    try {
      // A store that answers with a record for another hash (a wrong index, a case-folding collation).
      const lying = createTokenResolver({ store: { byHash: async () => record({ secret: 'mw_someone_else_0005' }) } });
      expect(await refusal(lying('mw_worker_secret_0001'))).toBe('unauthenticated: This token is not valid');
      expect(spy).toHaveBeenCalled();
      spy.mockClear();
      await resolve('mw_worker_secret_0001');
      // Once against the bootstrap token, once against the stored hash.
      expect(spy).toHaveBeenCalledTimes(2);
    } finally {
      spy.mockRestore();
    }
  });

  it('compares secrets of any lengths without throwing', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('', 'x')).toBe(false);
  });
});

describe('the token service', () => {
  const admin: Actor = { kind: 'admin', id: 'api:bootstrap' };
  const worker: Actor = { kind: 'worker', id: 'tg:2002', name: 'Wang Worker', telegramId: 2002, communityIds: ['com_a'] };
  let clockAt = at.getTime();
  const make = () => {
    const store = memoryStore();
    const service = createTokenService({ store, communityExists: async (id) => known.has(id), clock: () => new Date((clockAt += 1000)) });
    return { store, service, resolve: createTokenResolver({ store }) };
  };

  it('an admin issues a token that resolves at once; its secret is not stored, only its hash', async () => {
    const { store, service, resolve } = make();
    const { record: r, token } = await service.issue({ role: 'auditor', communityIds: ['com_b', 'com_b'], label: '  Committee  ' }, admin);
    expect(r).toMatchObject({ role: 'auditor', communityIds: ['com_b'], label: 'Committee', createdBy: 'api:bootstrap', via: 'api' });
    expect(r.id).toMatch(/^tok_[0-9a-z]{12}$/);
    expect(JSON.stringify(store.records)).not.toContain(token);
    await expect(resolve(token)).resolves.toMatchObject({ kind: 'auditor', communityIds: ['com_b'] });
  });

  it('refuses a bad request with every field named, and a non-admin', async () => {
    const { service } = make();
    const err = await service.issue({ role: 'worker', communityIds: ['com_x'], label: '' }, admin).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidError);
    expect((err as InvalidError).issues.map((i) => i.field)).toEqual(['communityIds.0', 'label']);
    expect(await refusal(service.issue({ role: 'worker', communityIds: ['com_a'], label: 'x' }, worker))).toMatch(/^forbidden/);
    expect(await refusal(service.list(worker))).toMatch(/^forbidden/);
  });

  it("a worker's own token from the bot replaces the one they had from the bot, not tokens an admin gave them", async () => {
    const { service, resolve } = make();
    const fromAdmin = await service.issue({ role: 'worker', communityIds: ['com_a'], label: 'Wang (admin gave)', telegramId: 2002 }, admin);
    const first = await service.issueOwn(worker, 'Wang Worker');
    expect(first.record).toMatchObject({ role: 'worker', communityIds: ['com_a'], telegramId: 2002, label: 'Telegram: Wang Worker', via: 'bot', createdBy: 'tg:2002' });
    const second = await service.issueOwn(worker, 'Wang Worker');
    expect(await refusal(resolve(first.token))).toBe('unauthenticated: This token was revoked');
    await expect(resolve(second.token)).resolves.toMatchObject({ kind: 'worker', telegramId: 2002 });
    await expect(resolve(fromAdmin.token)).resolves.toMatchObject({ kind: 'worker' });
  });

  it('only a worker gets their own token', async () => {
    const { service } = make();
    expect(await refusal(service.issueOwn({ kind: 'donor', id: 'tg:5', telegramId: 5 }, 'D'))).toMatch(/^forbidden/);
    expect(await refusal(service.issueOwn({ ...worker, communityIds: [] }, 'W'))).toMatch(/^forbidden/);
  });

  it('a long name still makes a label within 80 characters', async () => {
    const { service } = make();
    const { record: r } = await service.issueOwn(worker, '王'.repeat(200));
    expect([...r.label].length).toBe(80);
  });

  it('revokes by public id; an unknown id is not found; revoking again keeps the first time', async () => {
    const { service, resolve } = make();
    const { record: r, token } = await service.issue({ role: 'worker', communityIds: ['com_a'], label: 'x' }, admin);
    const once = await service.revoke(r.id, admin);
    const twice = await service.revoke(r.id, admin);
    expect(twice.revokedAt).toEqual(once.revokedAt);
    expect(await refusal(resolve(token))).toBe('unauthenticated: This token was revoked');
    expect(await refusal(service.revoke('tok_nothing', admin))).toBe('not_found: No token tok_nothing');
    expect(await refusal(service.revoke(r.id, worker))).toMatch(/^forbidden/);
  });
});
