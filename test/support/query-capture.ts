import type { mongo } from 'mongoose';
import type { IndexKeys, QueryOp, QueryShape } from '../../src/db/query-shapes';

// mongoose's own copy of the driver (the one its connections use).
type Db = mongo.Db;
type Document = mongo.Document;

// Records the queries a workload sends (the driver's command events) as the shapes src/db/query-shapes.ts
// declares, and the checks on them: declared, served by a declared index, no COLLSCAN on MongoDB.

export interface ObservedShape {
  collection: string;
  op: QueryOp;
  filter: string;
  sort?: string;
  /** The first command seen of this shape, reduced to what explain() takes. */
  sample: Document;
  count: number;
}

const RANGE = new Set(['$gt', '$gte', '$lt', '$lte']);
/** Kinds an index serves like an equality (one point, or a few): they come first, and may lead an index. */
const KIND_ORDER = ['eq', 'in', 'absent'];

function isOperatorObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => k.startsWith('$'));
}

function kindOf(value: unknown): string {
  if (!isOperatorObject(value)) return 'eq';
  const kinds = new Set(
    Object.entries(value).map(([op, arg]) =>
      op === '$eq' ? 'eq' : RANGE.has(op) ? 'range' : op === '$options' ? 'regex' : op === '$exists' && arg === false ? 'absent' : op.slice(1),
    ),
  );
  return [...kinds].sort().join(',');
}

