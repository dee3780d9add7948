import { z } from 'zod';

// Callback data is at most 64 bytes: short verbs, wish codes and pledge ids (`W-1001:3`).

export const callbackData = {
  claim: (wishId: string) => `c:${wishId}`,
  pledge: (wishId: string, amount: number) => `p:${wishId}:${amount}`,
  other: (wishId: string) => `o:${wishId}`,
  details: (wishId: string) => `i:${wishId}`,
  delivered: (pledgeId: string) => `dl:${pledgeId}`,
  withdraw: (pledgeId: string) => `wd:${pledgeId}`,
  confirm: (pledgeId: string) => `cf:${pledgeId}`,
  stillOn: (pledgeId: string) => `so:${pledgeId}`,
  thanks: (wishId: string) => `ty:${wishId}`,
  language: (lang: string) => `lang:${lang}`,
  wizard: (choice: string) => `nw:${choice}`,
  profile: (choice: string) => `pf:${choice}`,
  /** The resident's answer to /erase: `er:yes` or `er:no`. */
  erase: (answer: 'yes' | 'no') => `er:${answer}`,
  /** A worker's Confirm erasure, naming the request by its token (never the person's id). */
  confirmErasure: (token: string) => `erc:${token}`,
  /** The resident's answer to a preview: `g` publish as shown, `c` ask for changes, `p` keep it private. */
  consentAnswer: (wishId: string, askedSeq: number, answer: 'g' | 'c' | 'p') => `cs:${wishId}:${askedSeq}:${answer}`,
  /** A worker asks the resident (shows them the card). */
  askConsent: (wishId: string) => `ca:${wishId}`,
  /** From /privacy: withdraw (`w`) or give (`g`) one purpose for one wish. */
  privacy: (wishId: string, purpose: string, change: 'w' | 'g') => `pv:${wishId}:${purpose}:${change}`,
  /** An invited resource's answer: `c` Can, `n` Can't, `l` Not now (later). */
  invitation: (wishId: string, resourceId: string, answer: 'c' | 'n' | 'l') => `iv:${wishId}:${resourceId}:${answer}`,
};

const wishId = z.string().regex(/^W-\d{4,9}$/);
const pledgeId = z.string().regex(/^W-\d{4,9}:\d{1,6}$/);

export const parsedCallback = z.union([
  z.object({ action: z.literal('claim'), wishId }),
  z.object({ action: z.literal('pledge'), wishId, amount: z.coerce.number().int().positive().max(1e9) }),
  z.object({ action: z.literal('other'), wishId }),
  z.object({ action: z.literal('details'), wishId }),
  z.object({ action: z.enum(['delivered', 'withdraw', 'confirm', 'stillOn']), pledgeId }),
  z.object({ action: z.literal('thanks'), wishId }),
]);
export type ParsedCallback = z.infer<typeof parsedCallback>;

/** Reads wish/pledge button data; undefined for anything else or anything malformed. */
export function parseWishCallback(data: string): ParsedCallback | undefined {
  const m = /^(c|p|o|i|dl|wd|cf|so|ty):(W-\d+)(?::(\d+))?$/.exec(data);
  if (!m) return undefined;
  const [, verb, id, extra] = m;
  const raw =
    verb === 'p'
      ? { action: 'pledge', wishId: id, amount: extra }
      : verb === 'dl' || verb === 'wd' || verb === 'cf' || verb === 'so'
        ? { action: { dl: 'delivered', wd: 'withdraw', cf: 'confirm', so: 'stillOn' }[verb], pledgeId: `${id}:${extra}` }
        : { action: { c: 'claim', o: 'other', i: 'details', ty: 'thanks' }[verb!], wishId: id };
  const parsed = parsedCallback.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/**
 * Whether a pledge button could carry `amount` on a card of a wish with `remaining` still needed:
 * cards offer round amounts (1, 2, 5, 10, 20, 50, ...) and the remainder itself (src/ui/card.ts).
 * Anything else was not made by us, or by a card since redrawn.
 */
export function mayBePreset(amount: number, remaining: number): boolean {
  return amount === remaining || /^[125]0*$/.test(String(amount));
}
