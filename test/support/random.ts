/** A small seeded PRNG (mulberry32), so a test's random delays can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The same object with every method delayed by a random 0..maxMs before it runs and again before its
 * answer returns, as a slow, busy database would: reads go stale and writes land late.
 */
export function slowed<T extends object>(target: T, random: () => number, maxMs: number): T {
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, random() * maxMs));
  const out = { ...target } as Record<string, unknown>;
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function') continue;
    out[name] = async (...args: unknown[]) => {
      await pause();
      const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
      await pause();
      return result;
    };
  }
  return out as T;
}
