import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fieldKeyring } from '../../src/db/field-crypto';
import { PRIVACY_SCAN_TEST } from '../support/privacy-environment';
import { recordGroupCall, testLogger } from '../support/privacy-record';
import { describeLeaks, scanScope } from '../support/privacy-scan';

const ROOT = path.resolve(__dirname, '..', '..');
const NOTES = 'Mrs Wang <3rd floor> & needs rice';
const WORDS = 'I need a warm coat for winter';

describe('privacy scan', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'privacy-scan-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (file: string, lines: unknown[]) => writeFileSync(path.join(dir, file), lines.map((l) => `${JSON.stringify(l)}\n`).join(''));

  it('finds a sealed value in a log line and in a group message, HTML-escaped too', () => {
    write('sealed-1.jsonl', [{ kind: 'notes', value: NOTES }, { kind: 'intake-words', value: WORDS }, { kind: 'name', value: 'Wang' }]);
    write('log-1.ndjson', [{ level: 30, msg: 'sent', detail: `x ${NOTES} y` }, { level: 30, msg: 'Wang was here' }]);
    write('group-2.jsonl', [{ method: 'sendMessage', params: { chat_id: -5, text: `<b>${NOTES.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</b>` } }]);
    const leaks = scanScope(dir);
    expect(leaks.map((l) => [l.kind, l.where, l.file])).toEqual([
      ['notes', 'group', 'group-2.jsonl'],
      ['notes', 'log', 'log-1.ndjson'],
    ]);
    expect(describeLeaks(leaks)).toContain(JSON.stringify(NOTES));
  });

  it('lets intake words into a group message but not into a log line', () => {
    write('sealed-1.jsonl', [{ kind: 'intake-words', value: WORDS }]);
    write('group-1.jsonl', [{ method: 'sendMessage', params: { chat_id: -5, text: `New wish: ${WORDS}` } }]);
    expect(scanScope(dir)).toEqual([]);
    write('log-1.ndjson', [{ level: 30, title: WORDS }]);
    expect(scanScope(dir).map((l) => [l.kind, l.where])).toEqual([['intake-words', 'log']]);
    // The same words kept meanwhile in the intake flow's session draft, as `notes`, are still the resident's words.
    write('sealed-2.jsonl', [{ kind: 'notes', value: ` ${WORDS}` }]);
    expect(scanScope(dir).map((l) => [l.kind, l.where])).toEqual([['intake-words', 'log']]);
  });

  it('records what this process seals, logs and posts to a group while a scope is set', () => {
    const before = process.env.PRIVACY_SCAN_SCOPE;
    process.env.PRIVACY_SCAN_SCOPE = dir;
    try {
      fieldKeyring().seal(NOTES, 'contact');
      testLogger().debug({ detail: NOTES }, 'a line at debug still counts');
      recordGroupCall('sendMessage', { chat_id: 42, text: NOTES }); // a private chat: not a group message
    } finally {
      if (before === undefined) delete process.env.PRIVACY_SCAN_SCOPE;
      else process.env.PRIVACY_SCAN_SCOPE = before;
    }
    expect(scanScope(dir).map((l) => [l.kind, l.where])).toEqual([['contact', 'log']]);
  });

  it('reports a leak as a failed test of the file that leaked', () => {
    const results = path.join(dir, 'results.json');
    const config = {
      rootDir: ROOT,
      roots: ['<rootDir>/test/support'],
      testMatch: ['**/privacy-leak.fixture.ts'],
      transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
      testEnvironment: '<rootDir>/test/support/privacy-environment.ts',
      setupFilesAfterEnv: ['<rootDir>/test/support/privacy-setup.ts'],
    };
    const env: NodeJS.ProcessEnv = { ...process.env, PRIVACY_SCAN_DIR: path.join(dir, 'scan') };
    delete env.PRIVACY_SCAN_SCOPE;
    const run = spawnSync(process.execPath, [require.resolve('jest/bin/jest'), '--config', JSON.stringify(config), '--ci', '--json', `--outputFile=${results}`], { cwd: ROOT, env, encoding: 'utf8' });
    expect(run.status).toBe(1);
    const r = JSON.parse(readFileSync(results, 'utf8')) as { numPassedTests: number; numFailedTests: number; success: boolean; testResults: Array<{ assertionResults: Array<{ title: string; status: string; failureMessages: string[] }> }> };
    expect([r.numPassedTests, r.numFailedTests, r.success]).toEqual([1, 1, false]);
    const failed = r.testResults[0]!.assertionResults.find((a) => a.status === 'failed')!;
    expect(failed.title).toBe(PRIVACY_SCAN_TEST);
    expect(failed.failureMessages.join('\n')).toMatch(/notes "Mrs Example, flat 4B, needs a walker" in a group message[\s\S]*notes "Mrs Example, flat 4B, needs a walker" in a log line/);
  });
});
