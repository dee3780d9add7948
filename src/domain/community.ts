import { Clock } from './clock';
import { BusyError, ForbiddenError } from './errors';
import { randomCode, randomId } from './ids';
import { Actor } from './wish/types';

export type Language = 'en' | 'zh';

export interface Community {
  id: string;
  name: string;
  /** What a worker types after /link in a group to attach it. */
  linkCode: string;
  createdAt: Date;
}

export interface CommunityStore {
  /** 'conflict' when the link code is already in use. */
  insert(community: Community): Promise<'ok' | 'conflict'>;
  get(id: string): Promise<Community | null>;
  byLinkCode(linkCode: string): Promise<Community | null>;
  list(): Promise<Community[]>;
}

export type CommunityService = ReturnType<typeof createCommunityService>;

export function createCommunityService(deps: { store: CommunityStore; clock: Clock }) {
  const { store, clock } = deps;

  async function create(input: { name: string }, actor: Actor): Promise<Community> {
    if (actor.kind !== 'admin') throw new ForbiddenError('forbidden', 'Only an admin may create communities');
    for (let attempt = 0; attempt < 10; attempt++) {
      const community: Community = { id: randomId('com'), name: input.name, linkCode: randomCode(8), createdAt: clock() };
      if ((await store.insert(community)) === 'ok') return community;
    }
    throw new BusyError('busy', 'Could not allocate a link code; please try again');
  }

  return {
    create,
    get: store.get,
    byLinkCode: (code: string) => store.byLinkCode(code.trim().toUpperCase()),
    list: store.list,
    exists: async (id: string) => (await store.get(id)) !== null,
  };
}
