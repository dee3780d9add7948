import { planTurn, turnTiming } from '../../src/notify/turn';

describe('sender turn rules', () => {
  const timing = turnTiming(10_000);
  const slot = { start: 100_000, end: 110_000 };

  it('guards 2 s and asks 3 s ahead in a 10 s slot, proportionally less in short slots', () => {
    expect(timing).toEqual({ slotMs: 10_000, guardMs: 2000, aheadMs: 3000 });
    expect(turnTiming(300)).toEqual({ slotMs: 300, guardMs: 90, aheadMs: 150 });
    expect(() => turnTiming(0)).toThrow(/slotMs/);
  });

  it('when another instance holds the slot, waits for its end and dispatches nothing', () => {
    expect(planTurn(timing, { now: 101_000, slot, holdsSlot: false })).toEqual({ kind: 'wait', until: 110_000 });
  });

  it('early in its own slot, sends until the slot ends and decides again when it is time to ask for the next', () => {
    expect(planTurn(timing, { now: 101_000, slot, holdsSlot: true })).toEqual({ kind: 'send', sendUntil: 110_000, decideAt: 107_000 });
  });

  it('near the end of its slot, asks for the next one first', () => {
    expect(planTurn(timing, { now: 107_000, slot, holdsSlot: true })).toEqual({ kind: 'ask-next' });
    expect(planTurn(timing, { now: 109_999, slot, holdsSlot: true })).toEqual({ kind: 'ask-next' });
  });

  it('holding the next slot too, sends on into it without a pause', () => {
    expect(planTurn(timing, { now: 107_500, slot, holdsSlot: true, holdsNext: true })).toEqual({ kind: 'send', sendUntil: 118_000, decideAt: 110_000 });
  });

  it('when the next slot is someone else’s, stops dispatching a guard interval before its own ends', () => {
    expect(planTurn(timing, { now: 107_500, slot, holdsSlot: true, holdsNext: false })).toEqual({ kind: 'send', sendUntil: 108_000, decideAt: 108_000 });
    expect(planTurn(timing, { now: 108_000, slot, holdsSlot: true, holdsNext: false })).toEqual({ kind: 'wait', until: 110_000 });
  });

  it('decides again at once when its answers are about a slot that has ended meanwhile', () => {
    expect(planTurn(timing, { now: 110_000, slot, holdsSlot: true })).toEqual({ kind: 'wait', until: 110_000 });
    expect(planTurn(timing, { now: 110_500, slot, holdsSlot: true, holdsNext: true })).toEqual({ kind: 'wait', until: 110_500 });
  });
});
