import { Language } from '../domain/community';
import { InlineKeyboard, NewOutboxItem } from '../domain/outbox';
import { donorIdOf, telegramIdOfDonor } from '../domain/people';
import { Pledge, WishEvent, WishState } from '../domain/wish/types';
import { isLive } from '../domain/wish/views';
import { isRedacted } from '../domain/wish/consent';
import { callbackData } from '../ui/callbacks';
import { amountOf, donorLabel, escapeHtml, listOf, upperFirst } from '../ui/format';
import { Params, t } from '../ui/i18n';
import { createMessageKit, deadlineOf, donorKeyboard, html, RelayDeps, sources, wishParams } from './messages';
import { createRequestedMessages } from './requested';
import { createScheduledMessages } from './scheduled';

export type { RelayDeps } from './messages';

/** The resident's three answers under a preview of their card. */
function consentKeyboard(wishId: string, askedSeq: number, lang: Language): InlineKeyboard {
  return [
    [{ text: t(lang, 'consent.button.publish'), callback_data: callbackData.consentAnswer(wishId, askedSeq, 'g') }],
    [{ text: t(lang, 'consent.button.changes'), callback_data: callbackData.consentAnswer(wishId, askedSeq, 'c') }],
    [{ text: t(lang, 'consent.button.private'), callback_data: callbackData.consentAnswer(wishId, askedSeq, 'p') }],
  ];
}

/** A lookup made the first time it is needed, and only then. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => (value ??= load());
}

/**
 * Everything the outbox carries is made here: the messages each wish event owes (`messagesFor`),
 * the ones the jobs send on a schedule (`scheduled`) and the ones people ask for (`requested`:
 * cards for a newly linked group, a resident's thank-you, next steps a donor missed). Keys name
 * what owes each message, so relaying anything twice is harmless.
 */
