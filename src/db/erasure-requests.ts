import { randomBytes } from 'node:crypto';
import { BotModels } from './bot-models';
import { isDuplicateKey, upsertWithRetry } from './connection';

/** An erasure asked for and not yet done. `token`: what a worker's Confirm button names (never the person's id). */
export interface ErasureRequest {
  telegramId: number;
  token: string;
  communityIds: string[];
  wishCodes: string[];
  requestedAt: Date;
}

/**
 * Erasure requests, made of unique inserts: `tg:<id>` (asking twice is one request), `tok:<token>` (a
 * button's way back to it) and, once erased, `done:<token>`, the only one that stays, without the id.
 */
export function createErasureRequests(models: BotModels) {
  const c = models.ErasureRequest.collection;
  return {
    /** Records the request; `fresh: false` when it was asked already (the stored one is returned). */
    async ask(r: Omit<ErasureRequest, 'token'>): Promise<{ request: ErasureRequest; fresh: boolean }> {
      const token = randomBytes(9).toString('base64url');
      let fresh = true;
      try {
        await c.insertOne({ _id: `tg:${r.telegramId}` as never, ...r, token });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        fresh = false;
      }
      const stored = (await c.findOne({ _id: `tg:${r.telegramId}` as never })) as unknown as ErasureRequest;
      // Written again on a repeat too: a crash between the two inserts leaves no button pointing nowhere.
      await upsertWithRetry(() => c.updateOne({ _id: `tok:${stored.token}` as never }, { $set: { telegramId: r.telegramId } }, { upsert: true }));
      return { request: { telegramId: stored.telegramId, token: stored.token, communityIds: stored.communityIds, wishCodes: stored.wishCodes, requestedAt: stored.requestedAt }, fresh };
    },
    async byTelegramId(telegramId: number): Promise<ErasureRequest | null> {
      return (await c.findOne({ _id: `tg:${telegramId}` as never })) as unknown as ErasureRequest | null;
    },
    /** The request a button names; 'done' when it was erased already, null when there is none. */
    async byToken(token: string): Promise<ErasureRequest | 'done' | null> {
      if (await c.findOne({ _id: `done:${token}` as never })) return 'done';
      const tok = await c.findOne({ _id: `tok:${token}` as never });
      if (!tok) return null;
      return (await c.findOne({ _id: `tg:${tok.telegramId}` as never })) as unknown as ErasureRequest | null;
    },
    /** Marks it done (false if another got there first) and forgets whose it was. */
    async done(request: ErasureRequest, by: string, at: Date): Promise<boolean> {
      let first = true;
      try {
        await c.insertOne({ _id: `done:${request.token}` as never, communityIds: request.communityIds, wishCodes: request.wishCodes, erasedBy: by, at });
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
        first = false;
      }
      await c.deleteOne({ _id: `tok:${request.token}` as never });
      await c.deleteOne({ _id: `tg:${request.telegramId}` as never });
      return first;
    },
  };
}

export type ErasureRequests = ReturnType<typeof createErasureRequests>;
