import { parseWishCode } from './code';
import { LIVE_PLEDGE_STATUSES, Lifecycle, Pledge, WishEvent, WishState, WishStatus } from './types';

export function isLive(p: Pledge): boolean {
  return LIVE_PLEDGE_STATUSES.includes(p.status);
}

export function pledgedAmount(pledges: readonly Pledge[]): number {
  return pledges.filter(isLive).reduce((sum, p) => sum + p.amount, 0);
}

export function remainingAmount(state: Pick<WishState, 'target' | 'pledges'>): number {
  return Math.max(0, state.target - pledgedAmount(state.pledges));
}

export function deriveStatus(lifecycle: Lifecycle, pledged: number, target: number): WishStatus {
  if (lifecycle !== 'published') return lifecycle === 'draft' ? 'draft' : lifecycle;
  if (pledged <= 0) return 'open';
  return pledged >= target ? 'fully_pledged' : 'partially_pledged';
}

/** A wish is fulfilled once its live pledges cover the target and every one of them is confirmed. */
function isFulfilled(pledges: readonly Pledge[], target: number): boolean {
  const live = pledges.filter(isLive);
  return live.length > 0 && pledgedAmount(live) >= target && live.every((p) => p.status === 'confirmed');
}

function withDerived(state: Omit<WishState, 'status' | 'pledged'>): WishState {
  const pledged = pledgedAmount(state.pledges);
  return { ...state, pledged, status: deriveStatus(state.lifecycle, pledged, state.target) };
}

function updatePledge(state: WishState, pledgeId: string, change: Partial<Pledge>): Pledge[] {
  return state.pledges.map((p) => (p.id === pledgeId ? { ...p, ...change } : p));
}

/**
 * Folds one event into a wish. Pure: the same events always give the same wish.
 * `decide` has already checked every rule, so evolve only records what happened.
 */
export function evolve(state: WishState | null, event: WishEvent): WishState {
  if (event.type === 'created') {
    const { code, ...draft } = event.wish;
    return withDerived({
      ...draft,
      id: event.wishId,
      code,
      codeNumber: parseWishCode(code) ?? 0,
      createdBy: event.actor,
      createdAt: event.at,
      lifecycle: 'draft',
      pledges: [],
      version: event.seq,
      updatedAt: event.at,
    });
  }
  if (!state) throw new Error(`event ${event.id} has no wish to apply to`);

  const base = { ...state, version: event.seq, updatedAt: event.at };
  switch (event.type) {
    case 'published':
      return withDerived({ ...base, lifecycle: 'published', publishedAt: event.at });
    case 'pledged': {
      const pledge: Pledge = {
        id: event.id,
        donorId: event.donorId,
        displayName: event.displayName,
        anonymous: event.anonymous,
        amount: event.amount,
        status: 'active',
        pledgedAt: event.at,
      };
      return withDerived({ ...base, pledges: [...state.pledges, pledge] });
    }
    case 'withdrawn':
      return withDerived({ ...base, pledges: updatePledge(state, event.pledgeId, { status: 'withdrawn', closedAt: event.at }) });
    case 'released':
      return withDerived({ ...base, pledges: updatePledge(state, event.pledgeId, { status: 'released', closedAt: event.at }) });
    case 'delivered':
      return withDerived({ ...base, pledges: updatePledge(state, event.pledgeId, { status: 'delivered', deliveredAt: event.at }) });
    case 'confirmed': {
      const pledges = updatePledge(state, event.pledgeId, { status: 'confirmed', confirmedAt: event.at });
      const fulfilled = isFulfilled(pledges, state.target);
      return withDerived({
        ...base,
        pledges,
        ...(fulfilled ? { lifecycle: 'fulfilled' as const, closedAt: event.at } : {}),
      });
    }
    case 'cancelled':
      return withDerived({ ...base, lifecycle: 'cancelled', closedAt: event.at });
    case 'expired':
      return withDerived({ ...base, lifecycle: 'expired', closedAt: event.at });
  }
}

export function fold(events: readonly WishEvent[], from: WishState | null = null): WishState | null {
  return events.reduce<WishState | null>((s, e) => evolve(s, e), from);
}
