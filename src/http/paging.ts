import { z } from 'zod';

// Cursor pagination, one way for every list: `limit` and `cursor` in, `nextCursor` out. A cursor is
// where the last page ended, base64url-encoded so callers treat it as opaque.

/** A cursor kind: `prefix` tells kinds apart, `pattern` (one group) what may follow it. */
export function cursorCodec<T>(prefix: string, pattern: RegExp, parse: (s: string) => T) {
  const full = new RegExp(`^${prefix}(${pattern.source})$`);
  const read = (raw: string): T | undefined => {
    const m = full.exec(Buffer.from(raw, 'base64url').toString('latin1'));
    return m ? parse(m[1]!) : undefined;
  };
  return {
    text: (value: T) => Buffer.from(`${prefix}${String(value)}`).toString('base64url'),
    /** The query field: a cursor this API gave, read back into where the page ended. */
    schema: z
      .string()
      .max(80)
      .refine((s) => read(s) !== undefined, 'is not a cursor this API gave')
      .transform((s) => read(s)!)
      .optional()
      .describe('The nextCursor of the previous page'),
  };
}

export const pageSize = z.coerce.number().int().min(1).max(200).default(50).describe('Page size, 1 to 200 (default 50)');