/** `{status: {$in: [...]}, notBefore: {$lte: d}}` -> `status(in) notBefore(range)`; `{}` for no filter. */
export function normaliseFilter(filter: Document | undefined): string {
  const terms: Array<{ rank: number; name: string; text: string }> = [];
  for (const [key, value] of Object.entries(filter ?? {})) {
    if (key === '$or' || key === '$and' || key === '$nor') {
      const branches = (value as Document[]).map(normaliseFilter).sort();
      terms.push({ rank: 9, name: key, text: `${key}[${branches.join(' | ')}]` });
      continue;
    }
    const kind = kindOf(value);
    const rank = KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : kind === 'range' ? 4 : 3;
    terms.push({ rank, name: key, text: kind === 'eq' ? key : `${key}(${kind})` });
  }
  if (terms.length === 0) return '{}';
  terms.sort((a, b) => a.rank - b.rank || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return terms.map((t) => t.text).join(' ');
}

/** `{createdAt: 1, notBefore: 1}` -> `createdAt:1 notBefore:1`; undefined when unsorted. */
export function normaliseSort(sort: Document | Map<string, unknown> | undefined): string | undefined {
  // The driver hands the server its sort as a Map.
  const entries = sort instanceof Map ? [...sort.entries()] : Object.entries(sort ?? {});
  return entries.length === 0 ? undefined : entries.map(([k, v]) => `${k}:${Number(v)}`).join(' ');
}

const plainSort = (sort: Document | Map<string, unknown>) => (sort instanceof Map ? Object.fromEntries(sort) : sort);

const SESSION_FIELDS = ['lsid', '$db', '$clusterTime', 'txnNumber', 'readConcern', 'writeConcern', '$readPreference', 'apiVersion', 'apiStrict', 'apiDeprecationErrors', 'startTransaction', 'autocommit'];

function bare(command: Document): Document {
  const copy = { ...command };
  for (const f of SESSION_FIELDS) delete copy[f];
  return copy;
}

/** mongoose's countDocuments: `[{$match}, {$group: {_id: 1, n: {$sum: 1}}}]`. */
function isCountPipeline(pipeline: Document[]): boolean {
  return pipeline.some((s) => s.$group && s.$group._id === 1 && s.$group.n?.$sum === 1);
}

type Found = Omit<ObservedShape, 'count'>;

/** The query shapes one command carries (an update or delete command may carry several statements). */
export function shapesOfCommand(name: string, command: Document): Found[] {
  const cmd = bare(command);
  const collection = String(cmd[name]); // a command's first field names it and holds the collection
  switch (name) {
    case 'find':
      return [{ collection, op: 'find', filter: normaliseFilter(cmd.filter), sort: normaliseSort(cmd.sort), sample: { find: collection, filter: cmd.filter ?? {}, ...(cmd.sort ? { sort: plainSort(cmd.sort) } : {}), ...(cmd.limit ? { limit: cmd.limit } : {}) } }];
    case 'count':
      return [{ collection, op: 'count', filter: normaliseFilter(cmd.query), sample: { count: collection, query: cmd.query ?? {} } }];
    case 'distinct':
      return [{ collection, op: 'distinct', filter: normaliseFilter(cmd.query), sample: { distinct: collection, key: cmd.key, query: cmd.query ?? {} } }];
    case 'findAndModify':
      return [{ collection, op: 'findAndModify', filter: normaliseFilter(cmd.query), sort: normaliseSort(cmd.sort), sample: { ...cmd, findAndModify: collection } }];
    case 'update':
      return (cmd.updates as Document[]).map((u) => ({ collection, op: 'update' as const, filter: normaliseFilter(u.q), sample: { update: collection, updates: [u] } }));
    case 'delete':
      return (cmd.deletes as Document[]).map((d) => ({ collection, op: 'delete' as const, filter: normaliseFilter(d.q), sample: { delete: collection, deletes: [d] } }));
    case 'aggregate': {
      const pipeline = (cmd.pipeline ?? []) as Document[];
      const match = pipeline[0]?.$match as Document | undefined;
      const sortStage = pipeline.find((s) => s.$sort)?.$sort as Document | undefined;
      const op = isCountPipeline(pipeline) ? 'count' : 'aggregate';
      return [{ collection, op, filter: normaliseFilter(match), sort: normaliseSort(sortStage), sample: { aggregate: collection, pipeline, cursor: {} } }];
    }
    default:
      return [];
  }
}

export const shapeKey = (s: { collection: string; op: string; filter: string; sort?: string }) => `${s.collection} ${s.op} ${s.filter}${s.sort ? ` sort ${s.sort}` : ''}`;

/** Records every query shape sent to `dbName` from the moment it is called until `stop()`. */
export function captureQueries(client: mongo.MongoClient, dbName: string) {
  const seen = new Map<string, ObservedShape>();
  const listener = (e: mongo.CommandStartedEvent) => {
    if (e.databaseName !== dbName) return;
    for (const s of shapesOfCommand(e.commandName, e.command)) {
      const key = shapeKey(s);
      const known = seen.get(key);
      if (known) known.count++;
      else seen.set(key, { ...s, count: 1 });
    }
  };
  client.on('commandStarted', listener);
  return {
    shapes: () => [...seen.values()],
    stop: () => void client.off('commandStarted', listener),
  };
}

/** A table entry for an undeclared shape, ready to paste into QUERY_SHAPES: with a declared index that fits, if one does. */
export function asTableEntry(s: Pick<ObservedShape, 'collection' | 'op' | 'filter' | 'sort'>, indexes: Map<string, IndexKeys[]>): string {
  const sort = s.sort ? ` sort: '${s.sort}',` : '';
  const fits = (indexes.get(s.collection) ?? []).find((keys) => indexMisfits({ ...s, index: keys }).length === 0);
  const index = !fits ? "null, gap: '<no declared index fits: declare one in the schema, or say why none is needed>'" : Object.keys(fits).join() === '_id' ? "'_id'" : describeIndex(fits);
  return `  { collection: '${s.collection}', op: '${s.op}', filter: '${s.filter}',${sort} index: ${index}, from: '<file: function>', why: '<who asks, how often>' },`;
}

export function describeIndex(index: QueryShape['index']): string {
  // `{ 'status': 1, 'notBefore': 1 }`: pasteable as the key spec.
  if (index === null || index === '_id') return String(index);
  return `{ ${Object.entries(index).map(([k, v]) => `'${k}': ${v}`).join(', ')} }`;
}

/** The indexes each collection's schema declares (plus `_id`), from the models themselves. */
export function declaredIndexes(modelSets: Array<Record<string, { collection: { collectionName: string }; schema: { indexes(): Array<[Record<string, unknown>, unknown]> } }>>): Map<string, IndexKeys[]> {
  const byCollection = new Map<string, IndexKeys[]>();
  for (const models of modelSets) {
    for (const model of Object.values(models)) {
      const keys = model.schema.indexes().map(([fields]) => fields as IndexKeys);
      byCollection.set(model.collection.collectionName, [{ _id: 1 }, ...keys]);
    }
  }
  return byCollection;
}

const sameKeys = (a: IndexKeys, b: IndexKeys) => JSON.stringify(Object.entries(a)) === JSON.stringify(Object.entries(b));

interface FilterFields {
  equality: string[];
  other: string[];
}

/** The top-level fields of a normalised filter: equalities (plain, `in`, `absent`), and the rest (including those under `$or`). */
export function fieldsOf(filter: string): FilterFields {
  const equality: string[] = [];
  const other: string[] = [];
  const ors = filter.match(/\$(or|and|nor)\[[^\]]*\]/g) ?? [];
  for (const group of ors) {
    for (const term of group.replace(/^\$\w+\[|\]$/g, '').split(/\s+\|\s+|\s+/)) if (term && term !== '{}') other.push(term.replace(/\(.*\)$/, ''));
  }
  const rest = ors.reduce((text, group) => text.replace(group, ''), filter).trim();
  for (const term of rest.split(/\s+/)) {
    if (!term || term === '{}') continue;
    const m = /^(.+?)(?:\((.+)\))?$/.exec(term)!;
    (m[2] === undefined || KIND_ORDER.includes(m[2]) ? equality : other).push(m[1]!);
  }
  return { equality, other };
}

