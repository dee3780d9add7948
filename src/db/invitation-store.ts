import { Collection } from 'mongodb';
import { Invitation, InvitationReply, InvitationStore } from '../domain/resources/invitations';
import { isDuplicateKey } from './connection';
import { Models } from './models';

type Doc<T extends { id: string }> = Omit<T, 'id'> & { _id: string };

const fromDoc = <T extends { id: string }>(doc: Doc<T> | null): T | null => {
  if (!doc) return null;
  const { _id, ...rest } = doc;
  return { ...rest, id: _id } as unknown as T;
};

async function insertOnce<T extends { id: string }>(collection: Collection, value: T): Promise<'ok' | 'exists'> {
  const { id, ...rest } = value;
  try {
    await collection.insertOne({ _id: id as never, ...rest });
    return 'ok';
  } catch (err) {
    if (isDuplicateKey(err)) return 'exists';
    throw err;
  }
}

/**
 * Quiet invitations and their answers. Each is one document whose `_id` is `<wishId>:<resourceId>`:
 * asking twice or answering twice is a duplicate key, so the first stands. A wish's or a resource's
 * invitations are found by a scan (they are few: a handful per wish), their answers by `_id`.
 */
export function createInvitationStore(models: Pick<Models, 'Invitation' | 'InvitationReply'>): InvitationStore {
  const invitations = models.Invitation.collection as unknown as Collection;
  const replies = models.InvitationReply.collection as unknown as Collection;

  async function withReplies(list: Invitation[]) {
    const out: Array<Invitation & { reply?: InvitationReply }> = [];
    for (const inv of list) {
      const reply = fromDoc<InvitationReply>((await replies.findOne({ _id: inv.id as never })) as Doc<InvitationReply> | null);
      out.push(reply ? { ...inv, reply } : inv);
    }
    return out;
  }

  return {
    insert: (invitation) => insertOnce(invitations, invitation),
    get: async (id) => fromDoc<Invitation>((await invitations.findOne({ _id: id as never })) as Doc<Invitation> | null),
    answer: (reply) => insertOnce(replies, reply),
    reply: async (id) => fromDoc<InvitationReply>((await replies.findOne({ _id: id as never })) as Doc<InvitationReply> | null),
    async ofWish(wishId) {
      const docs = (await invitations.find({ wishId }).sort({ askedAt: 1 }).toArray()) as unknown as Array<Doc<Invitation>>;
      return withReplies(docs.map((d) => fromDoc<Invitation>(d)!));
    },
    async ofResources(resourceIds) {
      if (resourceIds.length === 0) return [];
      const docs = (await invitations.find({ resourceId: { $in: resourceIds } }).toArray()) as unknown as Array<Doc<Invitation>>;
      return withReplies(docs.map((d) => fromDoc<Invitation>(d)!));
    },
  };
}
