// The privacy scan (issue 13): no private field in any group message or log line of the test run.
// While a test file runs, PRIVACY_SCAN_SCOPE names a directory of its own (test/support/privacy-environment.ts
// sets it; the test's child processes inherit it). Into it this process, and each child, append
// (test/support/privacy-record.ts):
//   sealed-<pid>.jsonl  every value sealed as a private field, with its kind (src/db/field-crypto.ts observeSeals)
//   log-<pid>.ndjson    every log line, at level trace, of the loggers tests build with testLogger()
//   group-<pid>.jsonl   every call the fake Bot API answered for a group chat (negative chat_id)
// After the file's last hook, scanScope() looks for each sealed value in its logs and group messages.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** Shorter values ("ok", "Alice") would match by chance. */
export const MIN_SCANNED_LENGTH = 6;
/** Kinds that may be shown in a group: intake words become a wish's public title once the resident agrees. */
export const MAY_BE_IN_A_GROUP: ReadonlySet<string> = new Set(['intake-words']);

export interface Leak {
  kind: string;
  value: string;
  /** Where it was found: a log line or a group message, in which file, which line. */
  where: 'log' | 'group';
  file: string;
  line: string;
}

/** Every string in a parsed line, keys too: parsed, so a value with quotes or newlines reads as it was written. */
function stringsOf(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) stringsOf(x, out);
  else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      stringsOf(x, out);
    }
  }
  return out;
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** How a value may show: as is, HTML-escaped (parse_mode HTML), and for a long one its opening words. */
function formsOf(value: string): string[] {
  const v = value.trim();
  const forms = new Set([v, escapeHtml(v)]);
  if (v.length > 40) for (const start of [v.slice(0, 30), escapeHtml(v.slice(0, 30))]) forms.add(start);
  return [...forms];
}

const readLines = (file: string) => readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');

/** Each sealed value found in a log line or (unless its kind may be public) a group message of the scope. */
export function scanScope(dir: string): Leak[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).sort();
  // Each value (trimmed) with its kinds: one sealed as intake words may be in a group even when it was
  // also sealed as another kind (the intake flow keeps the words in its session draft's `notes`).
  const sealed = new Map<string, Set<string>>();
  for (const f of files.filter((f) => f.startsWith('sealed-'))) {
    for (const line of readLines(path.join(dir, f))) {
      const { kind, value } = JSON.parse(line) as { kind: string; value: string };
      const v = value.trim();
      if (v.length < MIN_SCANNED_LENGTH) continue;
      sealed.set(v, (sealed.get(v) ?? new Set<string>()).add(kind));
    }
  }
  if (sealed.size === 0) return [];
  const needles = [...sealed].map(([value, kinds]) => {
    const groupSafe = [...kinds].find((k) => MAY_BE_IN_A_GROUP.has(k));
    return { value, kind: groupSafe ?? [...kinds][0]!, mayBeInAGroup: groupSafe !== undefined, forms: formsOf(value) };
  });
  const leaks: Leak[] = [];
  const seen = new Set<string>();
  for (const f of files) {
    const where = f.startsWith('log-') ? 'log' : f.startsWith('group-') ? 'group' : undefined;
    if (!where) continue;
    for (const line of readLines(path.join(dir, f))) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = line; // a line cut short by a SIGKILL: scanned as it is
      }
      const text = stringsOf(parsed).join('\n');
      for (const n of needles) {
        if (where === 'group' && n.mayBeInAGroup) continue;
        if (!n.forms.some((form) => text.includes(form))) continue;
        const key = `${where}\u0000${n.value}`;
        if (seen.has(key)) continue;
        seen.add(key);
        leaks.push({ kind: n.kind, value: n.value, where, file: f, line: line.length > 500 ? `${line.slice(0, 500)}…` : line });
      }
    }
  }
  return leaks;
}

/** A failure message naming each leak. */
export function describeLeaks(leaks: readonly Leak[]): string {
  return [
    `privacy scan: ${leaks.length} private value(s) in a ${[...new Set(leaks.map((l) => (l.where === 'log' ? 'log line' : 'group message')))].join(' / ')}:`,
    ...leaks.map((l) => `  ${l.kind} ${JSON.stringify(l.value)} in a ${l.where === 'log' ? 'log line' : 'group message'} (${l.file}):\n    ${l.line}`),
  ].join('\n');
}
