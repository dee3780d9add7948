import { Assessment, AssessmentStore, LifeDomain } from '../domain/assessment';
import { upsertWithRetry } from './connection';
import { Models } from './models';

type AssessmentDoc = Omit<Assessment, 'wishId'> & { _id: string };

/** Needs assessments, one per wish, read and written by `_id`. */
export function createAssessmentStore(models: Pick<Models, 'Assessment'>): AssessmentStore {
  const collection = models.Assessment.collection;
  return {
    async get(wishId) {
      const doc = (await collection.findOne({ _id: wishId as never })) as AssessmentDoc | null;
      if (!doc) return null;
      return {
        wishId,
        domains: (doc.domains ?? []) as LifeDomain[],
        strengths: String(doc.strengths ?? ''),
        goals: String(doc.goals ?? ''),
        referrals: Array.isArray(doc.referrals) ? doc.referrals.map(String) : [],
        recordedBy: doc.recordedBy,
        updatedAt: new Date(doc.updatedAt),
      };
    },
    async save(a) {
      const { wishId, ...rest } = a;
      await upsertWithRetry(() => collection.replaceOne({ _id: wishId as never }, rest, { upsert: true }));
    },
  };
}
