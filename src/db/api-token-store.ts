import { createHash } from 'node:crypto';
import { ApiTokenRecord, ApiTokenStore } from '../domain/access';
import { Models } from './models';

interface TokenDoc {
  _id: string;
  id?: string | null;
  role: string;
  communityIds?: string[] | null;
  label: string;
  telegramId?: number | null;
  createdAt: Date;
  createdBy?: string | null;
  via?: string | null;
  revokedAt?: Date | null;
}

/**
 * A token stored before tokens had a public id gets a stable one: a one-way digest of its hash with a
 * purpose prefix, which says nothing about the secret or the hash that authenticates it.
 */
function legacyId(hash: string): string {
  return `tok_${createHash('sha256').update(`token-id:${hash}`).digest('hex').slice(0, 12)}`;
}

function toRecord(doc: TokenDoc): ApiTokenRecord {
  return {
    id: doc.id ?? legacyId(doc._id),
    hash: doc._id,
    role: doc.role as ApiTokenRecord['role'],
    communityIds: doc.communityIds ?? [],
    label: doc.label,
    ...(typeof doc.telegramId === 'number' ? { telegramId: doc.telegramId } : {}),
    createdAt: doc.createdAt,
    createdBy: doc.createdBy ?? 'unknown',
    ...(doc.via === 'api' || doc.via === 'bot' ? { via: doc.via } : {}),
    ...(doc.revokedAt ? { revokedAt: doc.revokedAt } : {}),
  };
}

export function createApiTokenStore(models: Models): ApiTokenStore {
  const Model = models.ApiToken;
  async function list(): Promise<ApiTokenRecord[]> {
    const docs = await Model.find({}).sort({ createdAt: -1 }).lean<TokenDoc[]>();
    return docs.map(toRecord);
  }
  async function byId(id: string): Promise<ApiTokenRecord | null> {
    return (await list()).find((r) => r.id === id) ?? null;
  }
  return {
    async byHash(hash) {
      const doc = await Model.findById(hash).lean<TokenDoc>();
      return doc ? toRecord(doc) : null;
    },
    async insert(r) {
      await Model.create({
        _id: r.hash,
        id: r.id,
        role: r.role,
        communityIds: r.communityIds,
        label: r.label,
        ...(r.telegramId !== undefined ? { telegramId: r.telegramId } : {}),
        createdAt: r.createdAt,
        createdBy: r.createdBy,
        ...(r.via ? { via: r.via } : {}),
        ...(r.revokedAt ? { revokedAt: r.revokedAt } : {}),
      });
    },
    list,
    byId,
    async revoke(id, at) {
      // A small collection: found by scanning, then written by `_id`; the id is pinned on a token stored without one.
      const record = await byId(id);
      if (record) await Model.updateOne({ _id: record.hash }, { $set: { revokedAt: at, id: record.id } });
    },
  };
}
