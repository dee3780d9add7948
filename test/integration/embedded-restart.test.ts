import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectDatabase } from '../../src/db/connection';
import { superviseFerretdb } from '../../src/db/embedded';
import { ensureFerretdbBinary, startFerretdb } from '../../src/db/ferretdb';

// The embedded FerretDB of `npm start` (no MONGODB_URI) is restarted when its process dies. This test
// runs a FerretDB of its own; the run's shared server is never touched.

describe('the embedded FerretDB supervisor', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'supervised-ferretdb-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('restarts FerretDB on the same port with the same data when its process dies, waiting longer after each quick death, and logs it', async () => {
    const bin = await ensureFerretdbBinary(() => undefined);
    const logs: string[] = [];
    const delays: number[] = [];
    let restarted: (() => void) | undefined;
    const supervised = await superviseFerretdb({
      start: (port) => startFerretdb({ bin, dataDir, port }),
      log: (msg) => {
        logs.push(msg);
        if (msg.includes('restarted')) restarted?.();
      },
      // The delays are recorded and the restart made at once: the test waits for events, not time.
      setTimer: (fn, ms) => {
        delays.push(ms);
        const t = setImmediate(fn);
        return { cancel: () => clearImmediate(t) };
      },
    });
    const conn = await connectDatabase({ uri: supervised.uri, dbName: 'supervised' });
    try {
      await conn.db!.collection('notes').insertOne({ _id: 'kept' as never, text: 'survives a crash' });
      for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
        const back = new Promise<void>((resolve) => (restarted = resolve));
        const before = supervised.current();
        process.kill(before.pid, signal);
        await back;
        expect(supervised.current().pid).not.toBe(before.pid);
        expect(supervised.current().port).toBe(before.port);
      }
      // The driver finds it where it was: same port, same data.
      expect(await conn.db!.collection('notes').findOne({ _id: 'kept' as never })).toMatchObject({ text: 'survives a crash' });
      expect(supervised.restarts()).toBe(2);
      // The second death came seconds after the first restart: it waited longer.
      expect(delays).toEqual([2000, 4000]);
      expect(logs.filter((l) => l.includes('exited'))).toHaveLength(2);
    } finally {
      await conn.close();
      await supervised.stop();
    }
  }, 120_000);
});
