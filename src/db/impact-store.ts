import { Collection } from 'mongodb';
import { Models } from './models';

/** Whether a community's impact page is public: one document per community by `_id`, set by an admin. */
export function createImpactStore(models: Pick<Models, 'ImpactPage'>) {
  const pages = models.ImpactPage.collection as unknown as Collection;
  return {
    async isPublic(communityId: string): Promise<boolean> {
      return (await pages.findOne({ _id: communityId as never }))?.public === true;
    },
    async set(communityId: string, isPublic: boolean, by: string, at: Date): Promise<void> {
      await pages.replaceOne({ _id: communityId as never }, { public: isPublic, by, at }, { upsert: true });
    },
  };
}

export type ImpactStore = ReturnType<typeof createImpactStore>;
