import { formatReport, fuzzApi, FuzzTarget, startFuzzTarget } from '../../scripts/fuzz/api';
import { useTestDatabase } from '../support/db';

// A small fixed-seed run of `npm run fuzz:api` (scripts/fuzz/api.ts): generated hostile requests over
// real sockets against the real app, server and database. The full run is the script's (1000+).
describe('the API under generated hostile requests', () => {
  const db = useTestDatabase();
  let target: FuzzTarget;
  beforeAll(async () => {
    target = await startFuzzTarget(db);
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('200 requests from a fixed seed: no 5xx, no hang, every error answer in the JSON shape, nothing unexpected logged', async () => {
    const report = await fuzzApi(target, { seed: 424242, runs: 200, timeoutMs: 10_000, concurrency: 4 });
    // On failure the diff shows each failing request as sent, and the whole report.
    expect(report.failures.map((f) => `#${f.index} ${f.problem}\n${f.request}`)).toEqual([]);
    expect({ fiveXX: report.fiveXX, hangs: report.hangs, badShape: report.badShape, appErrors: report.appErrors, report: formatReport(report) }).toEqual(
      expect.objectContaining({ fiveXX: 0, hangs: 0, badShape: 0, appErrors: 0 }),
    );
    // Not a trivial run: the generator reached the handlers, not only the edge.
    const count = (status: string) => report.byStatus.get(status) ?? 0;
    expect(count('200') + count('201')).toBeGreaterThan(0);
    expect(count('400')).toBeGreaterThan(0);
  });
});
