import { Language } from '../../domain/community';
import { InvalidError, NotFoundError } from '../../domain/errors';
import { ReportSources } from '../../domain/reports/service';
import { canSee } from '../../domain/roles';
import { dayIn } from '../../domain/time';
import { WishService } from '../../domain/wish/service';
import { Actor, WishState } from '../../domain/wish/types';
import { issue } from '../../domain/wish/rules';
import { amountOf } from '../../ui/format';
import { MessageKey, t } from '../../ui/i18n';
import { ExportFile, ExportFormat, renderTable, safeFilePart, Table } from './files';

// The committee bundle: a month's or a year's wishes, pledges, fulfilments, goods ledger, volunteer
// hours and consents, as one workbook with a sheet each, or each sheet as a CSV file. What residents
// keep private stays out: no beneficiary name, contact or notes, no resident's label on goods, no
// consent note, no Telegram id; an anonymous donor is "Anonymous".

export const BUNDLE_SHEETS = ['wishes', 'pledges', 'fulfilments', 'goods', 'hours', 'consents'] as const;
export type BundleSheet = (typeof BUNDLE_SHEETS)[number];
export const PERIOD = /^\d{4}(-(0[1-9]|1[0-2]))?$/;

export interface BundleDeps {
  wishes: Pick<WishService, 'get' | 'history'>;
  communities: { get(id: string): Promise<{ id: string; name: string } | null> };
  sources: ReportSources;
  timezone: string;
  currency: string;
  defaultLanguage: Language;
}

export async function bundleTables(deps: BundleDeps, actor: Actor, params: { communityId: string; period: string; language?: Language }): Promise<Table[]> {
  if (!PERIOD.test(params.period)) throw InvalidError.fields([issue('period', 'not_a_date')]);
  const community = canSee(actor, params.communityId) ? await deps.communities.get(params.communityId) : null;
  if (!community) throw new NotFoundError('community_not_found', `No community ${params.communityId}`);
  const lang = params.language ?? deps.defaultLanguage;
  const tr = (key: string, p = {}) => t(lang, key as MessageKey, p);
  const day = (d: Date | undefined) => (d ? dayIn(new Date(d), deps.timezone) : '');
  const inPeriod = (d: Date | undefined) => d !== undefined && day(d).startsWith(params.period);
  const donor = (p: { anonymous: boolean; displayName?: string }) => (p.anonymous ? tr('export.anonymous') : (p.displayName ?? ''));
  const amount = (w: WishState, n: number) => amountOf(w, n, lang, deps.currency);
  const wishes = await deps.sources.wishesOf(community.id);
  const table = (sheet: BundleSheet, columns: string[], rows: Array<Array<string | number>>): Table => ({
    name: `${sheet}-${safeFilePart(community.id)}-${params.period}`,
    sheet: tr(`bundle.sheet.${sheet}`),
    header: columns.map((c) => tr(`bundle.col.${c}`)),
    rows,
  });
  const touched = wishes.filter((w) => inPeriod(w.createdAt) || inPeriod(w.closedAt) || w.pledges.some((p) => inPeriod(p.pledgedAt) || inPeriod(p.confirmedAt)));
  const consentRows: Array<Array<string | number>> = [];
  for (const w of touched.filter((x) => x.consentRequired)) {
    for (const e of await deps.wishes.history(w.id)) {
      if (e.type === 'consent' && inPeriod(e.at)) consentRows.push([w.code, day(e.at), tr(`consent.purpose.${e.purpose}`), tr(`consent.answer.${e.answer}`), e.via]);
    }
  }
  const stock = (await deps.sources.stockEventsOf(community.id)).filter((e) => inPeriod(e.at));
  const items = new Map<string, string>();
  for (const e of await deps.sources.stockEventsOf(community.id)) if (e.type === 'received') items.set(e.itemId, `${e.name} (${e.unit})`);
  const goodsRow = (e: (typeof stock)[number]): Array<string | number> => {
    const what = items.get(e.itemId) ?? e.itemId;
    switch (e.type) {
      case 'received':
        return [day(e.at), what, tr('bundle.goods.received'), e.quantity, e.from.anonymous ? tr('export.anonymous') : e.from.name];
      case 'allocated':
        return [day(e.at), what, tr('bundle.goods.allocated'), e.quantity, e.to.kind === 'wish' ? e.to.wishId : e.to.kind === 'surplus' ? e.to.offerId : tr('bundle.goods.resident')];
      case 'distributed':
        return [day(e.at), what, tr('bundle.goods.distributed'), e.quantity, e.recipients ?? ''];
      case 'confirmed':
        return [day(e.at), what, tr('bundle.goods.confirmed'), '', ''];
      case 'returned':
        return [day(e.at), what, tr('bundle.goods.returned'), e.quantity, ''];
      case 'transferred':
        return [day(e.at), what, tr('bundle.goods.transferred'), e.quantity, e.toCommunityId];
      case 'adjusted':
        return [day(e.at), what, tr(`bundle.goods.adjusted.${e.reason}`), e.delta, ''];
    }
  };
  const hours = (await deps.sources.serviceConfirmedOf(community.id)).filter((s) => inPeriod(s.at));
  return [
    table('wishes', ['code', 'title', 'category', 'status', 'created', 'closed'], touched.map((w) => [w.code, w.title, tr(`category.${w.category}`), tr(`status.${w.status}`), day(w.createdAt), day(w.closedAt)])),
    table('pledges', ['code', 'donor', 'amount', 'status', 'pledged', 'confirmed'], touched.flatMap((w) => w.pledges.filter((p) => inPeriod(p.pledgedAt)).map((p) => [w.code, donor(p), amount(w, p.amount), tr(`pledgeStatus.${p.status}`), day(p.pledgedAt), day(p.confirmedAt)]))),
    table('fulfilments', ['code', 'title', 'donor', 'amount', 'confirmed'], touched.flatMap((w) => w.pledges.filter((p) => p.status === 'confirmed' && inPeriod(p.confirmedAt)).map((p) => [w.code, w.title, donor(p), amount(w, p.amount), day(p.confirmedAt)]))),
    table('goods', ['day', 'item', 'action', 'quantity', 'who'], stock.sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime()).map(goodsRow)),
    table('hours', ['day', 'team', 'member', 'hours'], hours.map((s) => [day(s.at), s.teamName, s.memberName, Math.round((s.minutes / 60) * 100) / 100])),
    table('consents', ['code', 'day', 'purpose', 'answer', 'via'], consentRows),
  ];
}

/** The whole bundle as one workbook, or one sheet as CSV. */
export async function bundleExport(deps: BundleDeps, actor: Actor, params: { communityId: string; period: string; language?: Language; format: ExportFormat; sheet?: BundleSheet }): Promise<ExportFile> {
  const tables = await bundleTables(deps, actor, params);
  if (params.format === 'csv') return renderTable(tables[BUNDLE_SHEETS.indexOf(params.sheet ?? 'wishes')]!, 'csv');
  const [first, ...rest] = tables;
  return renderTable({ ...first!, name: `committee-${safeFilePart(params.communityId)}-${params.period}` }, 'xlsx', rest);
}
