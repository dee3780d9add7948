import { Language } from '../domain/community';
import { DonorSummary } from '../domain/donors';
import { Person } from '../domain/people';
import { instantToWall } from '../domain/time';
import { Pledge, WishEvent, WishState } from '../domain/wish/types';
import { amountOf } from './format';
import { MessageKey, t } from './i18n';

// The rows of the exported files: the ledger (one row per event), a wish's history (the same
// columns) and the donors list. Plain text cells; anonymity is respected for every reader, since
// a file travels further than the screen it was asked from. Pure.

export interface ExportLocale {
  language: Language;
  timeZone: string;
  currency: string;
}

/** A time as a spreadsheet reads it, in the service's zone: 2026-11-22 17:05. */
export function exportTime(at: Date, timeZone: string): string {
  const w = instantToWall(new Date(at), timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.getUTCFullYear()}-${two(w.getUTCMonth() + 1)}-${two(w.getUTCDate())} ${two(w.getUTCHours())}:${two(w.getUTCMinutes())}`;
}

export const LEDGER_COLUMNS = ['time', 'wishCode', 'wishTitle', 'action', 'donor', 'donorType', 'amount', 'worker'] as const;

export function ledgerHeader(language: Language): string[] {
  return LEDGER_COLUMNS.map((c) => t(language, `export.col.${c}` as MessageKey));
}

/** Who a pledge is from, as a file shows it: their name, or "Anonymous" when they chose so. */
function donorName(pledge: Pick<Pledge, 'displayName' | 'anonymous'>, language: Language): string {
  return pledge.anonymous ? t(language, 'export.anonymous') : (pledge.displayName ?? '');
}

function donorTypeText(person: Person | undefined, language: Language): string {
  return person?.donor ? t(language, `donorType.${person.donor.type}` as MessageKey) : '';
}

/** The staff member (or the service itself) behind an event; donors' and residents' own actions name no worker. */
function workerOf(event: WishEvent, language: Language): string {
  if (event.actor.kind === 'system') return t(language, 'export.system');
  return event.actor.kind === 'admin' || event.actor.kind === 'worker' ? (event.actor.name ?? '') : '';
}

const NOT_IN_LEDGER = new Set<WishEvent['type']>(['message', 'resident_linked', 'consent_asked', 'consent', 'resident_erased']);

/** Events that move money or goods, or open and close a wish: messages and consent are in its history, not its ledger. */
export function isLedgerEvent(e: Pick<WishEvent, 'type'>): boolean {
  return !NOT_IN_LEDGER.has(e.type);
}

/**
 * The ledger's rows for one wish's events (in the order given). Pledge events name the donor and the
 * amount from the pledge they made; the wish's creation shows its target.
 */
export function ledgerRows(wish: WishState, events: readonly WishEvent[], people: ReadonlyMap<string, Person>, locale: ExportLocale): string[][] {
  const { language } = locale;
  const pledges = new Map<string, Pick<Pledge, 'donorId' | 'displayName' | 'anonymous' | 'amount'>>(wish.pledges.map((p) => [p.id, p]));
  for (const e of events) if (e.type === 'pledged' && !pledges.has(e.id)) pledges.set(e.id, e);
  const amount = (n: number) => amountOf(wish, n, language, locale.currency);
  return events.filter(isLedgerEvent).map((e) => {
    const pledgeId = e.type === 'pledged' ? e.id : 'pledgeId' in e ? e.pledgeId : undefined;
    const pledge = pledgeId ? pledges.get(pledgeId) : undefined;
    const action = e.type === 'pledged' && wish.category !== 'cash' ? 'claimed' : e.type;
    return [
      exportTime(e.at, locale.timeZone),
      wish.code,
      wish.title,
      t(language, `export.action.${action}` as MessageKey),
      pledge ? donorName(pledge, language) : '',
      pledge ? donorTypeText(people.get(pledge.donorId), language) : '',
      pledge ? amount(pledge.amount) : e.type === 'created' ? amount(e.wish.target) : '',
      workerOf(e, language),
    ];
  });
}

export const DONOR_COLUMNS = [
  'donorId',
  'donor',
  'donorType',
  'pledges',
  'active',
  'delivered',
  'confirmed',
  'withdrawn',
  'released',
  'fulfilledCash',
  'fulfilledGoods',
  'fulfilledService',
  'lastPledged',
] as const;

export function donorsHeader(locale: Pick<ExportLocale, 'language' | 'currency'>): string[] {
  return DONOR_COLUMNS.map((c) => t(locale.language, `export.col.${c}` as MessageKey, { currency: locale.currency }));
}

/** A donor's row: the public id (never a Telegram id), the name unless anonymous, the counts. */
export function donorRow(d: DonorSummary, locale: ExportLocale): Array<string | number> {
  const { language } = locale;
  return [
    d.publicId,
    d.anonymous ? t(language, 'export.anonymous') : (d.displayName ?? ''),
    d.type ? t(language, `donorType.${d.type}` as MessageKey) : '',
    d.pledges.total,
    d.pledges.active,
    d.pledges.delivered,
    d.pledges.confirmed,
    d.pledges.withdrawn,
    d.pledges.released,
    d.fulfilled.cash,
    d.fulfilled.goods,
    d.fulfilled.service,
    d.lastPledgedAt ? exportTime(d.lastPledgedAt, locale.timeZone) : '',
  ];
}
