import { CommunityService, Language } from '../../domain/community';
import { DonorPledge, DonorSummary, namesDonor, pledgesOfDonor, summariseDonors } from '../../domain/donors';
import { FieldIssue, InvalidError, NotFoundError } from '../../domain/errors';
import { realDay } from '../../domain/input';
import { PersonStore } from '../../domain/people';
import { canSee } from '../../domain/roles';
import { dayIn } from '../../domain/time';
import { normaliseWishId } from '../../domain/wish/code';
import { WishService } from '../../domain/wish/service';
import { Actor } from '../../domain/wish/types';
import { donorRow, donorsHeader, ExportLocale, isLedgerEvent, ledgerHeader, ledgerRows } from '../../ui/ledger';
import { t } from '../../ui/i18n';
import { ExportFile, ExportFormat, renderTable, safeFilePart, Table } from './files';
import { Area, Resource } from '../../domain/resources/types';
import { ReportSources } from '../../domain/reports/service';
import { BundleSheet, bundleExport } from './bundle';
import { directoryHeader, directoryRow } from '../../ui/directory-table';
import { allWishes, donorPeople, mapLimited, wishPages } from './source';

export type { ExportFile, ExportFormat };

// The files staff and auditors download: the ledger of a community, one wish's history, the donors
// list; each as CSV or xlsx. Callable from the API's routes and from the console alike: each checks
// that the actor may read the community (404 otherwise, as if it did not exist) and returns the file.

export interface ExportDeps {
  wishes: WishService;
  communities: Pick<CommunityService, 'get'>;
  people?: Pick<PersonStore, 'many'>;
  timezone: string;
  currency: string;
  defaultLanguage: Language;
  /** What reports read, for the committee bundle (absent: no bundle). */
  reports?: { sources: ReportSources };
  /** The resource directory: its own file, and a sheet of the ledger workbook (absent: neither). */
  directory?: { listByCommunity(communityId: string): Promise<Resource[]>; areasOf(communityId: string): Promise<Area[]> };
}

