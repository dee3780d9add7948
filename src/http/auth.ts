import { RequestHandler } from 'express';
import { TokenResolver } from '../domain/access';
import { Actor } from '../domain/wish/types';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

/** Bearer-token authentication: sets req.actor or fails with 401. */
export function requireToken(resolve: TokenResolver): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    req.actor = await resolve(match?.[1]);
    next();
  };
}

export function actorOf(req: { actor?: Actor }): Actor {
  if (!req.actor) throw new Error('route mounted without requireToken');
  return req.actor;
}
