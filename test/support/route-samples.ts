import { publicDonorId } from '../../src/domain/people';
import type { Method } from '../../src/http/api-spec';

// One sample request per API route, keyed by operationId, for the token matrix
// (test/integration/token-matrix.test.ts): it calls every route apiRoutes() returns with every kind of
// token, so a route added later fails that test until it has a sample here.

/** Whose resource a sample acts on: the worker's and auditor's own community, or another one. */
export type Scope = 'own' | 'other';

/** Fresh state for one request: a write consumes what it is given (a draft to publish, a token to revoke). */
export interface SampleFixtures {
  communityId(scope: Scope): string;
  /** A new draft wish in that community. */
  draft(scope: Scope): Promise<string>;
  /** A new published wish. */
  open(scope: Scope): Promise<string>;
  /** A new area of that community's tree. */
  area(scope: Scope): Promise<string>;
  /** A new directory entry of that community, in that state (approved by default). */
  resource(scope: Scope, state?: 'proposed' | 'approved' | 'paused'): Promise<string>;
  /** A new item of that community's stock, with 50 on the shelf. */
  stockItem(scope: Scope): Promise<string>;
  /** A new open surplus offer of that community. */
  surplusOffer(scope: Scope): Promise<string>;
  /** A new volunteer team of that community. */
  team(scope: Scope): Promise<string>;
  /** A new draft wish with a resident linked to it (who decides whether it is published). */
  linkedDraft(scope: Scope): Promise<string>;
  /** A new resident (their Telegram id) linked to a new published wish; erasing them consumes them. */
  resident(scope: Scope): Promise<number>;
  /** A new published cash wish with one active pledge. */
  pledged(scope: Scope): Promise<{ wishId: string; pledgeId: string }>;
  /** A new worker token's public id (of the own community). */
  tokenId(): Promise<string>;
  /** An ISO date some weeks ahead, for deadlines. */
  futureDate(): string;
}

export interface SampleRequest {
  method: Method;
  /** Under /api/v1. */
  path: string;
  query?: Record<string, string>;
  body?: unknown;
}

export interface RouteSample {
  /** Whether it acts in one community, so that another community's is a case (404 for a worker or auditor). */
  scoped: boolean;
  make(fx: SampleFixtures, scope: Scope): Promise<SampleRequest>;
}

const wishBody = (fx: SampleFixtures, scope: Scope) => ({
  communityId: fx.communityId(scope),
  title: 'Reading glasses',
  description: 'Her old pair broke; she cannot read her letters.',
  category: 'goods',
  target: 1,
  deadline: fx.futureDate(),
  beneficiary: { alias: 'elderly resident, Building 3', notes: 'Lives alone', contact: '555-0100' },
});

