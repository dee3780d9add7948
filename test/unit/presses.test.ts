import { createBacklog, createPressLimiter } from '../../src/bot/presses';
import { parseConfig } from '../../src/config';
import { mayBePreset } from '../../src/ui/callbacks';
import { manualClock } from '../support/fixtures';

describe('the per-person press limit (token bucket)', () => {
  it('lets a burst of 8 through, refuses the 9th, and refills evenly over 10 s', () => {
    const clock = manualClock();
    const limiter = createPressLimiter({ perWindow: 8, windowMs: 10_000, clock });
    const burst = Array.from({ length: 9 }, () => limiter.take(1));
    expect(burst).toEqual([true, true, true, true, true, true, true, true, false]);
    clock.advance(1_249); // not quite one token (1.25 s per token)
    expect(limiter.take(1)).toBe(false);
    clock.advance(1);
    expect(limiter.take(1)).toBe(true);
    expect(limiter.take(1)).toBe(false);
    clock.advance(60_000); // full again, and no fuller than 8
    expect(Array.from({ length: 9 }, () => limiter.take(1)).filter(Boolean)).toHaveLength(8);
  });

  it('counts each person on their own', () => {
    const clock = manualClock();
    const limiter = createPressLimiter({ perWindow: 2, clock });
    expect([limiter.take(1), limiter.take(1), limiter.take(1)]).toEqual([true, true, false]);
    expect([limiter.take(2), limiter.take(2)]).toEqual([true, true]);
  });

  it('a steady presser at the allowed rate is never refused', () => {
    const clock = manualClock();
    const limiter = createPressLimiter({ perWindow: 8, windowMs: 10_000, clock });
    for (let i = 0; i < 100; i++) {
      expect(limiter.take(7)).toBe(true);
      clock.advance(1_250);
    }
  });

  it('remembers a bounded number of people, forgetting idle ones first', () => {
    const clock = manualClock();
    const limiter = createPressLimiter({ perWindow: 1, windowMs: 1_000, clock, maxPeople: 3 });
    limiter.take(1);
    limiter.take(2);
    limiter.take(3);
    clock.advance(5_000);
    limiter.take(4);
    expect(limiter.size).toBeLessThanOrEqual(3);
    expect(limiter.take(4)).toBe(false); // the newcomer's bucket is kept
  });
});

describe('the backlog of presses', () => {
  it('sheds a press whose turn comes after it waited too long', () => {
    const clock = manualClock();
    const backlog = createBacklog({ maxWaitMs: 10_000, maxQueued: 10, clock });
    const early = backlog.enter()!;
    const late = backlog.enter()!;
    expect(early.startable()).toBe(true);
    clock.advance(10_001);
    expect(late.startable()).toBe(false);
  });

  it('refuses new presses while too many are queued, and takes them again once some finish', () => {
    const backlog = createBacklog({ maxQueued: 2, clock: manualClock() });
    const a = backlog.enter()!;
    backlog.enter();
    expect(backlog.enter()).toBeUndefined();
    a.leave();
    a.leave(); // twice is once
    expect(backlog.queued).toBe(1);
    expect(backlog.enter()).toBeDefined();
  });
});

describe('pledge buttons a card could carry', () => {
  it('round amounts and the remainder itself; nothing else', () => {
    expect([1, 2, 5, 10, 50, 100, 2000, 100000].every((n) => mayBePreset(n, 180))).toBe(true);
    expect(mayBePreset(180, 180)).toBe(true);
    expect([7, 3, 150, 999999999, 25].some((n) => mayBePreset(n, 180))).toBe(false);
  });
});

describe('press settings', () => {
  const minimal = { BOT_TOKEN: '123:abc' };
  it('default to 8 per 10 s, 10 s of waiting and 200 queued, and name a bad value', () => {
    expect(parseConfig(minimal).presses).toEqual({ limitPer10s: 8, maxWaitMs: 10_000, maxQueued: 200 });
    expect(parseConfig({ ...minimal, PRESS_LIMIT_PER_10S: '20' }).presses.limitPer10s).toBe(20);
    expect(() => parseConfig({ ...minimal, PRESS_LIMIT_PER_10S: '0' })).toThrow(/PRESS_LIMIT_PER_10S must be 1 to 1000/);
    expect(() => parseConfig({ ...minimal, PRESS_WAIT_MAX_MS: 'soon' })).toThrow(/PRESS_WAIT_MAX_MS must be a number/);
  });
});
