import { FieldKeyring, PrivateKind } from './field-crypto';

// Which stored fields are private, and where they sit in each kind of document. The stores seal
// them on write and open them on read; nothing else in a document is touched, and no query ever
// filters on them (a sealed value has a random IV, so it could not be matched anyway).

/** A beneficiary's private fields: for workers only (roles.mayReadPrivate), never in a group or a log. */
export const PRIVATE_BENEFICIARY_FIELDS = ['notes', 'contact', 'name'] as const;

type Fields = Record<string, unknown>;

const isRecord = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * `obj` with each of `fields` present passed through `fn`; the same object when none is present, so
 * a wish without private text costs nothing.
 */
function mapFields<F extends string>(obj: unknown, fields: readonly F[], fn: (value: unknown, field: F) => unknown): unknown {
  if (!isRecord(obj) || !fields.some((f) => obj[f] !== undefined && obj[f] !== null)) return obj;
  const out: Fields = { ...obj };
  for (const f of fields) if (out[f] !== undefined && out[f] !== null) out[f] = fn(out[f], f);
  return out;
}

const sealValue = (keyring: FieldKeyring, kind: PrivateKind) => (v: unknown) => (typeof v === 'string' ? keyring.seal(v, kind) : v);
/** A string (from before encryption) stays; a sealed value under an old key is opened and sealed again. */
const resealValue = (keyring: FieldKeyring, kind: PrivateKind) => (v: unknown) => (keyring.isStale(v) ? keyring.seal(keyring.open(v), kind) : v);
const openValue = (keyring: FieldKeyring) => (v: unknown) => keyring.open(v);

/** Where a document of each collection keeps a beneficiary (or a wizard's draft of one). */
export type PrivateShape = 'snapshot' | 'event' | 'session';

function withAt(doc: Fields, shape: PrivateShape, fn: (b: unknown) => unknown): Fields {
  if (shape === 'snapshot') {
    const b = fn(doc.beneficiary);
    return b === doc.beneficiary ? doc : { ...doc, beneficiary: b };
  }
  if (shape === 'event') {
    if (doc.type !== 'created' || !isRecord(doc.wish)) return doc;
    const b = fn(doc.wish.beneficiary);
    return b === doc.wish.beneficiary ? doc : { ...doc, wish: { ...doc.wish, beneficiary: b } };
  }
  // A bot session: the /newwish wizard keeps its draft's notes (and any private field) in data.draft.
  if (!isRecord(doc.data) || !isRecord(doc.data.draft)) return doc;
  const draft = fn(doc.data.draft);
  return draft === doc.data.draft ? doc : { ...doc, data: { ...doc.data, draft } };
}

/** A message relayed between a resident or donor and their worker: its text is theirs, private like notes. */
const isMessageEvent = (doc: Fields, shape: PrivateShape) => shape === 'event' && doc.type === 'message' && doc.text !== undefined && doc.text !== null;

/** A document ready to store: its private fields sealed under the current key. */
export function sealDocument<T extends Fields>(doc: T, shape: PrivateShape, keyring: FieldKeyring): T {
  if (isMessageEvent(doc, shape)) return { ...doc, text: sealValue(keyring, 'message')(doc.text) };
  return withAt(doc, shape, (b) => mapFields(b, PRIVATE_BENEFICIARY_FIELDS, (v, f) => sealValue(keyring, f)(v))) as T;
}

/** A stored document as the domain reads it: its private fields opened. */
export function openDocument<T extends Fields>(doc: T, shape: PrivateShape, keyring: FieldKeyring): T {
  if (isMessageEvent(doc, shape)) return { ...doc, text: openValue(keyring)(doc.text) };
  return withAt(doc, shape, (b) => mapFields(b, PRIVATE_BENEFICIARY_FIELDS, openValue(keyring))) as T;
}

/**
 * The `$set` that brings a stored document's private fields under the current key (plain text from
 * before encryption, or sealed under an old key), or null when it needs none.
 */
export function resealUpdate(doc: Fields, shape: PrivateShape, keyring: FieldKeyring): Fields | null {
  if (isMessageEvent(doc, shape)) return keyring.isStale(doc.text) ? { text: resealValue(keyring, 'message')(doc.text) } : null;
  const prefix = shape === 'snapshot' ? 'beneficiary' : shape === 'event' ? 'wish.beneficiary' : 'data.draft';
  const holder = shape === 'snapshot' ? doc.beneficiary : shape === 'event' ? (doc.type === 'created' && isRecord(doc.wish) ? doc.wish.beneficiary : undefined) : isRecord(doc.data) ? doc.data.draft : undefined;
  if (!isRecord(holder)) return null;
  const set: Fields = {};
  for (const f of PRIVATE_BENEFICIARY_FIELDS) {
    const v = holder[f];
    if (v !== undefined && v !== null && keyring.isStale(v)) set[`${prefix}.${f}`] = resealValue(keyring, f)(v);
  }
  return Object.keys(set).length > 0 ? set : null;
}

/** What the one-time sealing pass reads: each collection holding private fields, and where. */
interface SealTarget {
  collection: Collection;
  shape: PrivateShape;
  filter: Fields;
  projection: Fields;
}

type Collection = { find(filter: never, options: never): { [Symbol.asyncIterator](): AsyncIterator<Fields> }; updateOne(filter: never, update: never): Promise<unknown> };

/**
 * Seals every private field stored in plain text (a database from before encryption) or under an
 * old key (after DATA_KEY was rotated), in place: one scan of each collection holding them, at start-up
 * (runtime.ts runs it once per current key id, so a rotation re-seals everything once; after that
 * the old key may leave DATA_KEYS_OLD). Safe to repeat and to race a running service: a value
 * already under the current key is left, and a write by the service seals it too. Returns how many
 * documents it changed.
 */
export async function sealStoredPrivateFields(
  collections: { events: unknown; wishes: unknown; openWishes: unknown; sessions: unknown },
  keyring: FieldKeyring,
): Promise<number> {
  const targets: SealTarget[] = [
    { collection: collections.events as Collection, shape: 'event', filter: { type: 'created' }, projection: { type: 1, 'wish.beneficiary': 1 } },
    { collection: collections.events as Collection, shape: 'event', filter: { type: 'message' }, projection: { type: 1, text: 1 } },
    { collection: collections.wishes as Collection, shape: 'snapshot', filter: {}, projection: { beneficiary: 1 } },
    { collection: collections.openWishes as Collection, shape: 'snapshot', filter: {}, projection: { beneficiary: 1 } },
    { collection: collections.sessions as Collection, shape: 'session', filter: { 'data.draft': { $exists: true } }, projection: { 'data.draft': 1 } },
  ];
  let changed = 0;
  for (const t of targets) {
    for await (const doc of t.collection.find(t.filter as never, { projection: t.projection } as never)) {
      const set = resealUpdate(doc, t.shape, keyring);
      if (!set) continue;
      await t.collection.updateOne({ _id: doc._id } as never, { $set: set } as never);
      changed++;
    }
  }
  return changed;
}