/** How many wish histories are read at once. */
const HISTORY_CONCURRENCY = 4;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDay(s: string): boolean {
  const m = ISO_DAY.exec(s);
  return !!m && realDay(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** The community, if this actor may read it; else 404 whether or not it exists. */
async function readableCommunity(deps: Pick<ExportDeps, 'communities'>, actor: Actor, communityId: string) {
  const community = canSee(actor, communityId) ? await deps.communities.get(communityId) : null;
  if (!community) throw new NotFoundError('community_not_found', `No community ${communityId}`);
  return community;
}

function localeOf(deps: ExportDeps, language: Language | undefined): ExportLocale {
  return { language: language ?? deps.defaultLanguage, timeZone: deps.timezone, currency: deps.currency };
}

export interface LedgerParams {
  communityId: string;
  /** First and last calendar days (YYYY-MM-DD, in the service's zone), both included. */
  from?: string;
  to?: string;
  language?: Language;
  format: ExportFormat;
}

/** Checks a day range: real days, `to` not before `from` (400 naming the field). */
export function checkDayRange(from: string | undefined, to: string | undefined): void {
  const bad: FieldIssue[] = [];
  if (from !== undefined && !isIsoDay(from)) bad.push({ field: 'from', code: 'not_a_date', message: 'must be a date such as 2026-11-01' });
  if (to !== undefined && !isIsoDay(to)) bad.push({ field: 'to', code: 'not_a_date', message: 'must be a date such as 2026-11-30' });
  if (bad.length === 0 && from !== undefined && to !== undefined && to < from) bad.push({ field: 'to', code: 'too_small', message: `must be on or after from (${from})` });
  if (bad.length > 0) throw InvalidError.fields(bad);
}

/**
 * The ledger: one row per event of the community's wishes whose day (in the service's zone) is within
 * [from, to], in time order. Histories are read a few wishes at a time, a page of wishes after another.
 */
export async function ledgerExport(deps: ExportDeps, actor: Actor, params: LedgerParams): Promise<ExportFile> {
  checkDayRange(params.from, params.to);
  const community = await readableCommunity(deps, actor, params.communityId);
  const locale = localeOf(deps, params.language);
  const inRange = (at: Date) => {
    const day = dayIn(at, deps.timezone);
    return (params.from === undefined || day >= params.from) && (params.to === undefined || day <= params.to);
  };
  const rows: Array<{ at: number; code: number; seq: number; cells: string[] }> = [];
  for await (const page of wishPages(deps.wishes, [community.id])) {
    // A wish created after the last day has nothing in range.
    const candidates = params.to === undefined ? page : page.filter((w) => dayIn(w.createdAt, deps.timezone) <= params.to!);
    const people = await donorPeople(deps.people, candidates);
    const histories = await mapLimited(candidates, HISTORY_CONCURRENCY, async (w) => ({ wish: w, events: (await deps.wishes.history(w.id)).filter((e) => inRange(e.at) && isLedgerEvent(e)) }));
    for (const { wish, events } of histories) {
      const cells = ledgerRows(wish, events, people, locale);
      events.forEach((e, i) => rows.push({ at: new Date(e.at).getTime(), code: wish.codeNumber, seq: e.seq, cells: cells[i]! }));
    }
  }
  rows.sort((a, b) => a.at - b.at || a.code - b.code || a.seq - b.seq);
  const name = ['ledger', safeFilePart(community.id), params.from ?? 'start', params.to ?? 'end'].join('-');
  // The workbook carries who the community can call on beside what was given: the directory's sheet.
  const more = params.format === 'xlsx' && deps.directory ? [await directoryTable(deps, community.id, locale)] : [];
  return renderTable({ name, sheet: t(locale.language, 'export.sheet.ledger'), header: ledgerHeader(locale.language), rows: rows.map((r) => r.cells) }, params.format, more);
}

async function directoryTable(deps: ExportDeps, communityId: string, locale: ExportLocale): Promise<Table> {
  const entries = deps.directory ? (await deps.directory.listByCommunity(communityId)).sort((a, b) => a.name.localeCompare(b.name)) : [];
  const areas = deps.directory ? await deps.directory.areasOf(communityId) : [];
  return { name: `directory-${safeFilePart(communityId)}`, sheet: t(locale.language, 'export.sheet.directory'), header: directoryHeader(locale.language), rows: entries.map((r) => directoryRow(r, areas, locale)) };
}

/** The community's resource directory: names, offers, areas, availability, capacity, state; no contact. */
export async function directoryExport(deps: ExportDeps, actor: Actor, params: { communityId: string; language?: Language; format: ExportFormat }): Promise<ExportFile> {
  const community = await readableCommunity(deps, actor, params.communityId);
  return renderTable(await directoryTable(deps, community.id, localeOf(deps, params.language)), params.format);
}

/** One wish's history, in the ledger's columns. */
export async function wishHistoryExport(deps: ExportDeps, actor: Actor, params: { wishId: string; language?: Language; format: ExportFormat }): Promise<ExportFile> {
  const id = normaliseWishId(params.wishId);
  const notFound = () => new NotFoundError('wish_not_found', `No wish ${params.wishId}`);
  if (!id) throw notFound();
  const wish = await deps.wishes.get(id);
  if (!canSee(actor, wish.communityId)) throw notFound();
  const events = await deps.wishes.history(wish.id);
  const locale = localeOf(deps, params.language);
  const rows = ledgerRows(wish, events, await donorPeople(deps.people, [wish]), locale);
  return renderTable({ name: `history-${safeFilePart(wish.code)}`, sheet: t(locale.language, 'export.sheet.history'), header: ledgerHeader(locale.language), rows }, params.format);
}

/** Every donor who pledged on the community's wishes, with what they did. */
export async function communityDonors(deps: Pick<ExportDeps, 'wishes' | 'people'>, communityIds: string[] | undefined): Promise<DonorSummary[]> {
  const wishes = await allWishes(deps.wishes, communityIds);
  return summariseDonors(wishes, await donorPeople(deps.people, wishes));
}

/**
 * One donor as readers of these communities (all for undefined) know them: their pledges on those
 * wishes, newest first, and the summary of those pledges. `asked` is a public id (`d-…`), or with
 * `publicOnly` false also a donor id (`tg:…`). Undefined when they made no pledge there.
 */
export async function communityDonor(
  deps: Pick<ExportDeps, 'wishes' | 'people'>,
  communityIds: string[] | undefined,
  asked: string,
  opts: { publicOnly: boolean },
): Promise<{ donor: DonorSummary; pledges: DonorPledge[] } | undefined> {
  if (communityIds && communityIds.length === 0) return undefined;
  const wishes = await allWishes(deps.wishes, communityIds);
  const pledges = pledgesOfDonor(wishes, (donorId) => namesDonor(asked, donorId, opts));
  if (pledges.length === 0) return undefined;
  const donorId = pledges[0]!.donorId;
  const theirs = wishes.map((w) => ({ ...w, pledges: w.pledges.filter((p) => p.donorId === donorId) })).filter((w) => w.pledges.length > 0);
  const donor = summariseDonors(theirs, await donorPeople(deps.people, theirs))[0]!;
  return { donor, pledges };
}

export async function donorsExport(deps: ExportDeps, actor: Actor, params: { communityId: string; language?: Language; format: ExportFormat }): Promise<ExportFile> {
  const community = await readableCommunity(deps, actor, params.communityId);
  const locale = localeOf(deps, params.language);
  const donors = await communityDonors(deps, [community.id]);
  return renderTable(
    { name: `donors-${safeFilePart(community.id)}`, sheet: t(locale.language, 'export.sheet.donors'), header: donorsHeader(locale), rows: donors.map((d) => donorRow(d, locale)) },
    params.format,
  );
}

/** The committee bundle for a month (YYYY-MM) or a year (YYYY): a workbook, or one of its sheets as CSV. */
export async function committeeBundle(deps: ExportDeps, actor: Actor, params: { communityId: string; period: string; language?: Language; format: ExportFormat; sheet?: BundleSheet }): Promise<ExportFile> {
  if (!deps.reports) throw new NotFoundError('community_not_found', `No community ${params.communityId}`);
  return bundleExport({ wishes: deps.wishes, communities: deps.communities, sources: deps.reports.sources, timezone: deps.timezone, currency: deps.currency, defaultLanguage: deps.defaultLanguage }, actor, params);
}
