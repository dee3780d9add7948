import { LIVE_PLEDGE_STATUSES, Lifecycle, Pledge, WishState, WishStatus } from './types';

// Plain questions about a wish, answered once here for the rules, the cards, the jobs and the API.

/** A pledge that holds its share of the target: active, delivered or confirmed. */
export function isLive(p: Pledge): boolean {
  return LIVE_PLEDGE_STATUSES.includes(p.status);
}

export function livePledges(state: Pick<WishState, 'pledges'>): Pledge[] {
  return state.pledges.filter(isLive);
}

export function pledgedAmount(pledges: readonly Pledge[]): number {
  return pledges.filter(isLive).reduce((sum, p) => sum + p.amount, 0);
}

export function remainingAmount(state: Pick<WishState, 'target' | 'pledges'>): number {
  return Math.max(0, state.target - pledgedAmount(state.pledges));
}

/** The donor's own pledge that still holds a share, if any: one per donor per wish. */
export function livePledgeOf(state: Pick<WishState, 'pledges'>, donorId: string): Pledge | undefined {
  return state.pledges.find((p) => p.donorId === donorId && isLive(p));
}

export function deriveStatus(lifecycle: Lifecycle, pledged: number, target: number): WishStatus {
  if (lifecycle !== 'published') return lifecycle === 'draft' ? 'draft' : lifecycle;
  if (pledged <= 0) return 'open';
  return pledged >= target ? 'fully_pledged' : 'partially_pledged';
}

/** A wish is fulfilled once its live pledges cover the target and every one of them is confirmed. */
export function coversAndConfirmed(pledges: readonly Pledge[], target: number): boolean {
  const live = pledges.filter(isLive);
  return live.length > 0 && pledgedAmount(live) >= target && live.every((p) => p.status === 'confirmed');
}

/** The order people see wishes in: urgent first, then the nearest deadline, then the oldest code. */
export function byUrgencyThenDeadline(a: Pick<WishState, 'urgency' | 'deadline' | 'codeNumber'>, b: Pick<WishState, 'urgency' | 'deadline' | 'codeNumber'>): number {
  if (a.urgency !== b.urgency) return a.urgency === 'urgent' ? -1 : 1;
  return a.deadline.getTime() - b.deadline.getTime() || a.codeNumber - b.codeNumber;
}

/**
 * Whether a wish may be shown to anyone who asks (a card's Details, a deep link, a forged button):
 * once published, and after (fulfilled, expired, cancelled). A draft is its workers' alone.
 */
export function isPublic(state: Pick<WishState, 'lifecycle'>): boolean {
  return state.lifecycle !== 'draft';
}
