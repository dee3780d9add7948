// Schema-driven fuzzing of the API, in the manner of schemathesis: for every operation in the served
// OpenAPI document, fast-check generates requests from its own parameter and body schemas (valid ones
// and deliberately broken ones), sends them over a real socket, and checks each answer against the
// document: never a 5xx, a status the operation documents (or its `default`), the documented media
// type, and a body that validates against the documented JSON Schema.
//
// Used by scripts/fuzz-api.ts (`npm run fuzz:api`) and test/integration/fuzz-openapi.test.ts.
import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';

type Schema = Record<string, unknown>;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: Schema;
}

interface Operation {
  operationId: string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Real ids for path and query parameters, so requests reach handlers and not only "not found". */
export interface KnownIds {
  /** Values for a parameter, by the operation's path (a prefix such as /api/v1/wishes) and the parameter's name. */
  (path: string, name: string): string[];
}

export interface ConformanceOptions {
  baseUrl: string;
  doc: OpenApiDoc;
  /** Bearer tokens to send, the first most of the time. */
  tokens: string[];
  ids: KnownIds;
  seed: number;
  runs: number;
  concurrency?: number;
  timeoutMs?: number;
  /** Operations not to call (ones with effects outside the app, say). */
  skip?: (method: string, path: string) => boolean;
  onProgress?: (done: number) => void;
}

export interface ConformanceFailure {
  index: number;
  request: string;
  problem: string;
}

export interface ConformanceReport {
  seed: number;
  runs: number;
  byStatus: Map<string, number>;
  byOperation: Map<string, number>;
  /** Requests built from the schemas as they are, and ones broken on purpose. */
  valid: number;
  broken: number;
  fiveXX: number;
  undocumentedStatus: number;
  schemaBreaks: number;
  timeouts: number;
  failures: ConformanceFailure[];
}

/** `{$ref: '#/components/schemas/X'}` replaced by X, throughout. */
function deref(schema: unknown, doc: OpenApiDoc): unknown {
  if (Array.isArray(schema)) return schema.map((s) => deref(s, doc));
  if (typeof schema !== 'object' || schema === null) return schema;
  const ref = (schema as { $ref?: string }).$ref;
  if (ref?.startsWith('#/components/schemas/')) return deref(doc.components?.schemas?.[ref.slice('#/components/schemas/'.length)], doc);
  return Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, deref(v, doc)]));
}

const STRINGS = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom('', ' ', 'W-1001', 'C-1', '2026-12-24', '2026-02-30', 'true', '0', '-1', '../../etc/passwd', '<script>alert(1)</script>', '冬季取暖费', '💥', '%00', 'x'.repeat(300)) },
);

const ANY_JSON: fc.Arbitrary<Json> = fc.oneof<fc.Arbitrary<Json>[]>(fc.constant(null), fc.boolean(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), STRINGS, fc.constant<Json>([]), fc.constant<Json>({}));

