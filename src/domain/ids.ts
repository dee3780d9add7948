import { randomBytes } from 'node:crypto';

// Crockford base32 without I, L, O, U: readable aloud and on an old phone's screen.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export function randomCode(length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

export function randomId(prefix: string): string {
  return `${prefix}_${randomCode(12).toLowerCase()}`;
}
