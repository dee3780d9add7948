import { donorIdOf, DonorType, Person, publicDonorId, telegramIdOfDonor } from './people';
import { Category, Pledge, PLEDGE_STATUSES, PledgeStatus, WishState } from './wish/types';

// Donors as the console, the API and the exports see them: computed from the wishes' pledges (the
// record of what each donor did) and the people store (who they say they are now). Pure.

/** What one donor did across some wishes. */
export interface DonorSummary {
  /** `tg:<telegram id>` (or whatever id the pledge carries): staff only. */
  donorId: string;
  /** publicDonorId(donorId): what auditors and files see. */
  publicId: string;
  /** Their public name; kept even when anonymous (callers decide who may read it). */
  displayName?: string;
  /** They chose not to appear by name. */
  anonymous: boolean;
  type?: DonorType;
  telegramId?: number;
  username?: string;
  /** How many of their pledges are in each state, and in all. */
  pledges: Record<PledgeStatus, number> & { total: number };
  /** Confirmed pledges: what actually reached a resident, counted and summed per category. */
  fulfilled: { count: number } & Record<Category, number>;
  lastPledgedAt?: Date;
}

/** A pledge with the wish it is on. */
export interface DonorPledge extends Pledge {
  wish: Pick<WishState, 'id' | 'code' | 'title' | 'status' | 'communityId' | 'category' | 'unit'>;
}

const emptyCounts = (): DonorSummary['pledges'] => ({ ...(Object.fromEntries(PLEDGE_STATUSES.map((s) => [s, 0])) as Record<PledgeStatus, number>), total: 0 });

/** The people behind these donor ids, keyed by donor id (only `tg:` ids have one). */
export function peopleByDonor(people: readonly Person[]): Map<string, Person> {
  return new Map(people.map((p) => [donorIdOf(p.telegramId), p]));
}

/** The Telegram ids among the pledges' donors: whom to read from the people store. */
export function donorTelegramIds(wishes: readonly WishState[]): number[] {
  const ids = new Set<number>();
  for (const w of wishes) for (const p of w.pledges) {
    const id = telegramIdOfDonor(p.donorId);
    if (id !== undefined) ids.add(id);
  }
  return [...ids];
}

/**
 * One summary per donor who pledged on these wishes, ordered by public id (stable, and a cursor on
 * it reveals nothing). The name and anonymity are the donor's current profile when they have one,
 * else what their latest pledge recorded; a donor with no profile who ever pledged anonymously
 * stays anonymous.
 */
export function summariseDonors(wishes: readonly WishState[], people: ReadonlyMap<string, Person>): DonorSummary[] {
  const byDonor = new Map<string, { latest: Pledge; summary: DonorSummary; anyAnonymous: boolean }>();
  for (const wish of wishes) {
    for (const pledge of wish.pledges) {
      let entry = byDonor.get(pledge.donorId);
      if (!entry) {
        entry = {
          latest: pledge,
          anyAnonymous: false,
          summary: { donorId: pledge.donorId, publicId: publicDonorId(pledge.donorId), anonymous: false, pledges: emptyCounts(), fulfilled: { count: 0, goods: 0, cash: 0, service: 0 } },
        };
        byDonor.set(pledge.donorId, entry);
      }
      const s = entry.summary;
      s.pledges[pledge.status]++;
      s.pledges.total++;
      if (pledge.status === 'confirmed') {
        s.fulfilled.count++;
        s.fulfilled[wish.category] += pledge.amount;
      }
      if (pledge.anonymous) entry.anyAnonymous = true;
      if (new Date(pledge.pledgedAt).getTime() >= new Date(entry.latest.pledgedAt).getTime()) entry.latest = pledge;
    }
  }
  const out: DonorSummary[] = [];
  for (const { latest, summary, anyAnonymous } of byDonor.values()) {
    const person = people.get(summary.donorId);
    const displayName = person?.donor?.displayName ?? latest.displayName ?? person?.name;
    out.push({
      ...summary,
      ...(displayName ? { displayName } : {}),
      anonymous: person?.donor ? person.donor.anonymous : anyAnonymous,
      ...(person?.donor ? { type: person.donor.type } : {}),
      ...(person ? { telegramId: person.telegramId, ...(person.username ? { username: person.username } : {}) } : {}),
      lastPledgedAt: new Date(latest.pledgedAt),
    });
  }
  return out.sort((a, b) => (a.publicId < b.publicId ? -1 : a.publicId > b.publicId ? 1 : 0));
}

/** Does this id (a donor id, or the public id auditors see) name this donor? Auditors may only use public ids. */
export function namesDonor(asked: string, donorId: string, opts: { publicOnly: boolean }): boolean {
  return asked === publicDonorId(donorId) || (!opts.publicOnly && asked === donorId);
}

/** Every pledge of one donor on these wishes, newest first. */
export function pledgesOfDonor(wishes: readonly WishState[], matches: (donorId: string) => boolean): DonorPledge[] {
  const out: DonorPledge[] = [];
  for (const w of wishes) {
    for (const p of w.pledges) {
      if (!matches(p.donorId)) continue;
      out.push({ ...p, wish: { id: w.id, code: w.code, title: w.title, status: w.status, communityId: w.communityId, category: w.category, ...(w.unit ? { unit: w.unit } : {}) } });
    }
  }
  return out.sort((a, b) => new Date(b.pledgedAt).getTime() - new Date(a.pledgedAt).getTime());
}

/**
 * A donor's name as this reader may see it: an anonymous donor's only by those who see private
 * details (roles.seesPrivateDetails: staff, never an auditor); undefined when they may not, or there is none.
 */
export function donorNameFor(d: Pick<DonorSummary, 'anonymous' | 'displayName'>, seesPrivate: boolean): string | undefined {
  return d.anonymous && !seesPrivate ? undefined : d.displayName;
}

/** Who did most first: by fulfilled (confirmed) pledges, then by the name the reader sees (in their language's order), then public id. */
export function byFulfilled<T extends Pick<DonorSummary, 'fulfilled' | 'publicId'>>(donors: readonly T[], nameOf: (d: T) => string, locale?: string): T[] {
  const collator = new Intl.Collator(locale);
  return [...donors].sort(
    (a, b) => b.fulfilled.count - a.fulfilled.count || collator.compare(nameOf(a), nameOf(b)) || (a.publicId < b.publicId ? -1 : a.publicId > b.publicId ? 1 : 0),
  );
}