/** Values that fit the schema (as far as its types, enums and bounds say). */
export function valueOf(schema: Schema, depth = 0): fc.Arbitrary<Json> {
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as Json[]));
  if ('const' in schema) return fc.constant(schema.const as Json);
  const alternatives = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (alternatives) return fc.oneof(...alternatives.map((s) => valueOf(s, depth + 1)));
  switch (schema.type) {
    case 'string': {
      const min = Number(schema.minLength ?? 0);
      const max = Math.min(Number(schema.maxLength ?? 60), 400);
      return fc.oneof({ weight: 3, arbitrary: fc.string({ minLength: min, maxLength: Math.max(min, max) }) }, { weight: 1, arbitrary: STRINGS });
    }
    case 'integer': {
      const min = Math.max(Number(schema.minimum ?? -1e6), -1e9);
      const max = Math.min(Number(schema.maximum ?? 1e6), 1e9);
      return fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
    }
    case 'number':
      return fc.oneof(fc.integer({ min: -1000, max: 100_000 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return depth > 4 ? fc.constant([]) : fc.array(valueOf((schema.items as Schema) ?? {}, depth + 1), { maxLength: 3 });
    case 'object': {
      if (depth > 4) return fc.constant({});
      const properties = (schema.properties ?? {}) as Record<string, Schema>;
      const required = (schema.required as string[] | undefined) ?? [];
      const keys = Object.keys(properties);
      if (keys.length === 0) return fc.constant({});
      return fc.record(Object.fromEntries(keys.map((k) => [k, valueOf(properties[k]!, depth + 1)])), { requiredKeys: keys.filter((k) => required.includes(k)) }) as fc.Arbitrary<Json>;
    }
    default:
      return ANY_JSON;
  }
}

/** A value the schema should refuse, or at least one at its edges: a required key dropped, a wrong type, an unknown key. */
function brokenValueOf(schema: Schema): fc.Arbitrary<Json> {
  const properties = (schema.properties ?? {}) as Record<string, Schema>;
  const keys = Object.keys(properties);
  if (schema.type !== 'object' || keys.length === 0) return ANY_JSON;
  return fc.tuple(valueOf(schema), fc.constantFrom(...keys), ANY_JSON, fc.constantFrom('drop', 'retype', 'extra', 'replace')).map(([value, key, junk, how]) => {
    const v = { ...(value as Record<string, Json>) };
    if (how === 'drop') delete v[key];
    else if (how === 'retype') v[key] = junk;
    else if (how === 'extra') v[`unknown_${key}`] = junk;
    else return junk;
    return v;
  });
}

interface Planned {
  method: string;
  template: string;
  url: string;
  token: string | undefined;
  body: Json | undefined;
  broken: boolean;
}

function plan(opts: ConformanceOptions): fc.Arbitrary<Planned> {
  const operations = Object.entries(opts.doc.paths).flatMap(([template, ops]) =>
    Object.entries(ops)
      .filter(([method]) => !opts.skip?.(method, template))
      .map(([method, op]) => ({ template, method, op })),
  );
  const tokens = fc.oneof({ weight: 9, arbitrary: fc.constant(opts.tokens[0]) }, { weight: 1, arbitrary: fc.constantFrom<string | undefined>(...opts.tokens.slice(1), undefined, 'not-a-token') });
  return fc.constantFrom(...operations).chain(({ template, method, op }) => {
    const params = op.parameters ?? [];
    const paramValue = (p: Parameter) => {
      const known = opts.ids(template, p.name);
      const fromSchema = valueOf(p.schema).map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
      return known.length > 0 ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: fromSchema }) : fromSchema;
    };
    // A path segment is never empty (`/wishes/` is another route), as schemathesis also holds.
    const pathValues = fc.tuple(...params.filter((p) => p.in === 'path').map((p) => paramValue(p).filter((v) => v.length > 0).map((v) => [p.name, v] as const)));
    const queryValues = fc.tuple(
      ...params.filter((p) => p.in === 'query').map((p) => fc.oneof(fc.constant(undefined), paramValue(p)).map((v) => (p.required && v === undefined ? undefined : v)).map((v) => [p.name, v] as const)),
    );
    const bodySchema = op.requestBody?.content['application/json']?.schema as Schema | undefined;
    const body = bodySchema
      ? fc.oneof({ weight: 3, arbitrary: valueOf(deref(bodySchema, opts.doc) as Schema).map((b) => ({ b, broken: false })) }, { weight: 2, arbitrary: brokenValueOf(deref(bodySchema, opts.doc) as Schema).map((b) => ({ b, broken: true })) })
      : fc.constant({ b: undefined as Json | undefined, broken: false });
    return fc.record({ path: pathValues, query: queryValues, body, token: tokens }).map(({ path, query, body: b, token }) => {
      let url = template;
      for (const [name, v] of path) url = url.replace(`{${name}}`, encodeURIComponent(v));
      const search = new URLSearchParams();
      for (const [name, v] of query) if (v !== undefined) search.set(name, v);
      const qs = search.toString();
      return { method: method.toUpperCase(), template, url: qs ? `${url}?${qs}` : url, token, body: b.b, broken: b.broken };
    });
  });
}

function describe(p: Planned): string {
  const body = p.body === undefined ? '' : ` ${JSON.stringify(p.body).slice(0, 400)}`;
  return `${p.method} ${p.url} (token ${p.token === undefined ? 'none' : p.token.slice(0, 6) + '…'})${body}`;
}

