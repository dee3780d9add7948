import { Collection } from 'mongodb';
import { Area, Resource } from '../domain/resources/types';
import { ResourceStore } from '../domain/resources/service';
import { FieldKeyring, fieldKeyring } from './field-crypto';
import { Models } from './models';

type Doc = Omit<Resource, 'id' | 'contact'> & { _id: string; contact?: unknown };

/**
 * The directory: one document per resource by `_id`, its preferred contact sealed like a beneficiary's;
 * a community's entries and areas are found by a scan (a directory is tens or hundreds of entries).
 */
export function createResourceStore(models: Pick<Models, 'Resource' | 'Area'>, keyring: () => FieldKeyring = fieldKeyring): ResourceStore {
  const resources = models.Resource.collection as unknown as Collection;
  const areas = models.Area.collection as unknown as Collection;
  const toDoc = (r: Resource): Doc => {
    const { id, contact, ...rest } = r;
    return { _id: id, ...rest, ...(contact !== undefined ? { contact: keyring().seal(contact, 'notes') } : {}) };
  };
  const fromDoc = (d: Doc): Resource => {
    const { _id, contact, ...rest } = d;
    return { ...(rest as Omit<Resource, 'id'>), id: _id, ...(contact !== undefined && contact !== null ? { contact: keyring().open(contact) } : {}) };
  };
  return {
    async insert(r) {
      await resources.insertOne(toDoc(r) as never);
    },
    async save(r) {
      const { _id, ...rest } = toDoc(r);
      await resources.replaceOne({ _id: _id as never }, rest);
    },
    async get(id) {
      const d = (await resources.findOne({ _id: id as never })) as Doc | null;
      return d ? fromDoc(d) : null;
    },
    async ofCommunity(communityId) {
      return ((await resources.find({ communityId }).toArray()) as unknown as Doc[]).map(fromDoc);
    },
    async insertArea(a) {
      const { id, ...rest } = a;
      await areas.insertOne({ _id: id as never, ...rest });
    },
    async areasOf(communityId) {
      return ((await areas.find({ communityId }).toArray()) as unknown as Array<Omit<Area, 'id'> & { _id: string }>).map(({ _id, ...rest }) => ({ ...rest, id: _id }));
    },
  };
}
