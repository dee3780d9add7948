import { FuzzTarget, startFuzzTarget } from '../../scripts/fuzz/api';
import { formatConformance, fuzzOpenApi, OpenApiDoc } from '../../scripts/fuzz/openapi';
import { useTestDatabase } from '../support/db';

// A small fixed-seed run of the conformance half of `npm run fuzz:api` (scripts/fuzz/openapi.ts):
// requests generated from the served OpenAPI document, every answer checked against it.
describe('the API against its own OpenAPI document', () => {
  const db = useTestDatabase();
  let target: FuzzTarget;
  beforeAll(async () => {
    target = await startFuzzTarget(db);
  });
  afterAll(async () => {
    await target?.stop();
  });

  it('generated requests (ten per operation, at least 300): no 5xx, only documented statuses, every body valid against the documented schema', async () => {
    const baseUrl = `http://127.0.0.1:${target.port}`;
    const doc = (await (await fetch(`${baseUrl}/api/v1/openapi.json`)).json()) as OpenApiDoc;
    const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((o) => o.operationId));
    const report = await fuzzOpenApi({
      baseUrl,
      doc,
      tokens: [target.adminToken],
      ids: (path, name) => (name === 'communityId' || path.startsWith('/api/v1/communities/') ? target.communityIds : path.includes('/wishes/{id}') ? target.wishIds : []),
      seed: 20261123,
      // Enough that every operation is drawn, however many the API has (about ten each).
      runs: Math.max(300, operations.length * 10),
      concurrency: 4,
      timeoutMs: 30_000,
    });
    expect(report.failures.map((f) => `#${f.index} ${f.problem}\n${f.request}`)).toEqual([]);
    expect({ fiveXX: report.fiveXX, undocumented: report.undocumentedStatus, schemaBreaks: report.schemaBreaks, report: formatConformance(report) }).toEqual(
      expect.objectContaining({ fiveXX: 0, undocumented: 0, schemaBreaks: 0 }),
    );
    // Not a trivial run: some requests got through to a success, some were refused as invalid, and every operation was tried.
    const count = (s: string) => report.byStatus.get(s) ?? 0;
    expect(count('200') + count('201')).toBeGreaterThan(0);
    expect(count('400')).toBeGreaterThan(0);
    expect(operations.filter((id) => !report.byOperation.has(id))).toEqual([]);
  });
});
