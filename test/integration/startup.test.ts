import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { killChildren, spawnTs, watchOutput } from '../support/processes';

afterAll(killChildren);

const TOKEN = 'ci-admin-token-0123456789';

/** The environment `npm start` would see, minus anything a developer's shell or .env adds. */
function startEnv(over: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, DOTENV_CONFIG_PATH: '/nonexistent/.env' };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) env[k] = v;
  return env;
}

function start(env: NodeJS.ProcessEnv) {
  const child = spawnTs('src/main.ts', [], env);
  return { child, out: watchOutput(child) };
}

describe('starting the service', () => {
  it('with a bad PORT and no BOT_TOKEN, names both variables and exits non-zero', async () => {
    const { out } = start(startEnv({ PORT: 'eighty', MONGODB_URI: 'mongodb://127.0.0.1:1/x' }));
    const code = await out.exited;
    expect(code).not.toBe(0);
    expect(out.output()).toMatch(/^\s*PORT must/m);
    expect(out.output()).toMatch(/^\s*BOT_TOKEN is required/m);
    expect(out.output()).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('with a port out of range, says so and exits non-zero', async () => {
    const { out } = start(startEnv({ PORT: '70000', BOT_TOKEN: '1:abc', MONGODB_URI: 'mongodb://127.0.0.1:1/x' }));
    expect(await out.exited).not.toBe(0);
    expect(out.output()).toMatch(/^\s*PORT must/m);
    expect(out.output()).not.toMatch(/BOT_TOKEN/);
  });

  it('in production without DATA_KEY, names it and exits non-zero', async () => {
    const { out } = start(startEnv({ NODE_ENV: 'production', BOT_TOKEN: '1:abc', MONGODB_URI: 'mongodb://127.0.0.1:1/x' }));
    expect(await out.exited).not.toBe(0);
    expect(out.output()).toMatch(/^\s*DATA_KEY is required with NODE_ENV=production/m);
  });

  describe('without MONGODB_URI', () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), 'microwish-start-'));
    afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

    async function startEmbedded() {
      const s = start(
        startEnv({
          BOT_TOKEN: '123:fake',
          PORT: '0',
          HOST: '127.0.0.1',
          DATA_DIR: dataDir,
          ADMIN_API_TOKEN: TOKEN,
          EMBEDDED_DB: process.env.EMBEDDED_DB,
          LOG_LEVEL: 'info',
        }),
      );
      const line = await s.out.waitForLine((l) => l.includes('HTTP listening'));
      const port = (JSON.parse(line) as { port: number }).port;
      return { ...s, base: `http://127.0.0.1:${port}` };
    }

    async function stop(s: Awaited<ReturnType<typeof startEmbedded>>) {
      s.child.kill('SIGTERM');
      expect(await s.out.exited).toBe(0);
    }

    it('runs on the embedded database, is ready, and keeps a wish across a restart', async () => {
      const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
      const first = await startEmbedded();
      expect(first.out.output()).toMatch(/Database: embedded (FerretDB|MongoDB)/);
      const ready = await fetch(`${first.base}/readyz`);
      expect(ready.status).toBe(200);
      // main.ts wires the sender, the scheduler and the metrics: /readyz and /metrics show them.
      const readiness = (await ready.json()) as { sender: { state: string }; scheduler: { state: string; jobs: Record<string, unknown> } };
      expect(readiness.sender.state).toBe('running');
      expect(readiness.scheduler.state).toBe('running');
      expect(Object.keys(readiness.scheduler.jobs)).toEqual(expect.arrayContaining(['expire', 'digest', 'relay-sweep', 'housekeeping']));
      const metrics = await fetch(`${first.base}/metrics`);
      expect(metrics.status).toBe(200);
      const text = await metrics.text();
      expect(text).toMatch(/^microwish_outbox_pending_items \d+$/m);
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
      const community = (await (
        await fetch(`${first.base}/api/v1/communities`, { method: 'POST', headers: auth, body: JSON.stringify({ name: 'Restart Lane' }) })
      ).json()) as { id: string };
      const created = await fetch(`${first.base}/api/v1/wishes`, {
        method: 'POST',
        headers: auth,
        body: JSON.stringify({
          communityId: community.id,
          title: 'Reading glasses',
          description: 'Reading glasses, +2.5',
          category: 'goods',
          target: 1,
          deadline: new Date(Date.now() + 7 * 86_400_000).toISOString(),
          beneficiary: { alias: 'resident, Building 5', notes: 'Lives alone, flat 5' },
        }),
      });
      expect(created.status).toBe(201);
      const { code } = (await created.json()) as { code: string };
      // No DATA_KEY outside production: a key generated into DATA_DIR, said once in the log.
      expect(first.out.output()).toMatch(/No DATA_KEY: private fields are encrypted with a key generated into/);
      expect(existsSync(path.join(dataDir, 'data-key'))).toBe(true);
      await stop(first);

      const second = await startEmbedded();
      const fetched = await fetch(`${second.base}/api/v1/wishes/${code}`, { headers: auth });
      expect(fetched.status).toBe(200);
      const wish = (await fetched.json()) as { title: string; beneficiary: { notes?: string } };
      expect(wish.title).toBe('Reading glasses');
      // Sealed with the kept key, read back after the restart.
      expect(wish.beneficiary.notes).toBe('Lives alone, flat 5');
      expect(second.out.output()).toMatch(/No DATA_KEY: private fields are encrypted with a key kept in/);
      await stop(second);
    });
  });
});
