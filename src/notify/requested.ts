import { Intake } from '../domain/intake';
import { Invitation, InvitationReply } from '../domain/resources/invitations';
import { Resource } from '../domain/resources/types';
import { renderCard } from '../ui/card';
import { InlineKeyboard, NewOutboxItem, outboxId } from '../domain/outbox';
import { canMessage, telegramIdOfDonor } from '../domain/people';
import { Pledge, WishState } from '../domain/wish/types';
import { callbackData } from '../ui/callbacks';
import { escapeHtml } from '../ui/format';
import { t } from '../ui/i18n';
import { html, MessageKit, RelayDeps, sources, wishParams } from './messages';

type NextSteps = (state: WishState, pledge: Pledge, source: string, kind?: string) => Promise<NewOutboxItem[]>;

/** Messages people ask for through the bot, made here so that every outbox key has one home. */
export function createRequestedMessages(kit: MessageKit, deps: RelayDeps, nextSteps: NextSteps) {
  return {
    /**
     * The cards of these wishes in one group: when the group is linked, or when the bot is added
     * back (then `repost`: the old card messages may be gone, so new ones are posted).
     */
    cards(chatId: number, wishes: WishState[], occasion: string, repost = false): NewOutboxItem[] {
      return wishes.map((w) => kit.card(chatId, sources.cards(w.id, occasion), w.id, repost));
    },

    /** A resident's thank-you, to every donor whose help was confirmed and to the wish's workers. */
    async residentThanks(wish: WishState, text: string, occasion: string): Promise<NewOutboxItem[]> {
      const source = sources.residentThanks(wish.id, occasion);
      const params = { ...wishParams(wish), text: escapeHtml(text) };
      const donors = [...new Set(wish.pledges.filter((p) => p.status === 'confirmed').map((p) => telegramIdOfDonor(p.donorId)))].filter((x): x is number => x !== undefined);
      const items: NewOutboxItem[] = [];
      for (const d of donors) items.push(await kit.personal(d, source, 'thanks_relay', (lang) => html(lang, 'donor.thankYouRelay', params)));
      for (const w of await kit.workersOf(wish)) items.push(await kit.personal(w, source, 'worker_thanks', (lang) => html(lang, 'worker.thanks', params)));
      return items;
    },

    /**
     * A resident's request to erase their data, to every worker of the communities of their wishes and
     * intakes, with the button that confirms it (naming the request, not the person). Erasure blanks
     * these messages' text afterwards (they hold the resident's name).
     */
    async erasureRequested(request: { token: string; communityIds: string[]; wishCodes: string[] }, name: string): Promise<NewOutboxItem[]> {
      const source = sources.erasure(request.token);
      const workers = new Set<number>();
      for (const communityId of request.communityIds) for (const w of await deps.people.workersOf(communityId)) workers.add(w.telegramId);
      // A community without workers still has someone to confirm: the admins.
      if (workers.size === 0) for (const a of deps.adminIds ?? []) workers.add(a);
      const items: NewOutboxItem[] = [];
      for (const w of workers) {
        items.push(
          await kit.personal(w, source, 'erasure_request', (lang) =>
            html(lang, 'erase.toWorker', { name: escapeHtml(name), codes: request.wishCodes.length > 0 ? request.wishCodes.join(', ') : t(lang, 'erase.noWishes') }, [
              [{ text: t(lang, 'erase.button.confirm'), callback_data: callbackData.confirmErasure(request.token) }],
            ]),
          ),
        );
      }
      return items;
    },

    /**
     * A new intake, to each of its community's workers the bot may write to, with "Make a draft wish"
     * under it; a voice message goes as the voice itself with that text as its caption. One item per
     * worker, keyed by the intake: asking twice (a redelivered update) sends nothing twice.
     */
    async intake(intake: Intake, communityName: string): Promise<NewOutboxItem[]> {
      const source = sources.intake(intake.id);
      const items: NewOutboxItem[] = [];
      for (const worker of await deps.people.workersOf(intake.communityId)) {
        if (!canMessage(worker)) continue;
        const item = await kit.personal(worker.telegramId, source, 'intake', (lang) => {
          const params = {
            community: escapeHtml(communityName),
            name: escapeHtml(intake.residentFirstName ?? t(lang, 'intake.aResident')),
            words: intake.words ? escapeHtml(intake.words) : t(lang, 'intake.voice'),
            byWhen: t(lang, `intake.choice.${intake.byWhen}`),
            urgency: t(lang, `intake.choice.${intake.urgency}`),
            contact: intake.mayContact ? t(lang, `intake.choice.${intake.contactHow ?? 'telegram'}`) : t(lang, 'intake.noContact'),
          };
          const by = intake.recordedBy === 'resident' ? '' : `\n${t(lang, 'intake.onBehalf', { name: escapeHtml(intake.recordedBy.name ?? '') })}`;
          const keyboard: InlineKeyboard = [[{ text: t(lang, 'intake.makeDraft'), callback_data: `ikd:${intake.id}` }]];
          return { ...html(lang, 'intake.toWorker', params, keyboard), text: t(lang, 'intake.toWorker', params) + by };
        });
        if (item.payload.type === 'message' && intake.voiceFileId) {
          items.push({ ...item, id: outboxId(source, worker.telegramId, 'intake_voice'), kind: 'intake_voice', payload: { type: 'voice', fileId: intake.voiceFileId, caption: item.payload.message } });
        } else items.push(item);
      }
      return items;
    },

    /**
     * A quiet invitation: the wish's card (whole, as an invited donor sees it) in the resource's own
     * chat, with Can / Can't / Not now. Once per resource and wish.
     */
    async invitation(wish: WishState, invitation: Pick<Invitation, 'id' | 'resourceId' | 'telegramId'>, resourceName: string): Promise<NewOutboxItem> {
      return kit.personal(invitation.telegramId, `invite:${invitation.id}`, 'invitation', (lang) => {
        const card = renderCard(wish, kit.locale(lang), { invited: true });
        const keyboard: InlineKeyboard = [
          [
            { text: t(lang, 'invitation.button.can'), callback_data: callbackData.invitation(wish.id, invitation.resourceId, 'c') },
            { text: t(lang, 'invitation.button.cant'), callback_data: callbackData.invitation(wish.id, invitation.resourceId, 'n') },
            { text: t(lang, 'invitation.button.notNow'), callback_data: callbackData.invitation(wish.id, invitation.resourceId, 'l') },
          ],
        ];
        return { text: `${t(lang, 'invitation.intro', { name: escapeHtml(resourceName) })}\n\n${card.text}`, parseMode: 'HTML', keyboard };
      });
    },

    /** A directory entry offered through /offer: each worker of its community, with one button to approve it. */
    async resourceOffered(resource: Resource): Promise<NewOutboxItem[]> {
      const items: NewOutboxItem[] = [];
      for (const worker of await deps.people.workersOf(resource.communityId)) {
        if (!canMessage(worker)) continue;
        items.push(
          await kit.personal(worker.telegramId, `offer:${resource.id}`, 'resource_offered', (lang) =>
            html(
              lang,
              'offer.toWorker',
              { name: escapeHtml(resource.name), what: [...resource.offer.categories, ...resource.offer.skills].map((o) => t(lang, `offer.what.${o}` as never)).join(', ') },
              [[{ text: t(lang, 'offer.approve'), callback_data: `of:ok:${resource.id}` }]],
            ),
          ),
        );
      }
      return items;
    },

    /** The one who offered hears that the community took them into its directory. */
    async resourceApproved(resource: Resource): Promise<NewOutboxItem[]> {
      if (resource.telegramId === undefined) return [];
      return [await kit.personal(resource.telegramId, `offer-approved:${resource.id}`, 'resource_approved', (lang) => html(lang, 'offer.approvedToOfferer', { name: escapeHtml(resource.name) }))];
    },

    /** The worker hears each invited resource's answer (and whether a Can took the wish). */
    async invitationAnswered(wish: WishState, reply: Pick<InvitationReply, 'id' | 'answer' | 'outcome'>, resourceName: string): Promise<NewOutboxItem[]> {
      const items: NewOutboxItem[] = [];
      const key = reply.answer === 'can' ? (reply.outcome === 'taken' ? 'invitation.toWorker.late' : 'invitation.toWorker.can') : reply.answer === 'cant' ? 'invitation.toWorker.cant' : 'invitation.toWorker.notNow';
      for (const w of await kit.workersOf(wish)) {
        items.push(await kit.personal(w, `invite-answer:${reply.id}`, 'invitation_answer', (lang) => html(lang, key, { ...wishParams(wish), name: escapeHtml(resourceName) })));
      }
      return items;
    },

    /**
     * Next steps for pledges whose first message could not reach the donor (they had never opened
     * a chat with the bot): sent once, when they do.
     */
    async lateNextSteps(pending: Array<{ wish: WishState; pledge: Pledge }>): Promise<NewOutboxItem[]> {
      const items: NewOutboxItem[] = [];
      for (const { wish, pledge } of pending) items.push(...(await nextSteps(wish, pledge, sources.lateNextSteps(pledge.id))));
      return items;
    },
  };
}
