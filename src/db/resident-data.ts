import { ResidentData } from '../domain/erasure';
import { Language } from '../domain/community';
import { donorIdOf } from '../domain/people';
import { WishService } from '../domain/wish/service';
import { ConsentPurpose } from '../domain/wish/types';
import { BotModels } from './bot-models';
import { FieldKeyring, fieldKeyring } from './field-crypto';
import { Models } from './models';

export interface DataDeps {
  models: Models;
  botModels: BotModels;
  wishes: Pick<WishService, 'execute' | 'get' | 'history' | 'list'>;
  keyring?: () => FieldKeyring;
}

/** The wishes a person is the linked resident of, and their intakes: what says which community must confirm. */
export async function residentLinks(deps: Pick<DataDeps, 'models' | 'botModels'>, telegramId: number) {
  const person = await deps.botModels.Person.collection.findOne({ _id: String(telegramId) as never });
  const listed = await deps.botModels.WishResidents.collection.find({ telegramIds: telegramId }, { projection: { _id: 1 } }).toArray();
  const wishIds = [...new Set([...((person?.residentOf as string[] | undefined) ?? []), ...listed.map((d) => String(d._id))])];
  const intakes = await deps.models.Intake.collection.find({ residentTelegramId: telegramId }).toArray();
  return { person, wishIds, intakes };
}


/** Everything stored about a person, read from the stores, for /mydata: their own data, private fields opened. */
export async function describeResident(deps: DataDeps, telegramId: number): Promise<ResidentData> {
  const k = (deps.keyring ?? fieldKeyring)();
  const actorId = donorIdOf(telegramId);
  const { person, wishIds, intakes } = await residentLinks(deps, telegramId);
  const data: ResidentData = { telegramId, wishes: [], intakes: [], messages: [], pledges: [], assessments: 0 };
  if (person) {
    const donor = person.donor as { displayName?: string } | undefined;
    data.profile = {
      name: String(person.name ?? ''),
      ...(person.username ? { username: String(person.username) } : {}),
      ...(person.language ? { language: person.language as Language } : {}),
      ...(donor?.displayName ? { donorName: donor.displayName } : {}),
    };
  }
  for (const wishId of wishIds) {
    const wish = await deps.wishes.get(wishId).catch(() => null);
    if (!wish) continue;
    const { alias, name, contact, notes } = wish.beneficiary;
    const consents = Object.entries(wish.consents ?? {}).map(([purpose, c]) => ({ purpose: purpose as ConsentPurpose, answer: c!.answer }));
    data.wishes.push({ code: wish.code, title: wish.title, status: wish.status, alias, consents, ...(name ? { name } : {}), ...(contact ? { contact } : {}), ...(notes ? { notes } : {}) });
    if (await deps.models.Assessment.collection.findOne({ _id: wishId as never }, { projection: { _id: 1 } })) data.assessments++;
  }
  for (const intake of intakes) {
    data.intakes.push({
      at: new Date(intake.createdAt as Date),
      ...(intake.words !== undefined && intake.words !== null ? { words: k.open(intake.words) } : {}),
      voice: Boolean(intake.voiceFileId),
      status: String(intake.status),
    });
  }
  const gave = await deps.wishes.list({ donorId: actorId, limit: 200 });
  for (const wish of gave) {
    for (const p of wish.pledges.filter((x) => x.donorId === actorId)) data.pledges.push({ code: wish.code, category: wish.category, ...(wish.unit ? { unit: wish.unit } : {}), amount: p.amount, status: p.status, at: p.pledgedAt });
  }
  for (const wishId of new Set([...wishIds, ...gave.map((w) => w.id)])) {
    for (const e of await deps.wishes.history(wishId).catch(() => [])) {
      if (e.type === 'message' && e.actor.id === actorId) data.messages.push({ at: e.at, code: wishId });
    }
  }
  // As a volunteer and in the directory.
  const teams = new Map<string, { name: string; lead: boolean; slots: number; minutes: number }>();
  for (const m of await deps.models.TeamMember.collection.find({ telegramId }).toArray()) {
    const team = await deps.models.Team.collection.findOne({ _id: String(m.teamId) as never });
    if (team) teams.set(String(team._id), { name: String(team.name), lead: team.leadTelegramId === telegramId, slots: 0, minutes: 0 });
  }
  for (const r of await deps.models.SlotRecord.collection.find({ telegramId }).toArray()) {
    const row = teams.get(String(r.teamId));
    if (!row) continue;
    if (r.kind === 'place') row.slots += 1;
    if (r.kind === 'confirm') row.minutes += Number(r.minutes ?? 0);
  }
  if (teams.size > 0) data.teams = [...teams.values()];
  const offers = await deps.models.Resource.collection.find({ telegramId }).toArray();
  if (offers.length > 0) data.offers = offers.map((o) => ({ name: String(o.name), state: String(o.state) }));
  return data;
}
