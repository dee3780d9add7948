import { seesPrivateDetails } from '../../domain/roles';
import { WishEvent, WishState } from '../../domain/wish/types';
import { amountOf } from '../../ui/format';
import { donorLabel } from './board';
import { formatDate, PageContext } from './context';
import { html, Html } from './html';

const FIELD_LABELS = {
  title: 'console.form.title',
  description: 'console.form.description',
  deadline: 'console.form.deadline',
  urgency: 'console.form.urgency',
  alias: 'console.form.alias',
} as const;

/** One event in words, in the page's language. */
export function eventText(event: WishEvent, wish: WishState, ctx: PageContext): string {
  const who = event.actor.kind === 'system' ? ctx.t('console.event.system') : (event.actor.name ?? event.actor.id);
  const pledgeOf = (id: string) => wish.pledges.find((p) => p.id === id);
  const donorOf = (id: string) => {
    const p = pledgeOf(id);
    return p ? donorLabel(p, ctx) : ctx.t('card.someone');
  };
  switch (event.type) {
    case 'created':
      return ctx.t('console.event.created', { who });
    case 'published':
      return ctx.t('console.event.published', { who });
    case 'pledged':
      return ctx.t('console.event.pledged', { donor: donorLabel(event, ctx), amount: amountOf(wish, event.amount, ctx.lang, ctx.currency) });
    case 'withdrawn':
      return ctx.t('console.event.withdrawn', { donor: donorOf(event.pledgeId) });
    case 'released':
      return ctx.t('console.event.released', { donor: donorOf(event.pledgeId), reason: event.reason });
    case 'delivered':
      return ctx.t('console.event.delivered', { donor: donorOf(event.pledgeId) });
    case 'confirmed': {
      const text = ctx.t(event.handedOver ? 'console.event.handedOver' : 'console.event.confirmed', { who, donor: donorOf(event.pledgeId) });
      return event.fulfils ? `${text}${ctx.lang === 'zh' ? '。' : '. '}${ctx.t('console.event.fulfilled')}` : text;
    }
    case 'edited':
      return ctx.t('console.event.edited', {
        who,
        fields: Object.keys(event.changes)
          .map((k) => ctx.t(FIELD_LABELS[k as keyof typeof FIELD_LABELS] ?? 'console.wish.details'))
          .map((label) => (ctx.lang === 'en' ? label.toLowerCase() : label))
          .join(ctx.lang === 'zh' ? '、' : ', '),
      });
    case 'cancelled':
      return ctx.t('console.event.cancelled', { who, reason: event.reason ?? '' });
    case 'expired':
      return ctx.t('console.event.expired');
    case 'message': {
      // The words are for staff; an auditor learns only that a message was relayed.
      if (!ctx.actor || !seesPrivateDetails(ctx.actor)) return ctx.t('console.event.message.hidden');
      if (event.from === 'resident') return ctx.t('console.event.message.resident', { text: event.text });
      if (event.from === 'donor') return ctx.t('console.event.message.donor', { donor: event.pledgeId ? donorOf(event.pledgeId) : ctx.t('card.someone'), text: event.text });
      return ctx.t('console.event.message.worker', { who, donor: event.to?.kind === 'donor' ? 1 : '', text: event.text });
    }
    case 'resident_linked':
      return ctx.t('console.event.residentLinked');
    case 'consent_asked':
      return ctx.t('console.event.consentAsked', { who });
    case 'consent': {
      // An in-person note is the worker's record of what the resident said: staff only.
      const note = event.note && ctx.actor && seesPrivateDetails(ctx.actor) ? event.note : '';
      const answer = `${ctx.t(`consent.purpose.${event.purpose}`)}: ${ctx.t(`consent.answer.${event.answer}`)}`;
      return ctx.t('console.event.consent', { who, inPerson: event.via === 'in_person' ? 1 : '', answer, note });
    }
    case 'resident_erased':
      return ctx.t('console.event.residentErased', { who });
  }
}

/** The wish's whole history, oldest first, as an ordered list of dated lines. */
export function timeline(events: WishEvent[], wish: WishState, ctx: PageContext): Html {
  return html`<ol class="timeline">
    ${events.map((e) => html`<li><time datetime="${e.at.toISOString()}">${formatDate(e.at, ctx, true)}</time> <span>${eventText(e, wish, ctx)}</span></li>`)}
  </ol>`;
}
