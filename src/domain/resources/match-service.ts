import { Clock } from '../clock';
import { NotFoundError } from '../errors';
import { donorIdOf } from '../people';
import { canSee } from '../roles';
import { WishService } from '../wish/service';
import { Actor, WishState } from '../wish/types';
import { isLive, remainingAmount } from '../wish/views';
import { InvitationStore } from './invitations';
import { Match, rankMatches } from './matching';
import { Area, Resource, ResourceRecord } from './types';

/** What matching reads of the directory. */
export interface DirectoryReader {
  get(id: string): Promise<Resource | null>;
  listByCommunity(communityId: string): Promise<Resource[]>;
  areasOf(communityId: string): Promise<Area[]>;
}

const sameMonth = (a: Date, b: Date) => a.getUTCFullYear() === b.getUTCFullYear() && a.getUTCMonth() === b.getUTCMonth();

/**
 * What each resource has done, derived from the community's wishes (its pledges, by its Telegram
 * account) and its invitations: taken and fulfilled, this month's requests and money, when it was
 * last asked, what it declined. Derived each time, never counted with $inc.
 */
export function resourceRecords(resources: readonly Resource[], wishes: readonly WishState[], invitations: Awaited<ReturnType<InvitationStore['ofResources']>>, now: Date): Map<string, ResourceRecord> {
  const records = new Map<string, ResourceRecord>();
  const byDonor = new Map<string, string>();
  for (const r of resources) {
    records.set(r.id, { requestsThisMonth: 0, moneyThisMonth: 0, fulfilled: 0, taken: 0, declinedWishIds: [] });
    if (r.telegramId !== undefined) byDonor.set(donorIdOf(r.telegramId), r.id);
  }
  for (const wish of wishes) {
    for (const p of wish.pledges) {
      const id = byDonor.get(p.donorId);
      if (!id) continue;
      const rec = records.get(id)!;
      rec.taken += 1;
      if (p.status === 'confirmed') rec.fulfilled += 1;
      if (isLive(p) && sameMonth(p.pledgedAt, now)) {
        rec.requestsThisMonth += 1;
        if (wish.category === 'cash') rec.moneyThisMonth += p.amount;
      }
    }
  }
  for (const inv of invitations) {
    const rec = records.get(inv.resourceId);
    if (!rec) continue;
    if (!rec.lastAskedAt || rec.lastAskedAt.getTime() < inv.askedAt.getTime()) rec.lastAskedAt = inv.askedAt;
    if (inv.reply && inv.reply.answer !== 'can') rec.declinedWishIds.push(inv.wishId);
  }
  return records;
}

/** How many of a community's newest wishes the records are derived from. */
const HISTORY_WISHES = 2000;

export type MatchService = ReturnType<typeof createMatchService>;

/** Suggestions for a wish: its community's directory ranked by `rankMatches`, with what each has done. */
export function createMatchService(deps: { wishes: Pick<WishService, 'get' | 'list'>; directory: DirectoryReader; invitations: Pick<InvitationStore, 'ofResources'>; clock: Clock }) {
  /** The community's recent wishes (newest 2000): enough to know how each resource has done lately. */
  const communityWishes = (communityId: string) => deps.wishes.list({ communityIds: [communityId], limit: HISTORY_WISHES });

  async function matchesFor(wishId: string, actor: Actor): Promise<{ wish: WishState; matches: Match[] }> {
    const wish = await deps.wishes.get(wishId);
    if (!canSee(actor, wish.communityId)) throw new NotFoundError('wish_not_found', `No wish ${wishId}`);
    const now = deps.clock();
    const [resources, areas] = await Promise.all([deps.directory.listByCommunity(wish.communityId), deps.directory.areasOf(wish.communityId)]);
    const [wishes, invitations] = await Promise.all([communityWishes(wish.communityId), deps.invitations.ofResources(resources.map((r) => r.id))]);
    const records = resourceRecords(resources, wishes, invitations, now);
    const matches = rankMatches({
      need: { id: wish.id, communityId: wish.communityId, category: wish.category, ...(wish.skill ? { skill: wish.skill as never } : {}), ...(wish.areaId ? { areaId: wish.areaId } : {}), deadline: wish.deadline, remaining: remainingAmount(wish) },
      resources: resources.map((resource) => ({ resource, record: records.get(resource.id)! })),
      areas,
      now,
    });
    return { wish, matches };
  }

  /** Approved resources not asked for `days` or more (or never): the worker's reminder to keep the pool alive. */
  async function resting(communityId: string, days: number): Promise<Array<{ resource: Resource; lastAskedAt?: Date }>> {
    const resources = (await deps.directory.listByCommunity(communityId)).filter((r) => r.state === 'approved');
    const invitations = await deps.invitations.ofResources(resources.map((r) => r.id));
    const records = resourceRecords(resources, [], invitations, deps.clock());
    const cutoff = deps.clock().getTime() - days * 86_400_000;
    return resources
      .map((resource) => ({ resource, lastAskedAt: records.get(resource.id)!.lastAskedAt }))
      .filter((r) => !r.lastAskedAt || r.lastAskedAt.getTime() <= cutoff)
      .sort((a, b) => (a.lastAskedAt?.getTime() ?? 0) - (b.lastAskedAt?.getTime() ?? 0) || a.resource.name.localeCompare(b.resource.name));
  }

  return { matchesFor, resting };
}
