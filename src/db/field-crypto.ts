import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Private fields at rest (a beneficiary's notes, contact and name; later assessments and intake
// texts): AES-256-GCM under the data key, each value stored as `{v: 1, k, iv, tag, ct}` where `k`
// names the key it was sealed with, so keys can be rotated: the current key seals, the current
// and old keys open. The domain never sees this: the stores seal on write and open on read.

/** A private value as stored. `v` is the format; `k` the id of the key that sealed it; the rest base64. */
export interface SealedField {
  v: 1;
  k: string;
  iv: string;
  tag: string;
  ct: string;
}

export interface DataKey {
  id: string;
  key: Buffer;
}

/** A value that cannot be opened: changed, cut, or sealed under a key this service does not have. */
export class FieldDecryptError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldDecryptError';
  }
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key's id when none is given: the start of its SHA-256, which says which key without revealing it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('microwish-data-key:').update(key).digest('hex').slice(0, 12);
}

/**
 * A key as written in DATA_KEY or DATA_KEYS_OLD: 64 hex digits or the base64 of 32 bytes. Throws
 * a message saying what is expected (never the value itself).
 */
export function parseDataKey(text: string): Buffer {
  const s = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) {
    const bytes = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === KEY_BYTES) return bytes;
  }
  throw new Error('must be 32 random bytes as 64 hex digits or base64 (e.g. the output of `openssl rand -base64 32`)');
}

/** `id:key` or `key` (the id then derived from the key). */
export function parseKeySpec(text: string, explicitId?: string): DataKey {
  const at = text.indexOf(':');
  const id = at > 0 ? text.slice(0, at).trim() : explicitId;
  const key = parseDataKey(at > 0 ? text.slice(at + 1) : text);
  if (id !== undefined && !/^[A-Za-z0-9_.-]{1,64}$/.test(id)) throw new Error('key id must be 1-64 characters of A-Z, a-z, 0-9, _ . -');
  return { id: id ?? keyIdOf(key), key };
}

/**
 * What a sealed value is. Intake words may later be shown publicly (as a wish's title, once the
 * resident agrees); every other kind is for workers only. Named so the test suite's privacy scan
 * can tell them apart; sealing itself is the same for all.
 */
export type PrivateKind = 'notes' | 'contact' | 'name' | 'message' | 'assessment' | 'intake-words' | 'resident-name';

/** Told each value as it is sealed. Test-only (test/support/privacy-record.ts); never set by the service. */
export type SealObserver = (plain: string, kind: PrivateKind | undefined) => void;
let sealObserver: SealObserver | undefined;
/** Sets (or with undefined, clears) the seal observer. For the test suite's privacy scan only. */
export function observeSeals(observer: SealObserver | undefined): void {
  sealObserver = observer;
}

export interface FieldKeyring {
  /** The id of the key new values are sealed with. */
  readonly currentId: string;
  seal(plain: string, kind?: PrivateKind): SealedField;
  /** The plain text of a sealed value; a plain string (stored before encryption) is returned as is. */
  open(stored: unknown): string;
  /** Whether a stored value should be sealed again: plain text, or sealed under an old key. */
  isStale(stored: unknown): boolean;
}

export function isSealed(value: unknown): value is SealedField {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.v === 1 && typeof v.k === 'string' && typeof v.iv === 'string' && typeof v.tag === 'string' && typeof v.ct === 'string';
}

/** A keyring: `current` seals and opens, each of `old` only opens. */
export function createKeyring(current: DataKey, old: readonly DataKey[] = []): FieldKeyring {
  const keys = new Map<string, Buffer>();
  for (const k of [current, ...old]) {
    if (k.key.length !== KEY_BYTES) throw new Error(`data key ${k.id} must be ${KEY_BYTES} bytes`);
    const known = keys.get(k.id);
    if (known && !known.equals(k.key)) throw new Error(`two different data keys have the id ${k.id}`);
    if (!known) keys.set(k.id, k.key);
  }
  return {
    currentId: current.id,
    seal(plain, kind) {
      sealObserver?.(plain, kind);
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(current.id));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return { v: 1, k: current.id, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), ct: ct.toString('base64') };
    },
    open(stored) {
      if (typeof stored === 'string') return stored;
      if (!isSealed(stored)) throw new FieldDecryptError('an encrypted field is not in a known format');
      const key = keys.get(stored.k);
      if (!key) throw new FieldDecryptError(`an encrypted field was sealed with data key "${stored.k}", which is neither DATA_KEY nor in DATA_KEYS_OLD`);
      const iv = Buffer.from(stored.iv, 'base64');
      const tag = Buffer.from(stored.tag, 'base64');
      if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new FieldDecryptError(`an encrypted field (key "${stored.k}") is damaged: bad IV or tag length`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, iv);
        decipher.setAAD(Buffer.from(stored.k));
        decipher.setAuthTag(tag);
        return Buffer.concat([decipher.update(Buffer.from(stored.ct, 'base64')), decipher.final()]).toString('utf8');
      } catch {
        throw new FieldDecryptError(`an encrypted field (key "${stored.k}") failed its integrity check: it was changed, or the key with this id is not the one that sealed it`);
      }
    },
    isStale: (stored) => typeof stored === 'string' || (isSealed(stored) && stored.k !== current.id),
  };
}

/** The keyring from the configuration's keys. */
export function keyringFromConfig(dataKey: DataKey, oldKeys: readonly DataKey[] = []): FieldKeyring {
  return createKeyring(dataKey, oldKeys);
}

/**
 * The key kept under DATA_DIR when no DATA_KEY is set outside production: made once, read at every
 * start, so data sealed with it survives restarts. `created` says it was made just now.
 */
export function loadOrCreateLocalKey(dataDir: string): { key: DataKey; file: string; created: boolean } {
  const file = path.resolve(dataDir, 'data-key');
  if (existsSync(file)) return { key: parseKeySpec(readFileSync(file, 'utf8')), file, created: false };
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(KEY_BYTES);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key: { id: keyIdOf(key), key }, file, created: true };
}

// The process's keyring: set once at start-up (main.ts); the stores read it when they seal or open.
let processKeyring: FieldKeyring | undefined;
/**
 * A fixed, public key for processes that set none: tests, benchmarks, the demo and the fuzzers, whose
 * databases are throw-away (and whose child processes must read each other's data). Never production:
 * main.ts always sets the real key, and without one a production process refuses to seal or open.
 */
const UNSET_KEY: DataKey = { id: 'unset', key: createHash('sha256').update('microwish: no DATA_KEY set (tests and scripts only)').digest() };

export function useFieldKeyring(keyring: FieldKeyring): void {
  processKeyring = keyring;
}

/** The keyring set at start-up; outside production, when none was set, the fixed key above. */
export function fieldKeyring(): FieldKeyring {
  if (processKeyring) return processKeyring;
  if (process.env.NODE_ENV === 'production') throw new Error('No data key: main.ts sets one from DATA_KEY at start-up (useFieldKeyring)');
  return (processKeyring = createKeyring(UNSET_KEY));
}

/** Seals a private value with the process keyring. */
export const encryptField = (plain: string, keyring: FieldKeyring = fieldKeyring()): SealedField => keyring.seal(plain);
/** Opens a stored private value (a plain string from before encryption is returned as is). */
export const decryptField = (stored: unknown, keyring: FieldKeyring = fieldKeyring()): string => keyring.open(stored);
