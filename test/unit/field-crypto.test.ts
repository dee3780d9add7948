import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createKeyring, decryptField, encryptField, FieldDecryptError, isSealed, keyIdOf, loadOrCreateLocalKey, parseKeySpec, SealedField } from '../../src/db/field-crypto';
import { openDocument, resealUpdate, sealDocument } from '../../src/db/private-fields';

const keyA = { id: 'a', key: Buffer.alloc(32, 1) };
const keyB = { id: 'b', key: Buffer.alloc(32, 2) };

/** `s` with one base64 character of `field` changed to another valid one. */
function tamper(s: SealedField, field: 'ct' | 'iv' | 'tag'): SealedField {
  const bytes = Buffer.from(s[field], 'base64');
  bytes[0] = bytes[0]! ^ 0x01;
  return { ...s, [field]: bytes.toString('base64') };
}

describe('field encryption (AES-256-GCM)', () => {
  it('round-trips any text, with a fresh IV each time and no plain text in the sealed value', () => {
    const ring = createKeyring(keyA);
    for (const plain of ['', 'Mrs Wang, 138 0013 8000', '王奶奶，3号楼 2单元 — needs rice 🍚', 'x'.repeat(5000)]) {
      const sealed = ring.seal(plain);
      expect(sealed).toEqual({ v: 1, k: 'a', iv: expect.any(String), tag: expect.any(String), ct: expect.any(String) });
      expect(Buffer.from(sealed.iv, 'base64')).toHaveLength(12);
      if (plain.length > 3) expect(JSON.stringify(sealed)).not.toContain(plain.slice(0, 8));
      expect(ring.open(sealed)).toBe(plain);
    }
    const [one, two] = [ring.seal('same'), ring.seal('same')];
    expect(one.iv).not.toBe(two.iv);
    expect(one.ct).not.toBe(two.ct);
  });

  it('reads a plain string (stored before encryption) as it is', () => {
    expect(createKeyring(keyA).open('written before encryption')).toBe('written before encryption');
  });

  it('detects a changed byte in the text, the IV or the tag, or a changed key id, with a clear error', () => {
    const ring = createKeyring(keyA, [{ id: 'a2', key: keyA.key }]);
    const sealed = ring.seal('private notes');
    for (const field of ['ct', 'iv', 'tag'] as const) {
      expect(() => ring.open(tamper(sealed, field))).toThrow(FieldDecryptError);
      expect(() => ring.open(tamper(sealed, field))).toThrow(/failed its integrity check/);
    }
    // The key id is authenticated too: relabelling a value under another id holding the same key fails.
    expect(() => ring.open({ ...sealed, k: 'a2' })).toThrow(/failed its integrity check/);
    expect(() => ring.open({ ...sealed, tag: sealed.tag.slice(4) })).toThrow(/damaged/);
    expect(() => ring.open({ v: 2, k: 'a', iv: '', tag: '', ct: '' })).toThrow(/not in a known format/);
    expect(() => ring.open(42)).toThrow(FieldDecryptError);
  });

  it('refuses a value sealed under a key it does not have, and a wrong key under the same id', () => {
    const sealed = createKeyring(keyA).seal('secret');
    expect(() => createKeyring(keyB).open(sealed)).toThrow(/sealed with data key "a", which is neither DATA_KEY nor in DATA_KEYS_OLD/);
    expect(() => createKeyring({ id: 'a', key: keyB.key }).open(sealed)).toThrow(/failed its integrity check/);
  });

  it('rotates: old keys still open, the current key seals, and stale values are marked for re-sealing', () => {
    const before = createKeyring(keyA);
    const old = before.seal('notes under A');
    const after = createKeyring(keyB, [keyA]);
    expect(after.open(old)).toBe('notes under A');
    expect(after.isStale(old)).toBe(true);
    expect(after.isStale('plain')).toBe(true);
    const fresh = after.seal('notes under B');
    expect(fresh.k).toBe('b');
    expect(after.isStale(fresh)).toBe(false);
    // Re-sealing a stored document moves old and plain values to the current key.
    const doc = { type: 'created', wish: { title: 't', beneficiary: { alias: 'elder', notes: old, contact: '138 0000 0000' } } };
    const set = resealUpdate(doc, 'event', after)!;
    expect(Object.keys(set).sort()).toEqual(['wish.beneficiary.contact', 'wish.beneficiary.notes']);
    expect((set['wish.beneficiary.notes'] as SealedField).k).toBe('b');
    expect(after.open(set['wish.beneficiary.notes'])).toBe('notes under A');
    expect(after.open(set['wish.beneficiary.contact'])).toBe('138 0000 0000');
    expect(resealUpdate({ beneficiary: { alias: 'x', notes: fresh } }, 'snapshot', after)).toBeNull();
  });

  it('encryptField and decryptField use the process keyring', () => {
    const sealed = encryptField('hello');
    expect(isSealed(sealed)).toBe(true);
    expect(decryptField(sealed)).toBe('hello');
  });

  it('seals only the private fields of a document, and leaves one without them untouched', () => {
    const ring = createKeyring(keyA);
    const snapshot = { title: 'Rice', beneficiary: { alias: 'elderly resident', notes: 'diabetic', name: 'Wang Fang' } };
    const sealed = sealDocument(snapshot, 'snapshot', ring);
    expect(sealed.beneficiary.alias).toBe('elderly resident');
    expect(isSealed(sealed.beneficiary.notes)).toBe(true);
    expect(isSealed(sealed.beneficiary.name)).toBe(true);
    expect(snapshot.beneficiary.notes).toBe('diabetic'); // not mutated
    expect(openDocument(sealed, 'snapshot', ring)).toEqual(snapshot);
    const bare = { title: 'Rice', beneficiary: { alias: 'elderly resident' } };
    expect(sealDocument(bare, 'snapshot', ring)).toBe(bare);
    expect(openDocument(bare, 'snapshot', ring)).toBe(bare);
    const pledged = { type: 'pledged', amount: 1 };
    expect(sealDocument(pledged, 'event', ring)).toBe(pledged);
    const session = { data: { flow: 'newwish', draft: { title: 'x', notes: 'lives alone' } } };
    const sealedSession = sealDocument(session, 'session', ring);
    expect(JSON.stringify(sealedSession)).not.toContain('lives alone');
    expect(openDocument(sealedSession, 'session', ring)).toEqual(session);
  });
});

