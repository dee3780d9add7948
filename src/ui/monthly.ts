import { Language } from '../domain/community';
import { MonthlyReport } from '../domain/reports/monthly';
import { escapeHtml, listOf, money } from './format';
import { t } from './i18n';

/** "November 2026" / "2026年11月". */
export function monthName(month: string, lang: Language): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  if (lang === 'zh') return `${y}年${m}月`;
  return `${new Intl.DateTimeFormat('en-GB', { month: 'long', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, 1)))} ${y}`;
}

/** The monthly summary a community's groups get, in the group's language: figures, then thanks. */
export function renderMonthlySummary(r: MonthlyReport, community: string, lang: Language, currency: string): string {
  const lines = [
    t(lang, 'monthly.header', { month: monthName(r.month, lang), community: escapeHtml(community) }),
    t(lang, 'monthly.figures', { wishes: r.wishesFulfilled, amount: escapeHtml(money(r.amountRaised, currency)), goods: r.goodsDistributed, hours: r.volunteerHours }),
  ];
  const names = r.donors.named.map(escapeHtml);
  if (names.length > 0 || r.donors.others > 0) {
    const who = r.donors.others > 0 ? [...names, t(lang, 'monthly.others', { count: r.donors.others })] : names;
    lines.push(t(lang, 'monthly.thanksDonors', { who: listOf(who, lang) }));
  }
  if (r.teams.length > 0) lines.push(t(lang, 'monthly.thanksTeams', { teams: listOf(r.teams.map((x) => t(lang, 'monthly.team', { name: escapeHtml(x.name), hours: x.hours })), lang) }));
  return lines.join('\n\n');
}
