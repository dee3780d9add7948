/** Injected everywhere time matters, so tests control it. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
