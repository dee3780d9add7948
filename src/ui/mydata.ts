import { ResidentData } from '../domain/erasure';
import { amountOf, escapeHtml, Locale, shortDate } from './format';
import { MessageKey, t } from './i18n';
import { splitMessage } from './split';
import { hoursText } from './service-card';

/** /mydata: what is stored about a person, in plain language, as messages under Telegram's limit. Pure. */
export function renderMyData(data: ResidentData, locale: Locale): string[] {
  const { language: lang, timeZone, currency } = locale;
  const tr = (key: MessageKey, params = {}) => t(lang, key, params);
  const date = (d: Date) => shortDate(d, lang, timeZone);
  const lines = [tr('mydata.title'), ''];
  const p = data.profile;
  if (p) {
    lines.push(tr('mydata.profile', { name: escapeHtml(p.name), username: p.username ? escapeHtml(p.username) : '', language: p.language === 'zh' ? '中文' : p.language === 'en' ? 'English' : '-' }));
    if (p.donorName) lines.push(tr('mydata.donorName', { name: escapeHtml(p.donorName) }));
  } else lines.push(tr('mydata.noProfile'));
  if (data.wishes.length > 0) {
    lines.push('', tr('mydata.wishes'));
    for (const w of data.wishes) {
      lines.push(tr('mydata.wish', { code: w.code, title: escapeHtml(w.title), status: tr(`status.${w.status}` as MessageKey), alias: escapeHtml(w.alias) }));
      const fields = (['name', 'contact', 'notes'] as const).filter((f) => w[f]).map((f) => tr(`mydata.field.${f}`, { value: escapeHtml(w[f]!) }));
      if (fields.length > 0) lines.push(tr('mydata.private', { fields: fields.join('; ') }));
      for (const c of w.consents) lines.push(tr('mydata.consent', { purpose: tr(`consent.purpose.${c.purpose}` as MessageKey), answer: tr(`consent.answer.${c.answer}` as MessageKey) }));
    }
    if (data.assessments > 0) lines.push(tr('mydata.assessments', { count: data.assessments }));
  }
  if (data.intakes.length > 0) {
    lines.push('', tr('mydata.intakes'));
    for (const i of data.intakes) lines.push(tr('mydata.intake', { date: date(i.at), words: i.words ? escapeHtml(i.words) : tr('mydata.voice') }));
  }
  if (data.messages.length > 0) {
    const dates = [...new Set(data.messages.map((m) => date(m.at)))];
    lines.push('', tr('mydata.messages', { count: data.messages.length, dates: dates.join(', ') }));
  }
  if (data.pledges.length > 0) {
    lines.push('', tr('mydata.pledges'));
    for (const pl of data.pledges) {
      lines.push(tr('mydata.pledge', { code: pl.code, amount: escapeHtml(amountOf(pl, pl.amount, lang, currency)), status: tr(`pledgeStatus.${pl.status}` as MessageKey), date: date(pl.at) }));
    }
  }
  if (data.teams?.length) {
    lines.push('', tr('mydata.teams'));
    for (const team of data.teams) lines.push(tr('mydata.team', { team: escapeHtml(team.name), lead: team.lead ? 1 : '', slots: team.slots, hours: hoursText(team.minutes) }));
  }
  if (data.offers?.length) {
    lines.push('', tr('mydata.offers'));
    for (const o of data.offers) lines.push(tr('mydata.offer', { name: escapeHtml(o.name), state: tr(`mydata.offerState.${o.state}` as MessageKey) }));
  }
  if (data.erasureAskedAt) lines.push('', tr('mydata.erasureAsked', { date: date(data.erasureAskedAt) }));
  lines.push('', tr('mydata.footer'));
  return splitMessage(lines.join('\n'));
}
