import { Clock } from '../clock';
import { ForbiddenError, InvalidError, NotFoundError } from '../errors';
import { randomId } from '../ids';
import { charCount, tidyText } from '../input';
import { canSee, isStaffFor } from '../roles';
import { issue } from '../wish/rules';
import { Actor } from '../wish/types';
import { checkMove, ResourceInput, sameName, validateResource } from './rules';
import { Area, Resource, ResourceState } from './types';

export interface ResourceStore {
  insert(resource: Resource): Promise<void>;
  /** Replaces the whole entry, by `_id`. */
  save(resource: Resource): Promise<void>;
  get(id: string): Promise<Resource | null>;
  ofCommunity(communityId: string): Promise<Resource[]>;
  insertArea(area: Area): Promise<void>;
  areasOf(communityId: string): Promise<Area[]>;
}

export type ResourceService = ReturnType<typeof createResourceService>;

/**
 * The community's resource directory. Staff add entries (approved: they know them); someone offering
 * through the bot adds a proposed one for themselves, which staff approve. Duplicate names in one
 * community are flagged, not refused. Private: `contact`, for staff only (the caller shapes views).
 */
export function createResourceService(deps: { store: ResourceStore; clock: Clock }) {
  const { store, clock } = deps;

  async function visible(id: string, actor: Actor): Promise<Resource> {
    const r = await store.get(id);
    if (!r || !canSee(actor, r.communityId)) throw new NotFoundError('resource_not_found', `No resource ${id}`);
    return r;
  }

  async function create(input: ResourceInput, actor: Actor): Promise<{ resource: Resource; duplicateOf: string[] }> {
    const staff = isStaffFor(actor, input.communityId);
    // Offering for oneself (in the bot): proposed, under one's own Telegram account.
    const self = !staff && actor.telegramId !== undefined && input.telegramId === actor.telegramId;
    if (!staff && !self) {
      // Another community's is not there, as far as this actor can tell.
      if (!canSee(actor, input.communityId)) throw new NotFoundError('community_not_found', `No community ${input.communityId}`);
      throw new ForbiddenError('forbidden', 'Only staff of this community add resources for others');
    }
    const tidy = validateResource(input, await store.areasOf(input.communityId));
    const now = clock();
    const resource: Resource = { ...tidy, id: randomId('res'), state: staff ? 'approved' : 'proposed', createdAt: now, updatedAt: now, createdBy: actor.id };
    const duplicateOf = (await store.ofCommunity(input.communityId)).filter((r) => r.state !== 'retired' && sameName(r.name, resource.name)).map((r) => r.id);
    await store.insert(resource);
    return { resource, duplicateOf };
  }

  async function edit(id: string, changes: Partial<Omit<ResourceInput, 'communityId'>>, actor: Actor): Promise<Resource> {
    const current = await visible(id, actor);
    if (!isStaffFor(actor, current.communityId)) throw new ForbiddenError('forbidden', 'Only staff of this community edit its directory');
    const tidy = validateResource({ ...current, ...changes, communityId: current.communityId } as ResourceInput, await store.areasOf(current.communityId));
    // Built from what the rules kept, so a field cleared (availability, contact) is gone, not left as it was.
    const next: Resource = { id: current.id, state: current.state, createdAt: current.createdAt, createdBy: current.createdBy, ...tidy, updatedAt: clock() };
    await store.save(next);
    return next;
  }

  async function move(id: string, to: ResourceState, actor: Actor): Promise<{ resource: Resource; changed: boolean }> {
    const current = await visible(id, actor);
    if (!isStaffFor(actor, current.communityId)) throw new ForbiddenError('forbidden', 'Only staff of this community approve, pause or retire resources');
    if (checkMove(current.state, to) === null) return { resource: current, changed: false };
    const next = { ...current, state: to, updatedAt: clock() };
    await store.save(next);
    return { resource: next, changed: true };
  }

  async function addArea(communityId: string, input: { name: string; level: Area['level']; parentId?: string }, actor: Actor): Promise<Area> {
    if (!isStaffFor(actor, communityId)) throw new ForbiddenError('forbidden', "Only staff of this community add to its areas");
    const areas = await store.areasOf(communityId);
    const name = tidyText(input.name ?? '');
    const issues = [];
    if (charCount(name) === 0) issues.push(issue('name', 'required'));
    else if (charCount(name) > 60) issues.push(issue('name', 'too_long', { max: 60 }));
    if (!['district', 'community', 'building'].includes(input.level)) issues.push(issue('level', 'not_a_choice', { choices: 'district, community, building' }));
    if (input.parentId !== undefined && !areas.some((a) => a.id === input.parentId)) issues.push(issue('parentId', 'unknown_area'));
    if (areas.some((a) => a.parentId === input.parentId && sameName(a.name, name))) issues.push(issue('name', 'not_a_choice', { choices: 'a name not already used under the same parent' }));
    if (issues.length > 0) throw InvalidError.fields(issues);
    const area: Area = { id: randomId('area'), communityId, name, level: input.level, ...(input.parentId ? { parentId: input.parentId } : {}) };
    await store.insertArea(area);
    return area;
  }

  return {
    create,
    edit,
    move,
    get: visible,
    async list(communityId: string, actor: Actor): Promise<Resource[]> {
      if (!canSee(actor, communityId)) throw new NotFoundError('community_not_found', `No community ${communityId}`);
      return (await store.ofCommunity(communityId)).sort((a, b) => a.name.localeCompare(b.name));
    },
    addArea,
    areasOf: store.areasOf,
    /** What matching and invitations read: no role check (the callers check the wish's community). */
    reader: { get: store.get, listByCommunity: store.ofCommunity, areasOf: store.areasOf },
    /** Whether this Telegram user is already in the community's directory (any state but retired). */
    async hasTelegram(communityId: string, telegramId: number): Promise<boolean> {
      return (await store.ofCommunity(communityId)).some((r) => r.telegramId === telegramId && r.state !== 'retired');
    },
  };
}
