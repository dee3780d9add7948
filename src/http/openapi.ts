import { z } from 'zod';
import { Access, ErrorStatus, RouteSpec } from './api-spec';

// The OpenAPI 3.1 document, written from the same route list and zod schemas that mount and validate
// the API (src/http/api-spec.ts). OpenAPI 3.1's schemas are JSON Schema 2020-12, which zod writes itself.

type JsonSchema = Record<string, unknown>;

export const API_PREFIX = '/api/v1';

const errorSchema = z.object({
  error: z.object({
    code: z.string().describe('A stable, machine-readable code such as wish_not_found or invalid_input'),
    message: z.string().describe('What went wrong, in English, for a person'),
    details: z.unknown().optional().describe('For invalid input: {issues: [{field, code, message}]}, naming every bad field'),
  }),
});

const ERROR_TEXT: Record<ErrorStatus | 400 | 401 | 429 | 503, string> = {
  400: 'Invalid input: every bad field is named in details.issues',
  401: 'No valid bearer token',
  403: 'The token may not do this (an auditor writing, a worker asking for an admin route)',
  404: 'No such id, or one in a community the token does not serve',
  409: 'The wish is not in a state that allows this',
  429: 'Too many requests from this address; see Retry-After',
  503: 'Busy or the database is unreachable; try again after Retry-After',
};

const ACCESS_TEXT: Record<Access, string> = {
  read: 'Any token: admin, worker (its communities) or auditor (read-only).',
  write: 'Admin or worker tokens (a worker in its own communities); auditors get 403.',
  admin: 'Admin tokens only.',
};

/** A zod schema as JSON Schema 2020-12, without the `$schema` line OpenAPI does not want inside it. */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as JsonSchema;
  delete out.$schema;
  return out;
}

/** `/wishes/:id` as OpenAPI writes it: `/wishes/{id}`. */
export function openApiPath(expressPath: string): string {
  return API_PREFIX + expressPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parametersOf(schema: z.ZodType | undefined, where: 'path' | 'query'): JsonSchema[] {
  if (!schema) return [];
  const object = jsonSchemaOf(schema, 'input');
  const properties = (object.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((object.required as string[] | undefined) ?? []);
  return Object.entries(properties).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

function errorResponse(text: string) {
  return { description: text, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
}

function operationOf(route: RouteSpec): JsonSchema {
  const responses: Record<string, unknown> = {};
  for (const [status, r] of Object.entries(route.responses)) {
    if (!r) continue;
    const type = r.contentType ?? 'application/json';
    responses[status] = r.schema || r.contentType ? { description: r.description, content: { [type]: { schema: r.schema ? jsonSchemaOf(r.schema, 'output') : { type: 'string' } } } } : { description: r.description };
  }
  for (const status of [400, 401, ...(route.errors ?? []), 429, 503] as const) responses[String(status)] = errorResponse(ERROR_TEXT[status]);
  // Failures of the transport itself (a body too large or too slow, a broken encoding) share the error shape.
  responses.default = errorResponse('Any other error, in the same shape');
  const hasBody = route.body !== undefined;
  return {
    operationId: route.operationId,
    summary: route.summary,
    description: [route.description, ACCESS_TEXT[route.access]].filter(Boolean).join('\n\n'),
    tags: [route.tag],
    'x-access': route.access,
    parameters: [...parametersOf(route.params, 'path'), ...parametersOf(route.query, 'query')],
    ...(hasBody ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(route.body!, 'input') } } } } : {}),
    responses,
  };
}

/** Routes outside /api/v1 that the document also describes (health, metrics), without a token. */
export interface PlainRoute {
  method: 'get';
  path: string;
  operationId: string;
  summary: string;
  tag: string;
  responses: Record<string, { description: string; contentType?: string; schema?: z.ZodType }>;
}

export function openApiDocument(routes: readonly RouteSpec[], opts: { version: string; plain?: readonly PlainRoute[] }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const path = openApiPath(route.path);
    (paths[path] ??= {})[route.method] = operationOf(route);
  }
  for (const route of opts.plain ?? []) {
    const responses: Record<string, unknown> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      responses[status] = { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: r.schema ? jsonSchemaOf(r.schema, 'output') : { type: 'string' } } } };
    }
    (paths[route.path] ??= {})[route.method] = { operationId: route.operationId, summary: route.summary, tags: [route.tag], security: [], responses };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Micro-wish API',
      version: opts.version,
      description:
        'Community micro-wishes: residents\' small, concrete needs, published to group chats where donors claim and pledge them. ' +
        'Send `Authorization: Bearer <token>`. Errors are always `{"error": {"code", "message", "details"?}}`.',
    },
    servers: [{ url: '/' }],
    security: [{ bearer: [] }],
    tags: [...new Set([...routes.map((r) => r.tag), ...(opts.plain ?? []).map((r) => r.tag)])].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token: ADMIN_API_TOKEN, or one issued by POST /api/v1/tokens or /token in the bot' } },
      schemas: { Error: jsonSchemaOf(errorSchema, 'output') },
    },
  };
}
