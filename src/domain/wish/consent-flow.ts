import { Clock } from '../clock';
import { ForbiddenError } from '../errors';
import { PersonStore } from '../people';
import { isLinkedResident } from '../roles';
import { CommandResult, WishService } from './service';
import { Actor, ConsentAnswer, ConsentPurpose, WishChanges, WishState } from './types';

/** The bot acting on a resident's own word: linking them when they follow their link, publishing on their yes. */
export const CONSENT_SYSTEM: Actor = { kind: 'system', id: 'consent' };

export interface ConsentFlowDeps {
  wishes: WishService;
  people: Pick<PersonStore, 'addResidentWish'>;
  clock: Clock;
  /** The card exactly as the community's groups would see it (their language), as HTML text. */
  previewCard(state: WishState): Promise<string>;
}

export type ConsentFlow = ReturnType<typeof createConsentFlow>;

/**
 * The steps around a resident's consent that take more than one command: linking them (and showing
 * them their draft at once), asking, and publishing on their answer. The rules themselves are in
 * consent.ts and decide.ts; every transport comes here.
 */
export function createConsentFlow(deps: ConsentFlowDeps) {
  const { wishes } = deps;

  /** Show the linked resident the card as it would be published, and ask. */
  async function ask(wishId: string, actor: Actor): Promise<CommandResult> {
    const state = await wishes.get(wishId);
    return wishes.execute(wishId, { type: 'ask_consent', card: await deps.previewCard(state) }, actor);
  }

  /**
   * A resident follows their link (or a worker links them from an intake): they are recorded on the
   * wish, and a draft is shown to them at once, so they decide before anyone else sees it.
   */
  async function link(wishId: string, telegramId: number, actor: Actor = CONSENT_SYSTEM): Promise<WishState> {
    await deps.people.addResidentWish(telegramId, wishId, deps.clock());
    let { state } = await wishes.execute(wishId, { type: 'link_resident', residentId: `tg:${telegramId}` }, actor);
    if (state.lifecycle === 'draft') state = (await ask(wishId, CONSENT_SYSTEM)).state;
    return state;
  }

  /**
   * The resident's press on the preview: recorded, then on "Publish as shown" or "Keep it private" the
   * draft is published (privately: no group sees it) on their word.
   */
  async function answer(wishId: string, resident: Actor, answer: Extract<ConsentAnswer, 'given' | 'changes' | 'private'>, askedSeq: number): Promise<CommandResult> {
    if (!isLinkedResident(resident, wishId)) throw new ForbiddenError('forbidden', 'Only the resident of this wish may answer');
    const result = await wishes.execute(wishId, { type: 'consent', purpose: 'publish', answer, via: 'resident', askedSeq }, resident);
    if (answer === 'changes' || result.state.lifecycle !== 'draft') return result;
    return wishes.execute(wishId, { type: 'publish' }, CONSENT_SYSTEM);
  }

  /** A worker records what the resident said face to face, with a note; `publish` publishes straight after a yes. */
  async function recordInPerson(wishId: string, actor: Actor, body: { purpose: ConsentPurpose; answer: 'given' | 'withdrawn' | 'private'; note: string; publish?: boolean }): Promise<CommandResult> {
    const result = await wishes.execute(wishId, { type: 'consent', purpose: body.purpose, answer: body.answer, via: 'in_person', note: body.note }, actor);
    if (!body.publish || body.purpose !== 'publish' || body.answer === 'withdrawn' || result.state.lifecycle !== 'draft') return result;
    return wishes.execute(wishId, { type: 'publish' }, actor);
  }

  /** An edit; a draft its resident follows is shown to them again, as edited, to decide on. */
  async function edit(wishId: string, changes: WishChanges, actor: Actor): Promise<CommandResult> {
    const result = await wishes.edit(wishId, changes, actor);
    if (!result.event || result.state.lifecycle !== 'draft' || (result.state.residents ?? []).length === 0) return result;
    return ask(wishId, CONSENT_SYSTEM);
  }

  /** The resident takes back a purpose they agreed to. */
  function withdraw(wishId: string, resident: Actor, purpose: ConsentPurpose): Promise<CommandResult> {
    return wishes.execute(wishId, { type: 'consent', purpose, answer: 'withdrawn', via: 'resident' }, resident);
  }

  /** The resident agrees to a purpose other than publishing (sharing their contact, photos) from /privacy. */
  function give(wishId: string, resident: Actor, purpose: Exclude<ConsentPurpose, 'publish'>): Promise<CommandResult> {
    return wishes.execute(wishId, { type: 'consent', purpose, answer: 'given', via: 'resident' }, resident);
  }

  return { ask, link, answer, recordInPerson, edit, withdraw, give };
}
