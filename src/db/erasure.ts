import { eraseVolunteer } from './team-erasure';
import { erasureSource, ErasureSummary, intakeSource, ERASED_TEXT, repeatsSecret, scrubEvent } from '../domain/erasure';
import { donorIdOf } from '../domain/people';
import { isStaffFor } from '../domain/roles';
import { fold } from '../domain/wish/evolve';
import { Actor } from '../domain/wish/types';
import { createErasureRequests } from './erasure-requests';
import { fieldKeyring } from './field-crypto';
import { NotifyModels } from './notify-models';
import { DataDeps, describeResident, residentLinks } from './resident-data';
import { createHistoryRewriter } from './wish-store';

// Erasure of a resident (src/domain/erasure.ts says what it means). Wish events are append-only
// everywhere else; here, and only here, a wish's stored history is rewritten, each event in place
// under its own `_id`, with the person replaced by an anonymous placeholder (amounts and statuses
// stay, so the ledger still balances). Everything else of theirs is deleted. Erasure is rare: the
// scans below (declared in query-shapes.ts) are accepted for it. Running it twice is harmless.

export interface ErasureDeps extends DataDeps {
  notifyModels: NotifyModels;
}

type Doc = Record<string, unknown>;

/** Who erases a wish the confirming worker does not serve (the request's record names the worker). */
const ON_REQUEST: Actor = { kind: 'system', id: 'erasure' };