export const ROUTE_SAMPLES: Record<string, RouteSample> = {
  createCommunity: { scoped: false, make: async () => ({ method: 'post', path: '/communities', body: { name: 'Matrix Lane' } }) },
  listCommunities: { scoped: false, make: async () => ({ method: 'get', path: '/communities' }) },
  getCommunity: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/communities/${fx.communityId(s)}` }) },

  createWish: { scoped: true, make: async (fx, s) => ({ method: 'post', path: '/wishes', body: wishBody(fx, s) }) },
  listWishes: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/wishes', query: { communityId: fx.communityId(s) } }) },
  getWish: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/wishes/${await fx.open(s)}` }) },
  editWish: { scoped: true, make: async (fx, s) => ({ method: 'patch', path: `/wishes/${await fx.open(s)}`, body: { title: 'Reading glasses, +2.5' } }) },
  publishWish: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/wishes/${await fx.draft(s)}/publish` }) },
  cancelWish: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/wishes/${await fx.open(s)}/cancel`, body: { reason: 'no longer needed' } }) },
  confirmDelivery: {
    scoped: true,
    make: async (fx, s) => {
      const { wishId, pledgeId } = await fx.pledged(s);
      return { method: 'post', path: `/wishes/${wishId}/confirm`, body: { pledgeId, handedOver: true } };
    },
  },
  residentLink: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/wishes/${await fx.open(s)}/resident-link` }) },
  askResidentConsent: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/wishes/${await fx.linkedDraft(s)}/consent-request` }) },
  recordConsentInPerson: {
    scoped: true,
    make: async (fx, s) => ({ method: 'post', path: `/wishes/${await fx.linkedDraft(s)}/consent`, body: { purpose: 'publish', answer: 'given', note: 'Said yes at the office on Monday', publish: true } }),
  },
  privateDonorLink: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/wishes/${await fx.open(s)}/donor-link` }) },
  eraseResident: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/residents/${await fx.resident(s)}/erase` }) },
  wishHistory: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/wishes/${await fx.open(s)}/events` }) },

  listResources: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/resources', query: { communityId: fx.communityId(s) } }) },
  createResource: {
    scoped: true,
    make: async (fx, s) => ({
      method: 'post',
      path: '/resources',
      body: { communityId: fx.communityId(s), kind: 'business', name: 'Harbour Bakery', offer: { categories: ['goods'] }, areaIds: [await fx.area(s)], contact: '555-0110' },
    }),
  },
  getResource: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/resources/${await fx.resource(s)}` }) },
  editResource: { scoped: true, make: async (fx, s) => ({ method: 'patch', path: `/resources/${await fx.resource(s)}`, body: { name: 'Harbour Bakery and Cafe' } }) },
  approveResource: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/resources/${await fx.resource(s, 'proposed')}/approve` }) },
  pauseResource: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/resources/${await fx.resource(s)}/pause` }) },
  retireResource: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/resources/${await fx.resource(s, 'paused')}/retire` }) },
  listAreas: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/communities/${fx.communityId(s)}/areas` }) },
  addArea: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/communities/${fx.communityId(s)}/areas`, body: { name: `Building ${Math.random().toString(36).slice(2, 8)}`, level: 'building' } }) },
  wishMatches: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/wishes/${await fx.open(s)}/matches` }) },
  wishInvitations: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/wishes/${await fx.open(s)}/invitations` }) },
  inviteResources: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/wishes/${await fx.open(s)}/invitations`, body: { resourceIds: [await fx.resource(s)] } }) },
  listTeams: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/teams', query: { communityId: fx.communityId(s) } }) },
  createTeam: { scoped: true, make: async (fx, s) => ({ method: 'post', path: '/teams', body: { communityId: fx.communityId(s), name: 'Haircut team', skill: 'haircut', leadTelegramId: 90_200, leadName: 'Li', areaIds: [await fx.area(s)] } }) },
  getTeam: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/teams/${await fx.team(s)}` }) },
  createServiceRequest: {
    scoped: true,
    make: async (fx, s) => ({ method: 'post', path: `/teams/${await fx.team(s)}/requests`, body: { title: 'Haircuts at home', slots: [{ startsAt: `${fx.futureDate()}T10:00:00+08:00`, minutes: 90, place: 'home', places: 2 }] } }),
  },
  listServiceRequests: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/teams/${await fx.team(s)}/requests` }) },
  teamHours: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/teams/${await fx.team(s)}/hours` }) },
  listStock: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/stock', query: { communityId: fx.communityId(s) } }) },
  receiveStock: { scoped: true, make: async (fx, s) => ({ method: 'post', path: '/stock/receipts', body: { communityId: fx.communityId(s), name: 'Masks', quantity: 200, from: { name: 'Harbour Realty' } } }) },
  getStockItem: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/stock/items/${await fx.stockItem(s)}` }) },
  stockEvents: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/stock/items/${await fx.stockItem(s)}/events` }) },
  allocateStock: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/stock/items/${await fx.stockItem(s)}/allocations`, body: { quantity: 2, to: { resident: 'Building 3, flat 2' } } }) },
  moveStock: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/stock/items/${await fx.stockItem(s)}/moves`, body: { type: 'adjust', delta: -1, reason: 'damaged' } }) },
  offerSurplus: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/stock/items/${await fx.stockItem(s)}/surplus`, body: { quantity: 10, cap: 2, chatId: -100_777, where: 'Community centre', when: 'Saturday 9-12' } }) },
  closeSurplus: { scoped: true, make: async (fx, s) => ({ method: 'post', path: `/surplus/${await fx.surplusOffer(s)}/close` }) },
  monthlyReport: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/reports/monthly', query: { communityId: fx.communityId(s), month: '2026-11' } }) },
  setImpactPage: { scoped: false, make: async (fx, s) => ({ method: 'post', path: `/communities/${fx.communityId(s)}/impact`, body: { public: true } }) },
  committeeBundleXlsx: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/exports/bundle.xlsx', query: { communityId: fx.communityId(s), period: '2026-11' } }) },
  committeeBundleCsv: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/exports/bundle.csv', query: { communityId: fx.communityId(s), period: '2026', sheet: 'goods' } }) },
  restingResources: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/communities/${fx.communityId(s)}/resting-resources` }) },

  issueToken: { scoped: false, make: async (fx) => ({ method: 'post', path: '/tokens', body: { role: 'auditor', communityIds: [fx.communityId('own')], label: 'Committee' } }) },
  listTokens: { scoped: false, make: async () => ({ method: 'get', path: '/tokens' }) },
  revokeToken: { scoped: false, make: async (fx) => ({ method: 'delete', path: `/tokens/${await fx.tokenId()}` }) },

  communityGroups: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/communities/${fx.communityId(s)}/groups` }) },
  communityWorkers: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/communities/${fx.communityId(s)}/workers` }) },
  listDonors: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/donors', query: { communityId: fx.communityId(s) } }) },
  // The donor of fx.pledged, by the public id every role may use; which pledges show depends on the token's communities.
  donorPledges: {
    scoped: false,
    make: async (fx) => {
      await fx.pledged('own');
      return { method: 'get', path: `/donors/${publicDonorId('tg:90001')}/pledges` };
    },
  },
  ledgerCsv: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/exports/ledger.csv', query: { communityId: fx.communityId(s) } }) },
  ledgerXlsx: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/exports/ledger.xlsx', query: { communityId: fx.communityId(s) } }) },
  wishHistoryCsv: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/exports/wishes/${await fx.open(s)}/history.csv` }) },
  wishHistoryXlsx: { scoped: true, make: async (fx, s) => ({ method: 'get', path: `/exports/wishes/${await fx.open(s)}/history.xlsx` }) },
  donorsCsv: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/exports/donors.csv', query: { communityId: fx.communityId(s) } }) },
  donorsXlsx: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/exports/donors.xlsx', query: { communityId: fx.communityId(s) } }) },
  directoryCsv: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/exports/directory.csv', query: { communityId: fx.communityId(s) } }) },
  directoryXlsx: { scoped: true, make: async (fx, s) => ({ method: 'get', path: '/exports/directory.xlsx', query: { communityId: fx.communityId(s) } }) },
};
