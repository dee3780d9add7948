import { Collection } from 'mongodb';
import { ERASED_TEXT } from '../domain/erasure';
import { randomCode } from '../domain/ids';
import { Models } from './models';

/**
 * An erased person's traces as a volunteer and in the directory. Memberships and their own steps at
 * slots go; a place they held stays taken (as "(erased)"), and hours the lead confirmed stay in the
 * team's total under "(erased)", re-keyed so no id names them. A team they led keeps going without a
 * lead (its workers confirm); an entry they offered is retired without its name, contact or account;
 * goods they gave stay in the ledger from "(erased)"; what they took from a surplus offer stays counted.
 */
export async function eraseVolunteer(models: Pick<Models, 'Team' | 'TeamMember' | 'SlotRecord' | 'Resource' | 'Invitation' | 'StockEvent' | 'StockItem' | 'SurplusTake'>, telegramId: number): Promise<number> {
  const c = (m: { collection: unknown }) => m.collection as Collection;
  let changed = (await c(models.TeamMember).deleteMany({ telegramId })).deletedCount;
  const records = c(models.SlotRecord);
  for (const r of await records.find({ telegramId }).toArray()) {
    const { _id, ...rest } = r as unknown as { _id: string; kind: string; slotId: string };
    if (rest.kind === 'place') {
      await records.updateOne({ _id: _id as never }, { $set: { telegramId: 0, name: ERASED_TEXT } });
    } else {
      if (rest.kind === 'confirm') await records.insertOne({ ...rest, _id: `${rest.slotId}:confirm:erased-${randomCode(8)}`, telegramId: 0, name: ERASED_TEXT } as never);
      await records.deleteOne({ _id: _id as never });
    }
    changed += 1;
  }
  changed += (await c(models.Team).updateMany({ leadTelegramId: telegramId }, { $set: { leadTelegramId: 0, leadName: ERASED_TEXT } })).modifiedCount;
  const resources = c(models.Resource);
  for (const r of await resources.find({ telegramId }).toArray()) {
    const person = (r as { kind?: string }).kind === 'person';
    await resources.updateOne({ _id: r._id }, { $set: { state: 'retired', ...(person ? { name: ERASED_TEXT } : {}) }, $unset: { telegramId: '', contact: '' } });
    changed += 1;
  }
  changed += (await c(models.Invitation).updateMany({ telegramId }, { $set: { telegramId: 0 } })).modifiedCount;
  // Goods they gave: the gift stays in the ledger, from "(erased)"; each item's cached state is
  // dropped so the next read folds the rewritten events again.
  const donorId = `tg:${telegramId}`;
  const events = c(models.StockEvent);
  const gave = await events.find({ 'from.donorId': donorId }).toArray();
  for (const e of gave) {
    await events.updateOne({ _id: e._id }, { $set: { 'from.name': ERASED_TEXT }, $unset: { 'from.donorId': '' } });
    await c(models.StockItem).deleteOne({ _id: e.itemId });
    changed += 1;
  }
  // What they took from surplus offers: counted, no longer theirs.
  const takes = c(models.SurplusTake);
  for (const t of await takes.find({ telegramId }).toArray()) {
    if (String(t._id).includes(`:person:${telegramId}:`)) await takes.deleteOne({ _id: t._id });
    else await takes.updateOne({ _id: t._id }, { $set: { telegramId: 0, name: ERASED_TEXT } });
    changed += 1;
  }
  return changed;
}
