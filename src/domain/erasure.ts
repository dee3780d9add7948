import { Language } from './community';
import { Category, ConsentAnswer, ConsentPurpose, WishStatus } from './wish/types';

// A resident's data, and its erasure. /mydata shows what is stored about a person; /erase asks for
// it to be erased, and a worker of their community confirms. Erasure deletes their personal details
// (profile, links, sessions, intakes, assessments, messages to and about them) and rewrites their
// wishes' history with an anonymous placeholder in their place, so the wishes and the ledger stay
// whole: the one exception to wish events being append-only. The rules for an event are here (pure);
// src/db/erasure.ts applies them to every store.

/** The outbox source of an erasure request's messages to workers (they name the resident: blanked by the erasure). */
export const erasureSource = (token: string) => `erasure:${token}`;

/** The outbox source of an intake's messages to workers (the resident's words and first name). */
export const intakeSource = (intakeId: string) => `intake:${intakeId}`;

/** What stands in for the erased person in the history: an actor id, a donor id, a recipient. */
export const ERASED_ID = 'erased';
/** What an erased text (a message, a title made of their words) reads afterwards. */
export const ERASED_TEXT = '(erased)';

/** One wish a person is the linked resident of, as /mydata shows it to them (private fields theirs to see). */
export interface ResidentWish {
  code: string;
  title: string;
  status: WishStatus;
  alias: string;
  /** What they agreed to for this wish, by purpose. */
  consents: Array<{ purpose: ConsentPurpose; answer: ConsentAnswer }>;
  name?: string;
  contact?: string;
  notes?: string;
}

/** Everything stored about one person, for /mydata. */
export interface ResidentData {
  telegramId: number;
  profile?: { name: string; username?: string; language?: Language; donorName?: string };
  wishes: ResidentWish[];
  intakes: Array<{ at: Date; words?: string; voice: boolean; status: string }>;
  /** Messages they sent through the bot: when, and about which wish. */
  messages: Array<{ at: Date; code: string }>;
  pledges: Array<{ code: string; category: Category; unit?: string; amount: number; status: string; at: Date }>;
  assessments: number;
  /** Volunteer teams they are in (and lead), with the slots they signed up for and the hours confirmed. */
  teams?: Array<{ name: string; lead: boolean; slots: number; minutes: number }>;
  /** Directory entries they offered (their name there, and its state). */
  offers?: Array<{ name: string; state: string }>;
  /** An erasure they asked for and that is not done yet. */
  erasureAskedAt?: Date;
}

/** What an erasure removed or rewrote, by kind (counts only). */
export interface ErasureSummary {
  wishes: string[];
  events: number;
  intakes: number;
  assessments: number;
  outbox: number;
  other: number;
}

/** Who is erased, and what of theirs the history may hold. */
export interface ErasureTarget {
  /** `tg:<telegram id>`: their actor, donor and recipient id. */
  actorId: string;
  /** Whether the wish's beneficiary is them (they are its linked resident). */
  beneficiary: boolean;
  /** Their words and details, to find where the history repeats them (a title made of an intake's words). */
  secrets: readonly string[];
}

type Doc = Record<string, unknown>;
/** A plain object (not an array, a date or a driver's type). */
const isRecord = (v: unknown): v is Doc => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** Whether a plain text repeats one of the secrets (or is a clipped start of one, as a title made of words is). */
export function repeatsSecret(text: string, secrets: readonly string[]): boolean {
  const core = text.replace(/…$/, '').trim();
  return secrets.some((s) => distinctive(s) && (text.includes(s) || (core.length >= 8 && s.includes(core))));
}

/** Long enough to search for: three characters, or two of Chinese (a two-character name is common; "Li" is in every word). */
function distinctive(s: string): boolean {
  return s.length >= 3 || (s.length === 2 && /[^ -~]/.test(s));
}

/** Every value equal to the id replaced by the placeholder, anywhere in a document (sealed values are left as they are). */
function replaceId(value: unknown, id: string): unknown {
  if (value === id) return ERASED_ID;
  if (Array.isArray(value)) return value.map((v) => replaceId(v, id));
  if (!isRecord(value) || value.v === 1) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceId(v, id)]));
}

/**
 * A stored wish event (private fields still sealed) with the person taken out, or null when it holds
 * nothing of theirs. Their id becomes the placeholder and their name goes; what they said and what was
 * said to them reads "(erased)"; a `created` event of their wish loses the beneficiary's name, contact
 * and notes; a pledge of theirs keeps its amount but no name. Texts repeating their words are erased.
 */
export function scrubEvent(doc: Doc, target: ErasureTarget): Doc | null {
  let out = replaceId(doc, target.actorId) as Doc;
  const actor = isRecord(doc.actor) ? doc.actor : undefined;
  const theirs = actor?.id === target.actorId;
  if (theirs && isRecord(out.actor)) {
    const { name: _name, ...rest } = out.actor;
    out = { ...out, actor: { ...rest, id: ERASED_ID } };
  }
  const toThem = isRecord(doc.to) && doc.to.id === target.actorId;
  if (doc.type === 'message' && (theirs || toThem)) out = { ...out, text: ERASED_TEXT };
  if (doc.type === 'pledged' && doc.donorId === target.actorId) {
    const { displayName: _d, ...rest } = out;
    out = { ...rest, anonymous: true };
  }
  if (doc.type === 'created' && isRecord(out.wish)) {
    let wish = out.wish;
    if (target.beneficiary && isRecord(wish.beneficiary)) {
      const { name: _n, contact: _c, notes: _no, ...beneficiary } = wish.beneficiary;
      wish = { ...wish, beneficiary };
    }
    out = { ...out, wish: eraseRepeats(wish, ['title', 'description'], target.secrets) };
  }
  if (doc.type === 'edited' && isRecord(out.changes)) out = { ...out, changes: eraseRepeats(out.changes, ['title', 'description'], target.secrets) };
  // Consent: a worker's note of what they said in person goes with them; a card shown to them keeps no words of theirs.
  if (doc.type === 'consent' && target.beneficiary && typeof out.note === 'string') out = { ...out, note: ERASED_TEXT };
  if ((doc.type === 'consent' || doc.type === 'consent_asked') && typeof out.card === 'string' && repeatsSecret(out.card, target.secrets)) out = { ...out, card: ERASED_TEXT };
  if ((doc.type === 'cancelled' || doc.type === 'withdrawn' || doc.type === 'released') && typeof out.reason === 'string' && repeatsSecret(out.reason, target.secrets)) {
    out = { ...out, reason: ERASED_TEXT };
  }
  return JSON.stringify(out) === JSON.stringify(doc) ? null : out;
}

function eraseRepeats(obj: Doc, fields: readonly string[], secrets: readonly string[]): Doc {
  const out = { ...obj };
  for (const f of fields) if (typeof out[f] === 'string' && repeatsSecret(out[f], secrets)) out[f] = ERASED_TEXT;
  return out;
}
