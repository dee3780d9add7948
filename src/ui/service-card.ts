import { Language } from '../domain/community';
import { InlineKeyboard, RenderedMessage } from '../domain/outbox';
import { HOME, ServiceRequest, SlotView, Team } from '../domain/teams/types';
import { escapeHtml, listOf } from './format';
import { t } from './i18n';

// A service request's card in the team's chat: each slot with its time, place and who signed up, and
// a Sign up button per slot that still has room and has not started.

const ZH_WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** "Sat 28 Nov, 10:00" / "11月28日(周六) 10:00", in the service's zone. */
export function slotWhen(at: Date, language: Language, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  if (language === 'zh') {
    const month = new Intl.DateTimeFormat('en-US', { timeZone, month: 'numeric' }).format(at);
    const day = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' }).formatToParts(at);
    const index = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(day.find((p) => p.type === 'weekday')?.value ?? '');
    return `${month}月${get('day')}日(${ZH_WEEKDAYS[index] ?? ''}) ${get('hour')}:${get('minute')}`;
  }
  return `${get('weekday')} ${get('day')} ${get('month')}, ${get('hour')}:${get('minute')}`;
}

export const placeText = (place: string, language: Language) => (place === HOME ? t(language, 'slot.place.home') : escapeHtml(place));

/** Hours from minutes, to a quarter: 90 -> "1.5". */
export const hoursText = (minutes: number) => String(Math.round((minutes / 60) * 4) / 4);

export function renderServiceCard(request: ServiceRequest, team: Team, slots: SlotView[], locale: { language: Language; timeZone: string }, now: Date): RenderedMessage {
  const lang = locale.language;
  const lines = [t(lang, 'slot.card.header', { title: escapeHtml(request.title), team: escapeHtml(team.name) })];
  if (request.description) lines.push(escapeHtml(request.description));
  const keyboard: InlineKeyboard = [];
  slots.forEach((v, i) => {
    const when = slotWhen(v.slot.startsAt, lang, locale.timeZone);
    const names = v.signups.map((s) => escapeHtml(s.name));
    const started = now.getTime() >= v.slot.startsAt.getTime();
    lines.push(
      t(lang, 'slot.card.line', {
        n: i + 1,
        when,
        hours: hoursText(v.slot.minutes),
        place: placeText(v.slot.place, lang),
        taken: v.signups.length,
        places: v.slot.places,
        names: names.length > 0 ? listOf(names, lang) : '',
        state: started ? t(lang, 'slot.card.started') : v.free === 0 ? t(lang, 'slot.card.full') : '',
      }),
    );
    if (!started && v.free > 0) keyboard.push([{ text: t(lang, 'slot.button.signUp', { n: i + 1, when }), callback_data: `sg:${v.slot.id}` }]);
  });
  lines.push(t(lang, 'slot.card.footer'));
  return { text: lines.join('\n\n'), parseMode: 'HTML', keyboard };
}
