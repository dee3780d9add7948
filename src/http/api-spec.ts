import { Request, Response, Router } from 'express';
import { z } from 'zod';
import { ForbiddenError } from '../domain/errors';
import { Access, mayUse } from '../domain/roles';
import { Actor } from '../domain/wish/types';
import { actorOf } from './auth';
import { parseInput } from './validate';

// Every API route is declared once, as data: its method and path, the zod schemas that validate its
// path, query and body, what it answers, and its handler. The same list mounts the express routes and
// writes the OpenAPI document (src/http/openapi.ts), so the document cannot drift from what is served.

export type Method = 'get' | 'post' | 'patch' | 'delete';

export type { Access };

export interface ResponseSpec {
  description: string;
  /** JSON body's schema; omit for an empty body. */
  schema?: z.ZodType;
  /** Another media type than JSON (a CSV or a spreadsheet), described by `schema` as a string if given. */
  contentType?: string;
}

/** Error answers a route documents besides the ones every route may give (400, 401, 429, 503). */
export type ErrorStatus = 403 | 404 | 409;

type Shape = z.ZodType<unknown, unknown>;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteContext<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
  actor: Actor;
  req: Request;
  res: Response;
}

export interface RouteSpec<P extends Shape | undefined = Shape | undefined, Q extends Shape | undefined = Shape | undefined, B extends Shape | undefined = Shape | undefined> {
  method: Method;
  /** Express syntax, under /api/v1: `/wishes/:id`. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  /** Who may call it (domain/roles.ts mayUse), checked before its input is read: 403 otherwise. */
  access: Access;
  params?: P;
  query?: Q;
  body?: B;
  /** Parses the body itself instead of `body.parse` (to name the rules' complaints with the shape's); `body` still documents it. */
  parseBody?: (raw: unknown) => Out<B>;
  /** The success answers by status; the first is what the handler's return value is sent as. */
  responses: Partial<Record<200 | 201 | 204, ResponseSpec>>;
  errors?: ErrorStatus[];
  /** Returns the JSON body to send with the first success status, or undefined when it answered itself. */
  handler: (ctx: RouteContext<P, Q, B>) => Promise<unknown>;
}

/** Declares a route with its types inferred from its schemas. */
export function defineRoute<P extends Shape | undefined = undefined, Q extends Shape | undefined = undefined, B extends Shape | undefined = undefined>(
  spec: RouteSpec<P, Q, B>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** A route without a body takes none: `{}` or nothing at all, never unknown fields. */
const noBody = z.strictObject({});

/** Mounts the routes on a fresh router, in order: each parses its input, then runs its handler. */
export function mountRoutes(routes: readonly RouteSpec[]): Router {
  const router = Router();
  for (const spec of routes) {
    const status = Number(Object.keys(spec.responses)[0] ?? 200);
    router[spec.method](spec.path, async (req, res) => {
      const actor = actorOf(req);
      if (!mayUse(actor, spec.access)) throw new ForbiddenError('forbidden', spec.access === 'admin' ? 'Only an admin token may do this' : 'This token may only read');
      const params = spec.params ? parseInput(spec.params, req.params) : undefined;
      const query = spec.query ? parseInput(spec.query, req.query) : undefined;
      const rawBody = req.body ?? {};
      const body = spec.parseBody ? spec.parseBody(rawBody) : spec.body ? parseInput(spec.body, rawBody) : spec.method === 'get' || spec.method === 'delete' ? undefined : parseInput(noBody, rawBody);
      const answer = await spec.handler({ params, query, body, actor, req, res } as RouteContext<Shape, Shape, Shape>);
      if (res.headersSent) return;
      if (status === 204) res.status(204).end();
      else res.status(status).json(answer);
    });
  }
  return router;
}