export function createRelay(deps: RelayDeps) {
  const kit = createMessageKit(deps);

  /**
   * The messages one committed wish event owes: card refreshes in every linked group, next steps
   * to the donor, news to the resident and the worker, a thank-you to the groups.
   */
  async function messagesFor(event: WishEvent, state: WishState): Promise<NewOutboxItem[]> {
    const items: NewOutboxItem[] = [];
    const source = sources.event(event.id);
    const groups = state.lifecycle === 'draft' ? [] : await deps.groups.ofCommunity(state.communityId);
    const params = wishParams(state);
    // Looked up only for events that speak to them: most events (a pledge on a cash card) do not.
    const residents = once(() => deps.people.residentsOf(state.id));
    const workers = once(() => kit.workersOf(state));
    const pledge = 'pledgeId' in event ? state.pledges.find((p) => p.id === event.pledgeId) : undefined;
    const service = state.category === 'service';
    const cash = state.category === 'cash';
    const amount = (n: number, lang: Language) => escapeHtml(amountOf(state, n, lang, deps.currency));
    /**
     * What a message about one pledge says of it: who (never an anonymous donor's name, not even to
     * the worker), `Donor` for the start of a sentence, and how much.
     */
    const about = (p: Pledge, lang: Language): Params => {
      const who = donorLabel(p, lang);
      return { ...params, donor: who, Donor: p.anonymous || !p.displayName ? upperFirst(who) : who, amount: amount(p.amount, lang), cash: cash ? 1 : '' };
    };
    /** What a pledge means for the wish now: how much is covered, what is still needed. */
    const coverage = (lang: Language): Params => ({
      pledged: amount(state.pledged, lang),
      target: amount(state.target, lang),
      remaining: amount(Math.max(0, state.target - state.pledged), lang),
      full: state.pledged >= state.target ? 1 : '',
    });

    const toResidents = async (kind: string, build: (lang: Language) => ReturnType<typeof html>) => {
      for (const r of await residents()) items.push(await kit.personal(r.telegramId, source, kind, build));
    };
    const toWorkers = async (kind: string, build: (lang: Language) => ReturnType<typeof html>) => {
      // The worker who did it themselves needs no news of it.
      for (const w of await workers()) if (event.actor.id !== donorIdOf(w)) items.push(await kit.personal(w, source, kind, build));
    };
    const toDonor = async (donorId: string, kind: string, build: (lang: Language) => ReturnType<typeof html>) => {
      const telegramId = telegramIdOfDonor(donorId);
      if (telegramId !== undefined) items.push(await kit.personal(telegramId, source, kind, build));
    };
    const confirmButton = (pledgeId: string, lang: Language, key: 'worker.button.confirm' | 'resident.button.received' | 'resident.button.visited'): InlineKeyboard => [
      [{ text: t(lang, key), callback_data: callbackData.confirm(pledgeId) }],
    ];

    // A message changes nothing on the card.
    if (event.type !== 'created' && event.type !== 'message' && state.lifecycle !== 'draft') {
      for (const g of groups) items.push(kit.card(g.chatId, source, state.id));
    }

    switch (event.type) {
      case 'pledged': {
        const p = state.pledges.find((x) => x.id === event.id)!;
        items.push(...(await nextSteps(state, p, source)));
        // Every pledge is news for the resident: who, how much, and how much is now covered.
        const key = cash ? 'resident.pledged' : service ? 'resident.serviceClaimed' : 'resident.claimed';
        await toResidents('resident_pledged', (lang) => html(lang, key, { ...about(p, lang), ...coverage(lang) }));
        break;
      }
      case 'delivered': {
        if (!pledge) break;
        // The one question per delivery: it names the donor and the amount, under that pledge's button.
        await toResidents(service ? 'resident_visited' : 'resident_delivered', (lang) =>
          html(lang, service ? 'resident.visited' : 'resident.delivered', about(pledge, lang), confirmButton(event.pledgeId, lang, service ? 'resident.button.visited' : 'resident.button.received')),
        );
        // The confirm button goes to workers who may press it: never the donor of that pledge.
        for (const w of await kit.confirmersOf(state, pledge.donorId)) {
          items.push(
            await kit.personal(w, source, 'worker_delivered', (lang) =>
              html(lang, service ? 'worker.visited' : 'worker.delivered', about(pledge, lang), confirmButton(event.pledgeId, lang, 'worker.button.confirm')),
            ),
          );
        }
        break;
      }
      case 'withdrawn':
        if (!pledge) break;
        await toWorkers('worker_withdrawn', (lang) => html(lang, 'worker.withdrawn', about(pledge, lang)));
        await toResidents('resident_reopened', (lang) => html(lang, 'resident.reopened', about(pledge, lang)));
        break;
      case 'confirmed': {
        const fulfilled = state.lifecycle === 'fulfilled';
        if (event.actor.kind === 'resident' && pledge) {
          await toWorkers('worker_confirmed', (lang) => html(lang, 'worker.confirmed', { ...about(pledge, lang), fulfilled: fulfilled ? 1 : '' }));
        }
        // Confirmed for the resident by staff: the resident's question is answered; the fulfilment message below says it all.
        if (event.actor.kind !== 'resident' && pledge && !fulfilled) {
          await toResidents('resident_confirmed', (lang) => html(lang, 'resident.confirmedForYou', about(pledge, lang)));
        }
        if (!fulfilled) break;
        const helped = state.pledges.filter((p) => p.status === 'confirmed');
        await toResidents('resident_fulfilled', (lang) =>
          html(
            lang,
            'resident.fulfilled',
            { ...params, amount: amount(helped.reduce((sum, p) => sum + p.amount, 0), lang), donors: listOf([...new Set(helped.map((p) => donorLabel(p, lang)))], lang) },
            [[{ text: t(lang, 'resident.button.thanks'), callback_data: callbackData.thanks(state.id) }]],
          ),
        );
        for (const p of state.pledges.filter((x) => x.status === 'confirmed')) {
          // Growing the pool: someone who helped and is not in the directory yet is asked whether to be asked again.
          const telegramId = telegramIdOfDonor(p.donorId);
          const invite = deps.inDirectory && telegramId !== undefined && !(await deps.inDirectory(state.communityId, telegramId));
          await toDonor(p.donorId, 'donor_fulfilled', (lang) =>
            invite
              ? html(lang, 'donor.fulfilledOfferAgain', params, [[{ text: t(lang, 'donor.button.offerAgain'), callback_data: `of:again:${state.communityId}`.slice(0, 64) }]])
              : html(lang, 'donor.fulfilled', params),
          );
        }
        const names = [...new Set(state.pledges.filter((p) => p.status === 'confirmed' && !p.anonymous && p.displayName).map((p) => escapeHtml(p.displayName!)))];
        // A wish the groups may not see in full is not thanked for in them either.
        for (const g of isRedacted(state) ? [] : groups) {
          items.push(kit.toGroup(g, source, 'thanks', (lang) => html(lang, names.length > 0 ? 'group.thanks' : 'group.thanksAnonymous', { ...params, donors: names.join(lang === 'zh' ? '、' : ', ') })));
        }
        break;
      }
      case 'edited': {
        if (!event.changes.deadline) break;
        for (const p of state.pledges.filter((x) => x.status === 'active')) {
          await toDonor(p.donorId, 'donor_edited', (lang) => html(lang, 'donor.wishEdited', { ...params, deadline: deadlineOf(state, lang, deps.timeZone) }));
        }
        break;
      }
      case 'cancelled':
      case 'expired': {
        const key = event.type === 'cancelled' ? 'donor.wishCancelled' : 'donor.wishExpired';
        // A delivery waiting for confirmation is not closed by expiry: that donor hears when it is confirmed.
        const owed = state.pledges.filter((x) => (event.type === 'cancelled' ? isLive(x) && x.status !== 'confirmed' : x.status === 'active'));
        for (const p of owed) await toDonor(p.donorId, `donor_${event.type}`, (lang) => html(lang, key, params));
        await toResidents(`resident_${event.type}`, (lang) => html(lang, event.type === 'cancelled' ? 'resident.cancelled' : 'resident.expired', params));
        break;
      }
      case 'released': {
        if (!pledge) break;
        await toDonor(pledge.donorId, 'donor_released', (lang) => html(lang, 'donor.released', params));
        await toWorkers('worker_released', (lang) => html(lang, 'worker.released', about(pledge, lang)));
        await toResidents('resident_reopened', (lang) => html(lang, 'resident.reopened', about(pledge, lang)));
        break;
      }
      case 'message':
        items.push(...(await conversation(event, state, source)));
        break;
      case 'consent_asked':
        await toResidents('consent_preview', (lang) => html(lang, state.lifecycle === 'draft' ? 'consent.preview' : 'consent.previewShown', { ...params, card: event.card }, consentKeyboard(state.id, event.seq, lang)));
        break;
      case 'resident_linked':
        // Linked to a wish already shown: they see how, and may stop it (a draft is shown to them by consent_asked).
        if (state.lifecycle === 'published' && !isRedacted(state)) {
          await toResidents('consent_shown', (lang) => html(lang, 'consent.alreadyShown', params, [[{ text: t(lang, 'privacy.button.stopShowing'), callback_data: callbackData.privacy(state.id, 'publish', 'w') }]]));
        }
        break;
      case 'consent':
        items.push(...(await consentNews(event, state, source, toResidents, toWorkers)));
        break;
      default:
        break;
    }
    return items;
  }

  /**
   * A relayed message: from a resident or donor to the wish's workers (marked with the wish, the
   * resident's alias or the donor's public name, and the event's id a reply is matched by), or a
   * worker's answer to the one they answer. Nobody's Telegram name, username or id is in it.
   */
  async function conversation(event: Extract<WishEvent, { type: 'message' }>, state: WishState, source: string): Promise<NewOutboxItem[]> {
    const params = { ...wishParams(state), text: escapeHtml(event.text) };
    if (event.from === 'worker') {
      const to = event.to ? telegramIdOfDonor(event.to.id) : undefined;
      if (to === undefined) return [];
      const donor = event.to!.kind === 'donor';
      const name = escapeHtml(event.fromName ?? '');
      return [await kit.personal(to, source, 'conversation_answer', (lang) => html(lang, donor ? 'conversation.toDonor' : 'conversation.toResident', { ...params, name }))];
    }
    const pledge = event.pledgeId !== undefined ? state.pledges.find((p) => p.id === event.pledgeId) : undefined;
    const items: NewOutboxItem[] = [];
    for (const w of await kit.workersOf(state)) {
      items.push(
        await kit.personal(w, source, 'conversation', (lang) =>
          event.from === 'donor'
            ? html(lang, 'conversation.toWorker.donor', {
                ...params,
                ref: event.id,
                donor: pledge && !pledge.anonymous && pledge.displayName ? escapeHtml(pledge.displayName) : t(lang, 'conversation.anonymousDonor'),
              })
            : html(lang, 'conversation.toWorker.resident', { ...params, ref: event.id, alias: escapeHtml(state.beneficiary.alias) }),
        ),
      );
    }
    return items;
  }

  /**
   * A consent answer: the resident's reaches the worker (with what to do next), and a worker's record
   * of what the resident said in person reaches the resident, who hears every step.
   */
  async function consentNews(
    event: Extract<WishEvent, { type: 'consent' }>,
    state: WishState,
    _source: string,
    toResidents: (kind: string, build: (lang: Language) => ReturnType<typeof html>) => Promise<void>,
    toWorkers: (kind: string, build: (lang: Language) => ReturnType<typeof html>) => Promise<void>,
  ): Promise<NewOutboxItem[]> {
    const params = { ...wishParams(state), alias: escapeHtml(state.beneficiary.alias) };
    const what = (lang: Language) => ({ ...params, purpose: t(lang, `consent.purpose.${event.purpose}`), answer: t(lang, `consent.answer.${event.answer}`) });
    if (event.via === 'resident') {
      const key = event.purpose === 'publish' && event.answer !== 'withdrawn' ? (`consent.toWorker.${event.answer}` as const) : 'consent.toWorker.other';
      await toWorkers('consent_answer', (lang) => html(lang, key, what(lang)));
    } else {
      await toResidents('consent_recorded', (lang) => html(lang, 'consent.recordedInPerson', what(lang)));
    }
    return [];
  }

  /** The donor's next steps for a pledge, with the profile invitation if they have not chosen how to appear. */
  async function nextSteps(state: WishState, pledge: WishState['pledges'][number], source: string, kind = 'next_steps'): Promise<NewOutboxItem[]> {
    const telegramId = telegramIdOfDonor(pledge.donorId);
    if (telegramId === undefined) return [];
    const key = state.category === 'cash' ? 'donor.nextSteps.pledge' : state.category === 'service' ? 'donor.nextSteps.service' : 'donor.nextSteps.claim';
    const item = await kit.personal(telegramId, source, kind, (lang, person) => {
      let text = t(lang, key, { ...wishParams(state), amount: escapeHtml(amountOf(state, pledge.amount, lang, deps.currency)), deadline: deadlineOf(state, lang, deps.timeZone) });
      // Only with the resident's own yes to sharing it does the donor who took the wish get their contact.
      const contact = state.consents?.contact?.answer === 'given' ? state.beneficiary.contact : undefined;
      if (contact) text += `\n\n${t(lang, 'donor.residentContact', { contact: escapeHtml(contact) })}`;
      if (person && !person.donor) text += `\n\n${t(lang, 'donor.profileInvite')}`;
      return { text, parseMode: 'HTML', keyboard: donorKeyboard(pledge, state, lang) };
    });
    return [item];
  }

  return {
    messagesFor,
    scheduled: createScheduledMessages(kit, deps),
    requested: createRequestedMessages(kit, deps, nextSteps),
  };
}

export type Relay = ReturnType<typeof createRelay>;