/** Why the entry's index is not among its collection's declared ones (undefined: it is, or it is null). */
export function undeclaredIndex(entry: Pick<QueryShape, 'collection' | 'index'>, indexes: Map<string, IndexKeys[]>): string | undefined {
  if (entry.index === null) return undefined;
  const declared = indexes.get(entry.collection);
  if (!declared) return `no model declares collection '${entry.collection}'`;
  const keys: IndexKeys = entry.index === '_id' ? { _id: 1 } : entry.index;
  if (declared.some((d) => sameKeys(d, keys))) return undefined;
  return `index ${describeIndex(entry.index)} is not declared on '${entry.collection}' (declared: ${declared.map((d) => describeIndex(d)).join(', ')})`;
}

/**
 * Why this index cannot serve this filter well (empty: it can): its first key must be a field the query
 * filters or sorts on, and when the filter has equality fields the index must lead with them (equality
 * before sort and range). Equality fields the index lacks are checked on the documents it finds, which
 * is fine when they narrow little.
 */
export function indexMisfits(entry: Pick<QueryShape, 'filter' | 'sort' | 'index'>): string[] {
  if (entry.index === null) return [];
  const names = Object.keys(entry.index === '_id' ? { _id: 1 } : entry.index);
  const { equality, other } = fieldsOf(entry.filter);
  const sorted = (entry.sort ?? '').split(' ').filter(Boolean).map((s) => s.split(':')[0]!);
  if (![...equality, ...other, ...sorted].includes(names[0]!)) return [`its first key '${names[0]}' is neither filtered nor sorted on`];
  if (equality.length > 0 && !equality.includes(names[0]!)) return [`it leads with '${names[0]}', not with an equality field (${equality.join(', ')})`];
  const lead = names.findIndex((n) => !equality.includes(n));
  const late = lead < 0 ? [] : names.slice(lead).filter((n) => equality.includes(n));
  return late.map((n) => `equality field '${n}' comes after '${names[lead]}', which is not one`);
}

/** Whether the index hands back documents in the sort's order (after its equality keys); a note, not a failure. */
export function sortServed(entry: QueryShape): boolean {
  if (!entry.sort || entry.index === null) return true;
  const keys = entry.index === '_id' ? { _id: 1 } : entry.index;
  const { equality } = fieldsOf(entry.filter);
  const names = Object.entries(keys);
  let i = 0;
  while (i < names.length && equality.includes(names[i]![0])) i++;
  const wanted = entry.sort.split(' ').map((s) => s.split(':') as [string, string]);
  const forward = wanted.every(([k, d], j) => names[i + j]?.[0] === k && names[i + j]![1] === Number(d));
  const backward = wanted.every(([k, d], j) => names[i + j]?.[0] === k && names[i + j]![1] === -Number(d));
  return forward || backward;
}

/** FerretDB says so in buildInfo; MongoDB does not. */
export async function isFerretDb(db: Db): Promise<boolean> {
  const info = await db.admin().command({ buildInfo: 1 });
  return JSON.stringify(info).toLowerCase().includes('ferretdb');
}

function winningPlans(node: unknown, found: unknown[] = []): unknown[] {
  if (node === null || typeof node !== 'object') return found;
  for (const [k, v] of Object.entries(node)) {
    if (k === 'winningPlan') found.push(v);
    else winningPlans(v, found);
  }
  return found;
}

function hasStage(node: unknown, stage: string): boolean {
  if (node === null || typeof node !== 'object') return false;
  if ((node as { stage?: unknown }).stage === stage) return true;
  return Object.values(node).some((v) => hasStage(v, stage));
}

/** The winning plan of an explain() answer scans the whole collection (a find, update, delete, aggregate...). */
export function planHasCollscan(explained: Document): boolean {
  return winningPlans(explained).some((p) => hasStage(p, 'COLLSCAN'));
}

/** FerretDB's SQLite plan searches the `_id` index ("SEARCH <table> USING INDEX <table>__id_") rather than scanning ("SCAN <table>"). */
export function ferretDbPlanUsesIdIndex(explained: Document): boolean {
  const plan = JSON.stringify(explained.queryPlanner ?? {});
  return /SEARCH \S+ USING INDEX \S+__id_/.test(plan) && !/detail=SCAN/.test(plan);
}

export async function explainQueryPlanner(db: Db, sample: Document): Promise<Document> {
  return db.command({ explain: sample, verbosity: 'queryPlanner' });
}
