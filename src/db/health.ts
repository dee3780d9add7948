import type { Connection } from 'mongoose';
import { Logger } from 'pino';
import { pingDatabase, rebuildClient, serverAcceptsConnections, watchServerDiscovery } from './connection';

/** Whether the database answered its last ping, and since when that has been so. */
export interface DatabaseHealthState {
  up: boolean;
  since: Date;
  /** Pings that failed in a row (0 while up). */
  failures: number;
  /** When the client was last rebuilt by the watchdog, if ever. */
  rebuiltAt?: Date;
}

/** A timer that can be cancelled; tests inject one they fire by hand. */
export type SetTimer = (fn: () => void, ms: number) => { cancel(): void };

export const realTimer: SetTimer = (fn, ms) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return { cancel: () => clearTimeout(t) };
};

export interface DatabaseHealthOptions {
  /** One ping: true when the database answered (never throws, never hangs: pingDatabase). */
  ping(): Promise<boolean>;
  clock: () => Date;
  /** How often to ping (default 5 s; every 1 s while down, so recovery is noticed at once). */
  intervalMs?: number;
  downIntervalMs?: number;
  /** How long the database may be lost before the service calls itself not live (LIVENESS_DB_GRACE_SECONDS). */
  livenessGraceMs: number;
  /**
   * The watchdog: when pings have kept failing for `afterMs` while the server's port accepted
   * connections all along, the driver is presumed stuck and the client is rebuilt (at most once per
   * `afterMs`). The mongodb driver (7.5) can lose a server for good when it stops mid-heartbeat: the
   * monitor's hello never settles, so the server stays Unknown and every command fails server
   * selection with the stale "connection N closed" error. Absent: no watchdog.
   */
  watchdog?: { afterMs: number; serverReachable(): Promise<boolean>; rebuild(): Promise<void> };
  setTimer?: SetTimer;
  logger?: Logger;
}

/**
 * Tracks the database's health with a periodic ping: up or down, and since when. The readiness
 * probe, the liveness probe and main.ts's watchdog all read it, so they agree on what "down" means.
 */
export function createDatabaseHealth(opts: DatabaseHealthOptions) {
  const intervalMs = opts.intervalMs ?? 5_000;
  const downIntervalMs = opts.downIntervalMs ?? 1_000;
  const setTimer = opts.setTimer ?? realTimer;
  let state: DatabaseHealthState = { up: true, since: opts.clock(), failures: 0 };
  let timer: { cancel(): void } | undefined;
  let running = false;
  let checking: Promise<DatabaseHealthState> | undefined;
  let lastRebuild = -Infinity;

  /** Since when the server's port has accepted connections while our pings failed (undefined: it has not). */
  let reachableSince: number | undefined;

  async function watch(now: Date): Promise<void> {
    const dog = opts.watchdog;
    if (!dog || state.up) {
      reachableSince = undefined;
      return;
    }
    // Only a server that is there but does not answer us points at our client; a stopped server is just down.
    if (!(await dog.serverReachable().catch(() => false))) {
      reachableSince = undefined;
      return;
    }
    reachableSince ??= now.getTime();
    if (now.getTime() - reachableSince < dog.afterMs || now.getTime() - lastRebuild < dog.afterMs) return;
    lastRebuild = now.getTime();
    reachableSince = undefined;
    opts.logger?.warn({ downSince: state.since, failures: state.failures }, 'database port accepts connections but pings keep failing; rebuilding the database client');
    try {
      await dog.rebuild();
      state = { ...state, rebuiltAt: opts.clock() };
    } catch (err) {
      opts.logger?.error({ err }, 'rebuilding the database client failed; the watchdog tries again');
    }
  }

  async function runCheck(): Promise<DatabaseHealthState> {
    const ok = await opts.ping().catch(() => false);
    const now = opts.clock();
    if (ok) {
      reachableSince = undefined;
      if (!state.up) opts.logger?.info({ downSince: state.since, downMs: now.getTime() - state.since.getTime() }, 'database reachable again');
      state = state.up ? { ...state, failures: 0 } : { up: true, since: now, failures: 0, ...(state.rebuiltAt ? { rebuiltAt: state.rebuiltAt } : {}) };
    } else {
      if (state.up) opts.logger?.warn('database unreachable');
      state = state.up ? { ...state, up: false, since: now, failures: 1 } : { ...state, failures: state.failures + 1 };
      await watch(now);
    }
    return state;
  }

  /** Pings now (one ping at a time: callers arriving meanwhile share it). */
  function check(): Promise<DatabaseHealthState> {
    checking ??= runCheck().finally(() => {
      checking = undefined;
    });
    return checking;
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimer(() => {
      void check().finally(schedule);
    }, state.up ? intervalMs : downIntervalMs);
  }

  return {
    start(): void {
      if (running) return;
      running = true;
      schedule();
    },
    stop(): void {
      running = false;
      timer?.cancel();
      timer = undefined;
    },
    check,
    state: (): DatabaseHealthState => state,
    /** False once the database has been lost for longer than the grace: an orchestrator should restart us. */
    isLive(): boolean {
      return state.up || opts.clock().getTime() - state.since.getTime() <= opts.livenessGraceMs;
    },
  };
}

export type DatabaseHealth = ReturnType<typeof createDatabaseHealth>;

/**
 * The health tracker of one connection, as main.ts runs it: pings through the connection, and a
 * watchdog that suspects the client only when the driver itself has lost the server while the
 * server's port accepts connections (a slow, busy database whose pings time out is left alone).
 */
export function connectionHealth(
  conn: Connection,
  uri: string,
  opts: { livenessGraceMs: number; watchdogAfterMs?: number; intervalMs?: number; downIntervalMs?: number; logger?: Logger; onRebuild?: () => void },
): DatabaseHealth {
  const discovery = watchServerDiscovery(conn);
  return createDatabaseHealth({
    ping: () => pingDatabase(conn),
    clock: () => new Date(),
    livenessGraceMs: opts.livenessGraceMs,
    intervalMs: opts.intervalMs,
    downIntervalMs: opts.downIntervalMs,
    logger: opts.logger,
    watchdog: {
      afterMs: opts.watchdogAfterMs ?? 15_000,
      serverReachable: async () => !discovery.seesServer() && (await serverAcceptsConnections(uri)),
      rebuild: async () => {
        opts.onRebuild?.();
        await rebuildClient(conn);
      },
    },
  });
}
