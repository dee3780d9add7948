import { Community, CommunityStore } from '../domain/community';
import { isDuplicateKey } from './connection';
import { Models } from './models';

function toCommunity(doc: { _id: string; name: string; linkCode: string; createdAt: Date }): Community {
  return { id: doc._id, name: doc.name, linkCode: doc.linkCode, createdAt: doc.createdAt };
}

export function createCommunityStore(models: Models): CommunityStore {
  const { Community: Model } = models;
  return {
    async insert(c) {
      try {
        await Model.create({ _id: c.id, name: c.name, linkCode: c.linkCode, createdAt: c.createdAt });
        return 'ok';
      } catch (err) {
        if (isDuplicateKey(err)) return 'conflict';
        throw err;
      }
    },
    async get(id) {
      const doc = await Model.findById(id).lean();
      return doc ? toCommunity(doc) : null;
    },
    async byLinkCode(linkCode) {
      const doc = await Model.findOne({ linkCode }).lean();
      return doc ? toCommunity(doc) : null;
    },
    async list() {
      const docs = await Model.find().sort({ createdAt: 1 }).lean();
      return docs.map(toCommunity);
    },
  };
}
