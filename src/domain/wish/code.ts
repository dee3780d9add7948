/** Human wish codes: `W-1001`, `W-1002`, … The code is also the wish's id. */
export const FIRST_CODE_NUMBER = 1001;

export function formatWishCode(n: number): string {
  return `W-${n}`;
}

export function parseWishCode(input: string): number | undefined {
  const m = /^\s*W-?(\d{1,9})\s*$/i.exec(input);
  return m ? Number(m[1]) : undefined;
}

/** Accepts `W-1042`, `w1042` or `1042` and gives the canonical id. */
export function normaliseWishId(input: string): string | undefined {
  const n = parseWishCode(input) ?? (/^\s*\d{1,9}\s*$/.test(input) ? Number(input) : undefined);
  return n === undefined ? undefined : formatWishCode(n);
}
