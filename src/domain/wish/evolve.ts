import { parseWishCode } from './code';
import { Pledge, WishEvent, WishState } from './types';
import { coversAndConfirmed, deriveStatus, pledgedAmount } from './views';

/** How many recent message keys a wish remembers: enough for any redelivery of an update. */
export const MESSAGE_KEYS_KEPT = 50;

function withDerived(state: Omit<WishState, 'status' | 'pledged'>): WishState {
  const pledged = pledgedAmount(state.pledges);
  return { ...state, pledged, status: deriveStatus(state.lifecycle, pledged, state.target) };
}

function updatePledge(state: WishState, pledgeId: string, change: Partial<Pledge>): Pledge[] {
  return state.pledges.map((p) => (p.id === pledgeId ? { ...p, ...change } : p));
}

/**
 * Folds one event into a wish. Pure: the same events always give the same wish. It applies what
 * `decide` decided and derives the figures (pledged, status); it makes no decision of its own.
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
        ...(event.actor.id !== event.donorId ? { pledgedBy: event.actor.id } : {}),
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
      // Handed over directly: the hand-over is the delivery.
      const handedOver = event.handedOver ? { deliveredAt: event.at } : {};
      const pledges = updatePledge(state, event.pledgeId, { status: 'confirmed', confirmedAt: event.at, ...handedOver });
      // Events recorded before decide kept `fulfils` carry none: for them the same rule is applied here.
      const fulfils = event.fulfils ?? coversAndConfirmed(pledges, state.target);
      return withDerived({ ...base, pledges, ...(fulfils ? { lifecycle: 'fulfilled' as const, closedAt: event.at } : {}) });
    }
    case 'edited': {
      const { alias, ...rest } = event.changes;
      const edited = { ...base, ...rest, ...(alias !== undefined ? { beneficiary: { ...state.beneficiary, alias } } : {}) };
      // A draft's card changed: a yes (or a request for changes) was about the old one, and so was the question.
      if (state.lifecycle === 'draft') {
        const { publish, ...otherConsents } = state.consents ?? {};
        const keep = publish && publish.answer !== 'given' && publish.answer !== 'changes' ? { publish } : {};
        // Left out, not set to undefined: a stored snapshot would keep it as null.
        const { consentAsked: _asked, ...rest } = edited;
        return withDerived({ ...rest, consents: { ...otherConsents, ...keep } });
      }
      return withDerived(edited);
    }
    case 'cancelled':
      return withDerived({ ...base, lifecycle: 'cancelled', closedAt: event.at });
    case 'expired':
      return withDerived({ ...base, lifecycle: 'expired', closedAt: event.at });
    case 'message':
      // Nothing about the wish changes (not even when it was last changed): only the seq moves on.
      return { ...state, version: event.seq, messageKeys: [...(state.messageKeys ?? []), event.key].slice(-MESSAGE_KEYS_KEPT) };
    case 'resident_linked':
      return withDerived({
        ...base,
        residents: [...(state.residents ?? []), event.residentId],
        ...(state.lifecycle === 'draft' ? { consentRequired: true } : {}),
      });
    case 'consent_asked':
      return withDerived({ ...base, consentAsked: { seq: event.seq, card: event.card } });
    case 'consent':
      return withDerived({ ...base, consents: { ...state.consents, [event.purpose]: { answer: event.answer, via: event.via, at: event.at, seq: event.seq } } });
    case 'resident_erased':
      return withDerived({
        ...base,
        residents: (state.residents ?? []).filter((r) => r !== event.residentId),
        residentErased: true,
        beneficiary: { alias: state.beneficiary.alias },
      });
  }
}

export function fold(events: readonly WishEvent[], from: WishState | null = null): WishState | null {
  return events.reduce<WishState | null>((s, e) => evolve(s, e), from);
}
