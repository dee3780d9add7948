import { ApiTokenRecord, ApiTokenStore } from '../domain/access';
import { Models } from './models';

export function createApiTokenStore(models: Models): ApiTokenStore {
  const Model = models.ApiToken;
  return {
    async byHash(hash) {
      const doc = await Model.findById(hash).lean();
      if (!doc) return null;
      return { hash: doc._id, role: doc.role as ApiTokenRecord['role'], communityIds: doc.communityIds ?? [], label: doc.label, ...(typeof doc.telegramId === 'number' ? { telegramId: doc.telegramId } : {}), createdAt: doc.createdAt };
    },
    async insert(r) {
      await Model.create({ _id: r.hash, role: r.role, communityIds: r.communityIds, label: r.label, ...(r.telegramId !== undefined ? { telegramId: r.telegramId } : {}), createdAt: r.createdAt });
    },
  };
}
