import { Connection } from 'mongoose';
import { createTokenResolver, createTokenStanding } from './domain/access';
import { Clock } from './domain/clock';
import { createCommunityService } from './domain/community';
import { createTokenService } from './domain/tokens';
import { createWishService, WishServiceDeps } from './domain/wish/service';
import { createApiTokenStore } from './db/api-token-store';
import { createCommunityStore } from './db/community-store';
import { Models } from './db/models';
import { createWishStore } from './db/wish-store';

export interface ServiceOptions {
  conn: Connection;
  models: Models;
  clock: Clock;
  adminApiToken?: string;
  onEvent?: WishServiceDeps['onEvent'];
  later?: WishServiceDeps['later'];
  isWorker?: WishServiceDeps['isWorker'];
}

/** Domain services over MongoDB stores: what main.ts, the tests and the benchmarks all build. */
export function createServices(opts: ServiceOptions) {
  const stores = {
    wishes: createWishStore(opts.models),
    communities: createCommunityStore(opts.models),
    apiTokens: createApiTokenStore(opts.models),
  };
  const communities = createCommunityService({ store: stores.communities, clock: opts.clock });
  const wishes = createWishService({
    store: stores.wishes,
    clock: opts.clock,
    communityExists: communities.exists,
    isWorker: opts.isWorker,
    onEvent: opts.onEvent,
    later: opts.later,
  });
  const resolveToken = createTokenResolver({ adminToken: opts.adminApiToken, store: stores.apiTokens });
  const tokenStillValid = createTokenStanding({ adminToken: opts.adminApiToken, store: stores.apiTokens });
  const tokens = createTokenService({ store: stores.apiTokens, communityExists: communities.exists, clock: opts.clock });
  return { stores, communities, wishes, resolveToken, tokenStillValid, tokens };
}

export type Services = ReturnType<typeof createServices>;
