import { configureRefusal, GroupActorFacts, linkRefusal, TelegramMemberStatus } from '../../src/domain/groups';

// Issue 10: groups could be taken over. Who may link a group to a community (or move it), and who
// may change its settings, is one pure rule over the facts the bot gathers.

const admin = (status?: TelegramMemberStatus): GroupActorFacts => ({ isAdmin: true, workerOf: [], telegramStatus: status });
const workerOf = (communities: string[], status?: TelegramMemberStatus): GroupActorFacts => ({ isAdmin: false, workerOf: communities, telegramStatus: status });
const nobody = (status?: TelegramMemberStatus): GroupActorFacts => ({ isAdmin: false, workerOf: [], telegramStatus: status });

describe('linking a group to a community', () => {
  const cases: Array<[string, GroupActorFacts, string, string | undefined, string | undefined]> = [
    // who, facts, community asked for, community linked now, refusal (undefined: allowed)
    ['an admin, anywhere, even as a plain member', admin('member'), 'B', undefined, undefined],
    ['an admin moving a group linked elsewhere', admin(), 'B', 'A', undefined],
    ['a worker of B who administers the unlinked group', workerOf(['B'], 'administrator'), 'B', undefined, undefined],
    ['a worker of B who created the group', workerOf(['B'], 'creator'), 'B', undefined, undefined],
    ['a worker of B linking again a group already linked to B', workerOf(['B'], 'administrator'), 'B', 'B', undefined],
    ['a worker of B who is a plain member of the group', workerOf(['B'], 'member'), 'B', undefined, 'not_group_admin'],
    ['a worker of B who is restricted in the group', workerOf(['B'], 'restricted'), 'B', undefined, 'not_group_admin'],
    ['a worker of B whose status Telegram could not tell', workerOf(['B'], undefined), 'B', undefined, 'not_group_admin'],
    ['a worker of B taking a group linked to A', workerOf(['B'], 'administrator'), 'B', 'A', 'group_linked_elsewhere'],
    ['a worker of A and B moving a group from A to B', workerOf(['A', 'B'], 'creator'), 'B', 'A', 'group_linked_elsewhere'],
    ['a worker of A using B’s code', workerOf(['A'], 'administrator'), 'B', undefined, 'forbidden'],
    ['a group administrator who is nobody’s worker', nobody('creator'), 'B', undefined, 'forbidden'],
  ];
  it.each(cases)('%s', (_who, facts, communityId, linkedTo, expected) => {
    expect(linkRefusal(facts, communityId, linkedTo)?.code).toBe(expected);
  });
});

describe('changing a group’s settings (its language)', () => {
  const cases: Array<[string, GroupActorFacts, string | undefined, string | undefined]> = [
    ['an admin', admin('member'), 'A', undefined],
    ['a Telegram administrator of the group, nobody’s worker', nobody('administrator'), 'A', undefined],
    ['the creator of an unlinked group', nobody('creator'), undefined, undefined],
    ['a worker of the linked community, a plain member', workerOf(['A'], 'member'), 'A', undefined],
    ['a worker of another community, a plain member', workerOf(['B'], 'member'), 'A', 'not_group_admin'],
    ['a worker in an unlinked group, a plain member', workerOf(['B'], 'member'), undefined, 'not_group_admin'],
    ['a plain member', nobody('member'), 'A', 'not_group_admin'],
    ['someone Telegram could not tell about', nobody(undefined), 'A', 'not_group_admin'],
  ];
  it.each(cases)('%s', (_who, facts, linkedTo, expected) => {
    expect(configureRefusal(facts, linkedTo)?.code).toBe(expected);
  });
});
