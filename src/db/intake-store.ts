import { Intake, IntakeStore } from '../domain/intake';
import { upsertWithRetry } from './connection';
import { FieldKeyring, fieldKeyring } from './field-crypto';
import { Models } from './models';

type IntakeDoc = Omit<Intake, 'id' | 'words' | 'residentFirstName'> & { _id: string; words?: unknown; residentFirstName?: unknown };

/**
 * Intakes in a resident's own words, read by `_id`. The words and the resident's first name are private:
 * stored sealed under DATA_KEY, like a beneficiary's notes and contact. A community's intakes are
 * listed by scanning (staff only, and few).
 */
export function createIntakeStore(models: Pick<Models, 'Intake'>, keyring: () => FieldKeyring = fieldKeyring): IntakeStore {
  const collection = models.Intake.collection;
  const fromDoc = (doc: IntakeDoc): Intake => {
    const k = keyring();
    const { _id, words, residentFirstName, ...rest } = doc;
    return {
      ...rest,
      id: _id,
      ...(words !== undefined && words !== null ? { words: k.open(words) } : {}),
      ...(residentFirstName !== undefined && residentFirstName !== null ? { residentFirstName: k.open(residentFirstName) } : {}),
      createdAt: new Date(doc.createdAt),
    };
  };
  return {
    async insert(intake) {
      const k = keyring();
      const { id, words, residentFirstName, ...rest } = intake;
      const doc = {
        ...rest,
        ...(words !== undefined ? { words: k.seal(words, 'intake-words') } : {}),
        ...(residentFirstName !== undefined ? { residentFirstName: k.seal(residentFirstName, 'resident-name') } : {}),
      };
      await upsertWithRetry(() => collection.replaceOne({ _id: id as never }, doc, { upsert: true }));
    },
    async get(id) {
      const doc = (await collection.findOne({ _id: id as never })) as IntakeDoc | null;
      return doc ? fromDoc(doc) : null;
    },
    async listOf(communityId) {
      // Draft claims (`<id>:draft`) have no communityId, so only intakes match.
      const docs = (await collection.find({ communityId }).toArray()) as unknown as IntakeDoc[];
      return docs.map(fromDoc).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    },
    async claimDraft(id) {
      // The exclusive decision is a unique insert (never a conditional update): one marker per intake.
      try {
        await collection.insertOne({ _id: `${id}:draft` as never, claimOf: id } as never);
        return true;
      } catch (e) {
        if ((e as { code?: number }).code === 11000) return false;
        throw e;
      }
    },
    async releaseDraft(id) {
      await collection.deleteOne({ _id: `${id}:draft` as never });
    },
    async markDrafted(id, wishId) {
      await collection.updateOne({ _id: id as never }, { $set: { status: 'drafted', wishId } });
    },
  };
}
