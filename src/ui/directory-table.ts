import { Language } from '../domain/community';
import { Area, Resource } from '../domain/resources/types';
import { dayIn } from '../domain/time';
import { MessageKey, t } from './i18n';
import { money } from './format';

// The directory as a table for the exports: who can give what, where, when and how much, and its
// state. Never its contact or Telegram account (those stay with staff in the console and the API).

const COLUMNS = ['name', 'kind', 'state', 'offers', 'areas', 'availability', 'capacity', 'created'] as const;

export function directoryHeader(language: Language): string[] {
  return COLUMNS.map((c) => t(language, `export.dir.${c}` as MessageKey));
}

export function directoryRow(r: Resource, areas: Area[], locale: { language: Language; timeZone: string; currency: string }): string[] {
  const { language } = locale;
  const tr = (key: string, params = {}) => t(language, key as MessageKey, params);
  const list = (items: string[]) => items.join(language === 'zh' ? '、' : ', ');
  const offers = [...r.offer.categories.map((c) => tr(`offer.what.${c}`)), ...r.offer.skills.map((s) => tr(`skill.${s}`)), ...(r.offer.note ? [r.offer.note] : [])];
  const a = r.availability;
  const when = a
    ? [
        a.weekdays?.length ? list(a.weekdays.map((d) => tr(`offer.day.${d}`))) : '',
        a.fromTime && a.untilTime ? `${a.fromTime}-${a.untilTime}` : '',
        a.from || a.until ? `${a.from ? dayIn(new Date(a.from), locale.timeZone) : ''}..${a.until ? dayIn(new Date(a.until), locale.timeZone) : ''}` : '',
      ].filter(Boolean).join(' ')
    : '';
  const c = r.capacity;
  const capacity = [c?.requestsPerMonth !== undefined ? tr('offer.perMonth', { n: c.requestsPerMonth }) : '', c?.moneyPerMonth !== undefined ? tr('offer.perMonth', { n: money(c.moneyPerMonth, locale.currency) }) : ''].filter(Boolean).join('; ');
  return [
    r.name,
    tr(`export.dir.kind.${r.kind}`),
    tr(`mydata.offerState.${r.state}`),
    list(offers),
    list(r.areaIds.map((id) => areas.find((x) => x.id === id)?.name ?? id)),
    when,
    capacity,
    dayIn(new Date(r.createdAt), locale.timeZone),
  ];
}
