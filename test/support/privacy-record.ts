// Writes what the privacy scan (test/support/privacy-scan.ts) reads, into PRIVACY_SCAN_SCOPE when set.
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import pino, { DestinationStream, Logger } from 'pino';
import { observeSeals } from '../../src/db/field-crypto';
import { createLogger } from '../../src/logger';
import { MIN_SCANNED_LENGTH } from './privacy-scan';

const scope = () => process.env.PRIVACY_SCAN_SCOPE;
const fileIn = (dir: string, prefix: string, ext: string) => {
  mkdirSync(dir, { recursive: true });
  return path.join(dir, `${prefix}-${process.pid}.${ext}`);
};

/** From now on, every value this process seals is written to the scope (a no-op outside a scanned run). */
export function recordSeals(): void {
  observeSeals((value, kind) => {
    const dir = scope();
    if (dir && value.trim().length >= MIN_SCANNED_LENGTH) appendFileSync(fileIn(dir, 'sealed', 'jsonl'), `${JSON.stringify({ kind: kind ?? 'private', value })}\n`);
  });
}

/** The fake Bot API calls this for each call it answers: the ones to a group are written to the scope. */
export function recordGroupCall(method: string, params: Record<string, unknown>): void {
  const dir = scope();
  if (!dir || !(Number(params.chat_id) < 0)) return;
  appendFileSync(fileIn(dir, 'group', 'jsonl'), `${JSON.stringify({ method, params })}\n`);
}

/**
 * The service's own logger (src/logger.ts, which strips what a line must never carry) for tests:
 * `level` (default silent) to `destination` as before, and, in a scanned run, every line at trace to
 * the scope as well. Written synchronously, so a SIGKILLed child's lines are on disk too.
 */
export function testLogger(level = 'silent', destination?: DestinationStream): Logger {
  const dir = scope();
  if (!dir) return createLogger(level, destination);
  const file = fileIn(dir, 'log', 'ndjson');
  // Opened and closed for each line: no descriptor left open by the many loggers a run builds.
  const streams: pino.StreamEntry[] = [{ level: 'trace', stream: { write: (line: string) => appendFileSync(file, line) } }];
  if (level !== 'silent') streams.push({ level: level as pino.Level, stream: destination ?? pino.destination(1) });
  return createLogger('trace', pino.multistream(streams));
}

