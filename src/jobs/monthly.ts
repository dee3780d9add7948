import { CommunityService, Language } from '../domain/community';
import { GroupStore } from '../domain/groups';
import { NewOutboxItem, outboxId } from '../domain/outbox';
import { hasNews, previousMonth } from '../domain/reports/monthly';
import { ReportService } from '../domain/reports/service';
import { Actor } from '../domain/wish/types';
import { renderMonthlySummary } from '../ui/monthly';

// On the first of the month (CRON_MONTHLY_SUMMARY): each community's groups get last month's summary
// in their own language, the same figures as the report API. Keyed by community, month and group, so a
// tick run twice (or on two instances) posts it once; a month with nothing fulfilled is not announced.

export interface MonthlyDeps {
  communities: Pick<CommunityService, 'list'>;
  groups: Pick<GroupStore, 'ofCommunity'>;
  reports: ReportService;
  enqueue(items: NewOutboxItem[]): Promise<void>;
  currency: string;
  timeZone: string;
  defaultLanguage: Language;
}

const SYSTEM: Actor = { kind: 'admin', id: 'system:jobs', name: 'scheduler' };

export async function postMonthlySummaries(deps: MonthlyDeps, now: Date): Promise<{ month: string; posted: number }> {
  const month = previousMonth(now, deps.timeZone);
  let posted = 0;
  for (const community of await deps.communities.list()) {
    const report = await deps.reports.monthly(community.id, month, SYSTEM);
    if (!hasNews(report)) continue;
    const items: NewOutboxItem[] = [];
    for (const group of await deps.groups.ofCommunity(community.id)) {
      const lang = group.language ?? deps.defaultLanguage;
      items.push({ id: outboxId(`monthly:${community.id}:${month}`, group.chatId, 'monthly_summary'), chatId: group.chatId, kind: 'monthly_summary', payload: { type: 'message', message: { text: renderMonthlySummary(report, community.name, lang, deps.currency), parseMode: 'HTML' } } });
    }
    await deps.enqueue(items);
    posted += items.length;
  }
  return { month, posted };
}