export function createErasure(deps: ErasureDeps) {
  const keys = () => (deps.keyring ?? fieldKeyring)();
  const history = createHistoryRewriter(deps.models);
  const { Person, WishResidents, BotSession, ChatTurn, ChatTurnPointer, InviteRedemption } = deps.botModels;
  const { Outbox, OutboxHistory, SendFence } = deps.notifyModels;
  const requests = createErasureRequests(deps.botModels);

  /** Their words and details as stored (opened), to find where the history and the outbox repeat them. */
  async function secretsOf(person: Doc | null, wishIds: string[], intakes: Doc[], actorId: string): Promise<string[]> {
    const k = keys();
    const found: string[] = [];
    const add = (v: unknown) => {
      if (v === undefined || v === null) return;
      const s = k.open(v).trim();
      if (s.length > 0) found.push(s);
    };
    if (person) {
      add(person.name);
      add(person.username);
      add((person.donor as Doc | undefined)?.displayName);
    }
    for (const intake of intakes) {
      add(intake.words);
      add(intake.residentFirstName);
    }
    for (const wishId of wishIds) {
      const wish = await deps.wishes.get(wishId).catch(() => null);
      if (wish) for (const f of ['name', 'contact', 'notes'] as const) add(wish.beneficiary[f]);
      for (const e of await deps.wishes.history(wishId).catch(() => [])) if (e.type === 'message' && e.actor.id === actorId) add(e.text);
    }
    return [...new Set(found)];
  }

  /** Rewrites one wish's history without the person; returns how many events changed. */
  async function scrubWish(wishId: string, target: Parameters<typeof scrubEvent>[1]): Promise<{ events: number; aboutThem: string[] }> {
    let events = 0;
    // Events whose messages may name or quote them: theirs, to them, their pledges and what befell those.
    const aboutThem: string[] = [];
    const theirPledges = new Set<string>();
    for await (const doc of history.rawEvents(wishId)) {
      const id = String(doc._id);
      if (doc.type === 'pledged' && doc.donorId === target.actorId) theirPledges.add(id);
      const about =
        (doc.actor as Doc | undefined)?.id === target.actorId ||
        (doc.to as Doc | undefined)?.id === target.actorId ||
        theirPledges.has(id) ||
        (typeof doc.pledgeId === 'string' && theirPledges.has(doc.pledgeId));
      if (about) aboutThem.push(id);
      const scrubbed = scrubEvent(doc, target);
      if (!scrubbed) continue;
      await history.replaceEvent(scrubbed);
      events++;
    }
    // The snapshot is a cache of the events: folded again from the rewritten ones.
    await history.refold(wishId, (e) => fold(e));
    return { events, aboutThem };
  }

  /**
   * Outbox items (pending and sent) to them are deleted, and so is a voice of theirs sent on to workers;
   * messages to others that quote them keep no text.
   */
  async function scrubOutbox(telegramId: number, sources: string[], secrets: string[]): Promise<number> {
    let changed = 0;
    for (const collection of [Outbox.collection, OutboxHistory.collection]) {
      const items = await collection.find({}, { projection: { _id: 1, chatId: 1, 'payload.type': 1, 'payload.message.text': 1, 'payload.caption.text': 1 } }).toArray();
      for (const item of items) {
        const id = String(item._id);
        const payload = (item.payload ?? {}) as { type?: string; message?: { text?: unknown }; caption?: { text?: unknown } };
        const text = payload.type === 'voice' ? payload.caption?.text : payload.message?.text;
        const about = sources.some((s) => id.startsWith(s)) || (typeof text === 'string' && repeatsSecret(text, secrets));
        if (Number(item.chatId) === telegramId || (payload.type === 'voice' && about)) {
          await collection.deleteOne({ _id: item._id });
          await SendFence.collection.deleteMany({ itemId: id });
          changed++;
          continue;
        }
        // Only a message has text of its own (a card item is rendered from the wish when sent).
        if (payload.type !== 'message' || typeof text !== 'string' || text === ERASED_TEXT || !about) continue;
        await collection.updateOne({ _id: item._id }, { $set: { 'payload.message.text': ERASED_TEXT } });
        changed++;
      }
    }
    return changed;
  }

  return {
    /**
     * Erases the person: first each of their wishes' current state (the wish command), then the
     * stored history, then every other record of them. `actor`: the worker or admin who confirmed.
     */
    async erase(telegramId: number, actor: Actor): Promise<ErasureSummary> {
      const actorId = donorIdOf(telegramId);
      const { person, wishIds, intakes } = await residentLinks(deps, telegramId);
      const secrets = await secretsOf(person, wishIds, intakes, actorId);
      // The wish command first: the current state loses the beneficiary's details and the relay redacts
      // the cards (an erasure run again finds it done and records nothing).
      // A resident of two communities asked once: a wish of the other community is erased by the service
      // on the confirmer's word (the request's record keeps who confirmed).
      for (const wishId of wishIds) {
        const wish = await deps.wishes.get(wishId).catch(() => null);
        if (!wish) continue;
        await deps.wishes.execute(wishId, { type: 'erase_resident', residentId: actorId }, isStaffFor(actor, wish.communityId) ? actor : ON_REQUEST);
      }

      // Wishes they gave to, or wrote about as a donor, keep their pledges under the placeholder.
      const gaveTo = (await deps.wishes.list({ donorId: actorId, limit: 1000 })).map((w) => w.id).filter((id) => !wishIds.includes(id));
      const summary: ErasureSummary = { wishes: wishIds, events: 0, intakes: 0, assessments: 0, outbox: 0, other: 0 };
      const sources: string[] = [];
      for (const wishId of [...wishIds, ...gaveTo]) {
        const { events, aboutThem } = await scrubWish(wishId, { actorId, beneficiary: wishIds.includes(wishId), secrets });
        summary.events += events;
        sources.push(...aboutThem.map((id) => `${id}|`));
      }
      // Their erasure request, sent to workers with their name.
      const asked = await requests.byTelegramId(telegramId);
      if (asked) sources.push(`${erasureSource(asked.token)}|`);
      for (const wishId of wishIds) {
        sources.push(`thanks:${wishId}:`); // their thank-you, relayed to donors and workers
        summary.assessments += (await deps.models.Assessment.collection.deleteOne({ _id: wishId as never })).deletedCount;
      }
      for (const intake of intakes) {
        sources.push(`${intakeSource(String(intake._id))}|`); // their words, sent on to workers
        summary.intakes += (await deps.models.Intake.collection.deleteOne({ _id: intake._id })).deletedCount;
      }
      summary.outbox = await scrubOutbox(telegramId, sources, secrets);

      for (const wishId of wishIds) await WishResidents.collection.updateOne({ _id: wishId as never }, { $pull: { telegramIds: telegramId } } as never);
      const other = [
        await BotSession.collection.deleteOne({ _id: `u:${telegramId}` as never }),
        await ChatTurn.collection.deleteMany({ key: `p:${telegramId}` }),
        await ChatTurnPointer.collection.deleteOne({ _id: `p:${telegramId}` as never }),
        await Person.collection.deleteOne({ _id: String(telegramId) as never }),
      ];
      summary.other = other.reduce((n, r) => n + r.deletedCount, 0);
      summary.other += (await InviteRedemption.collection.updateMany({ telegramId }, { $unset: { telegramId: '' } })).modifiedCount;
      summary.other += await eraseVolunteer(deps.models, telegramId);
      return summary;
    },
  };
}

export type Erasure = ReturnType<typeof createErasure>;

/** What the bot (and the API) use: what is stored about a person, their links, requests and the erasure. */
export function createTheirData(deps: ErasureDeps) {
  const erasure = createErasure(deps);
  return {
    erase: erasure.erase,
    describe: (telegramId: number) => describeResident(deps, telegramId),
    requests: createErasureRequests(deps.botModels),
    /** The wishes they are linked to and their intakes' communities: who must confirm an erasure. */
    async links(telegramId: number): Promise<{ wishCodes: string[]; communityIds: string[]; intakes: number }> {
      const { wishIds, intakes } = await residentLinks(deps, telegramId);
      const communities = new Set(intakes.map((i) => String(i.communityId)));
      for (const wishId of wishIds) {
        const wish = await deps.wishes.get(wishId).catch(() => null);
        if (wish) communities.add(wish.communityId);
      }
      return { wishCodes: wishIds, communityIds: [...communities], intakes: intakes.length };
    },
  };
}

export type TheirData = ReturnType<typeof createTheirData>;