describe('data keys', () => {
  it('parses hex, base64 and id:key; derives a stable id that is not the key', () => {
    const key = Buffer.alloc(32, 9);
    expect(parseKeySpec(key.toString('hex'))).toEqual({ id: keyIdOf(key), key });
    expect(parseKeySpec(key.toString('base64'))).toEqual({ id: keyIdOf(key), key });
    expect(parseKeySpec(`k1:${key.toString('base64')}`)).toEqual({ id: 'k1', key });
    expect(keyIdOf(key)).not.toContain(key.toString('hex').slice(0, 6));
    expect(() => parseKeySpec(Buffer.alloc(16).toString('base64'))).toThrow(/32 random bytes/);
    expect(() => createKeyring({ id: 'x', key: Buffer.alloc(32, 1) }, [{ id: 'x', key: Buffer.alloc(32, 2) }])).toThrow(/two different data keys have the id x/);
  });

  it('keeps a generated key under the data directory, private to its owner, and reads it back', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'datakey-'));
    try {
      const first = loadOrCreateLocalKey(path.join(dir, 'data'));
      expect(first.created).toBe(true);
      expect(statSync(first.file).mode & 0o777).toBe(0o600);
      const again = loadOrCreateLocalKey(path.join(dir, 'data'));
      expect(again.created).toBe(false);
      expect(again.key).toEqual(first.key);
      expect(readFileSync(first.file, 'utf8').trim()).toBe(first.key.key.toString('base64'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
