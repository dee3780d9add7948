import { Assessment, AssessmentStore, LifeDomain } from '../domain/assessment';
import { upsertWithRetry } from './connection';
import { FieldKeyring, fieldKeyring } from './field-crypto';
import { Models } from './models';

type AssessmentDoc = { _id: string; domains?: string[]; strengths?: unknown; goals?: unknown; referrals?: unknown; recordedBy: Assessment['recordedBy']; updatedAt: Date };

/**
 * Needs assessments, one per wish, read and written by `_id`. The resident's words (strengths, goals,
 * referrals) are private: stored sealed under DATA_KEY, like a beneficiary's notes and contact.
 */
export function createAssessmentStore(models: Pick<Models, 'Assessment'>, keyring: () => FieldKeyring = fieldKeyring): AssessmentStore {
  const collection = models.Assessment.collection;
  return {
    async get(wishId) {
      const doc = (await collection.findOne({ _id: wishId as never })) as AssessmentDoc | null;
      if (!doc) return null;
      const k = keyring();
      const open = (v: unknown) => (v === undefined || v === null ? '' : k.open(v));
      return {
        wishId,
        domains: (doc.domains ?? []) as LifeDomain[],
        strengths: open(doc.strengths),
        goals: open(doc.goals),
        referrals: Array.isArray(doc.referrals) ? doc.referrals.map(open) : [],
        recordedBy: doc.recordedBy,
        updatedAt: new Date(doc.updatedAt),
      };
    },
    async save(a) {
      const k = keyring();
      const { wishId, strengths, goals, referrals, ...rest } = a;
      const sealed = { ...rest, strengths: k.seal(strengths, 'assessment'), goals: k.seal(goals, 'assessment'), referrals: referrals.map((r) => k.seal(r, 'assessment')) };
      await upsertWithRetry(() => collection.replaceOne({ _id: wishId as never }, sealed, { upsert: true }));
    },
  };
}
