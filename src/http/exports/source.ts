import { Person, PersonStore } from '../../domain/people';
import { donorTelegramIds, peopleByDonor } from '../../domain/donors';
import { WishService } from '../../domain/wish/service';
import { WishState } from '../../domain/wish/types';

// Reading what exports and donor lists are computed from, a page at a time: a community's wishes
// (newest first, 200 a page), their histories a few at once, and the people behind the pledges.

const PAGE = 200;

/** Every wish of these communities (all of them for undefined), a page at a time. */
export async function* wishPages(wishes: WishService, communityIds: string[] | undefined): AsyncGenerator<WishState[]> {
  let codeBelow: number | undefined;
  for (;;) {
    const page = await wishes.listPage({ communityIds, limit: PAGE, ...(codeBelow !== undefined ? { codeBelow } : {}) });
    if (page.items.length > 0) yield page.items;
    if (!page.full || page.lowestCodeNumber === undefined) return;
    codeBelow = page.lowestCodeNumber;
  }
}

export async function allWishes(wishes: WishService, communityIds: string[] | undefined): Promise<WishState[]> {
  const out: WishState[] = [];
  for await (const page of wishPages(wishes, communityIds)) out.push(...page);
  return out;
}

/** `fn` over the items, at most `limit` at a time, results in the items' order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The people behind these wishes' pledges, by donor id (none without a person store). */
export async function donorPeople(people: Pick<PersonStore, 'many'> | undefined, wishes: readonly WishState[]): Promise<Map<string, Person>> {
  if (!people) return new Map();
  const ids = donorTelegramIds(wishes);
  const found: Person[] = [];
  for (let i = 0; i < ids.length; i += 500) found.push(...(await people.many(ids.slice(i, i + 500))));
  return peopleByDonor(found);
}