export async function fuzzOpenApi(opts: ConformanceOptions): Promise<ConformanceReport> {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: false });
  const validators = new Map<Schema, ReturnType<typeof ajv.compile>>();
  const validatorFor = (schema: Schema) => {
    let v = validators.get(schema);
    if (!v) validators.set(schema, (v = ajv.compile(deref(schema, opts.doc) as Schema)));
    return v;
  };
  const samples = fc.sample(plan(opts), { seed: opts.seed, numRuns: opts.runs });
  const report: ConformanceReport = { seed: opts.seed, runs: samples.length, byStatus: new Map(), byOperation: new Map(), valid: 0, broken: 0, fiveXX: 0, undocumentedStatus: 0, schemaBreaks: 0, timeouts: 0, failures: [] };
  const fail = (index: number, p: Planned, problem: string) => report.failures.push({ index, request: describe(p), problem });

  async function one(index: number, p: Planned): Promise<void> {
    if (p.broken) report.broken++;
    else report.valid++;
    const op = opts.doc.paths[p.template]![p.method.toLowerCase()]!;
    report.byOperation.set(op.operationId, (report.byOperation.get(op.operationId) ?? 0) + 1);
    const headers: Record<string, string> = {};
    if (p.token) headers.authorization = `Bearer ${p.token}`;
    if (p.body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(opts.baseUrl + p.url, { method: p.method, headers, body: p.body === undefined ? undefined : JSON.stringify(p.body), signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) });
    } catch (err) {
      report.timeouts++;
      fail(index, p, `no answer: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const status = String(res.status);
    report.byStatus.set(status, (report.byStatus.get(status) ?? 0) + 1);
    const raw = Buffer.from(await res.arrayBuffer());
    if (res.status >= 500) {
      report.fiveXX++;
      fail(index, p, `${status}: ${raw.toString('utf8').slice(0, 300)}`);
      return;
    }
    const documented = op.responses[status] ?? op.responses.default;
    if (!documented) {
      report.undocumentedStatus++;
      fail(index, p, `status ${status} is not documented for ${op.operationId}`);
      return;
    }
    const media = Object.entries(documented.content ?? {});
    if (media.length === 0) {
      if (raw.length > 0) {
        report.schemaBreaks++;
        fail(index, p, `${status} documents no body but sent ${raw.length} bytes`);
      }
      return;
    }
    const type = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    const match = media.find(([t]) => t === type);
    if (!match) {
      report.schemaBreaks++;
      fail(index, p, `${status} sent ${type || 'no Content-Type'}, documented ${media.map(([t]) => t).join(', ')}`);
      return;
    }
    if (type !== 'application/json') return;
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      report.schemaBreaks++;
      fail(index, p, `${status} body is not JSON`);
      return;
    }
    const validate = validatorFor(match[1].schema);
    if (!validate(body)) {
      report.schemaBreaks++;
      fail(index, p, `${status} body breaks the schema: ${ajv.errorsText(validate.errors)}; body ${JSON.stringify(body).slice(0, 300)}`);
    }
  }

  const concurrency = Math.max(1, opts.concurrency ?? 8);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < samples.length) {
        const index = next++;
        await one(index, samples[index]!);
        done++;
        opts.onProgress?.(done);
      }
    }),
  );
  return report;
}

export function conformancePassed(r: ConformanceReport): boolean {
  return r.fiveXX === 0 && r.undocumentedStatus === 0 && r.schemaBreaks === 0 && r.timeouts === 0;
}

export function formatConformance(r: ConformanceReport, seconds?: number): string[] {
  const sorted = (m: Map<string, number>) => [...m.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k}: ${n}`).join(', ');
  return [
    `fuzz:api (OpenAPI conformance) seed=${r.seed} requests=${r.runs}${seconds !== undefined ? ` in ${seconds.toFixed(1)} s` : ''}: ${r.valid} built from the schemas, ${r.broken} broken on purpose`,
    `responses by status: ${sorted(r.byStatus)}`,
    `requests by operation: ${sorted(r.byOperation)}`,
    `5xx: ${r.fiveXX}`,
    `statuses the document does not give: ${r.undocumentedStatus}`,
    `answers that break the documented media type or schema: ${r.schemaBreaks}`,
    `no answer within the limit: ${r.timeouts}`,
    ...r.failures.slice(0, 20).flatMap((f) => [`FAIL #${f.index}: ${f.problem}`, `    ${f.request}`]),
  ];
}
