import { Donor, DonorStore } from '../domain/donor';
import { isDuplicateKey } from './connection';
import { Models } from './models';

type DonorDoc = Omit<Donor, 'id'> & { _id: string };

function toDonor({ _id, ...rest }: DonorDoc): Donor {
  return { id: _id, ...rest };
}

export function createDonorStore(models: Models): DonorStore {
  const Model = models.Donor;
  const get = async (id: string) => {
    const doc = await Model.findById(id).lean<DonorDoc>();
    return doc ? toDonor(doc) : null;
  };
  return {
    get,
    async ensure(donor) {
      const { id, ...rest } = donor;
      try {
        await Model.create({ _id: id, ...rest });
        return donor;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        return (await get(id)) ?? donor;
      }
    },
    async update(id, change, at) {
      // Only the donor edits their own profile, so a plain $set has no race to lose.
      await Model.updateOne({ _id: id }, { $set: { ...change, updatedAt: at } });
      return get(id);
    },
  };
}
