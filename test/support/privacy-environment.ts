// Jest's node environment, plus the privacy scan (test/support/privacy-scan.ts) of each test file.
//
// Each file gets a scope directory under PRIVACY_SCAN_DIR (global-setup.ts makes it); the file's own
// process and the children it spawns write what they seal, log and post to groups there. When the
// file has finished (run_finish: after its last afterAll, so its bots and children are stopped), the
// scope is scanned, and a leak is reported as a failed test of that file, "privacy scan". Why a
// test and not a hook or the global teardown: an afterAll error only fails the file (numFailedTests
// stays 0, and it would run before the file's own afterAll stops its bots), and a global teardown
// error stops jest writing its results at all; a failed test is counted like any other (.ci/run).
// The test is added to jest-circus's state as its own tests are (the shape of jest 30's makeTest).
import type { EnvironmentContext, JestEnvironmentConfig } from '@jest/environment';
import type { Circus } from '@jest/types';
import { TestEnvironment } from 'jest-environment-node';
import path from 'node:path';
import { describeLeaks, scanScope } from './privacy-scan';

export const PRIVACY_SCAN_TEST = 'privacy scan: no private field in a group message or a log line';

export default class PrivacyScanEnvironment extends TestEnvironment {
  private readonly scope: string | undefined;

  constructor(config: JestEnvironmentConfig, context: EnvironmentContext) {
    super(config, context);
    const root = process.env.PRIVACY_SCAN_DIR;
    if (!root) return;
    const name = path.relative(config.globalConfig.rootDir, context.testPath).replace(/[^A-Za-z0-9._-]+/g, '_');
    this.scope = path.join(root, name);
    // The test's process.env is a copy: set in both, so children spawned with either inherit it.
    process.env.PRIVACY_SCAN_SCOPE = this.scope;
    this.global.process.env.PRIVACY_SCAN_SCOPE = this.scope;
  }

  async handleTestEvent(event: Circus.AsyncEvent, state: Circus.State): Promise<void> {
    if (event.name !== 'run_finish' || !this.scope) return;
    const leaks = scanScope(this.scope);
    if (leaks.length === 0) return;
    const error = new Error(describeLeaks(leaks));
    error.stack = error.message;
    const root = state.rootDescribeBlock;
    root.children.push({
      type: 'test',
      asyncError: error,
      concurrent: false,
      duration: 0,
      errors: [error],
      failing: false,
      fn: () => undefined,
      invocations: 1,
      mode: undefined,
      name: PRIVACY_SCAN_TEST,
      numPassingAsserts: 0,
      parent: root,
      retryReasons: [],
      seenDone: false,
      startedAt: Date.now(),
      status: 'done',
      timeout: undefined,
      unhandledRejectionErrorByPromise: new Map(),
    } as Circus.TestEntry);
  }

  override async teardown(): Promise<void> {
    if (process.env.PRIVACY_SCAN_SCOPE === this.scope) delete process.env.PRIVACY_SCAN_SCOPE;
    await super.teardown();
  }
}
