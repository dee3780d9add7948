import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

const running = new Set<ChildProcess>();

/** Kills every child still running, so a failed test never leaves jest waiting on one. */
export function killChildren(): void {
  for (const child of running) child.kill('SIGKILL');
}

/** Runs a TypeScript file in a fresh Node process through tsx. */
export function spawnTs(file: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve(ROOT, file), ...args], {
    cwd: ROOT,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/** Collects a child's output and resolves when a line matches (or rejects when it exits first). */
export function watchOutput(child: ChildProcess) {
  let out = '';
  const waiters: Array<{ test: (s: string) => boolean; resolve: (line: string) => void; reject: (e: Error) => void }> = [];
  const check = () => {
    for (const w of [...waiters]) {
      const line = out.split('\n').find(w.test);
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  };
  child.stdout!.on('data', (b: Buffer) => ((out += b.toString()), check()));
  child.stderr!.on('data', (b: Buffer) => ((out += b.toString()), check()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      for (const w of waiters.splice(0)) w.reject(new Error(`process exited (${code}) before the expected output:\n${out}`));
      resolve(code);
    }),
  );
  return {
    output: () => out,
    exited,
    waitForLine(test: (line: string) => boolean): Promise<string> {
      return new Promise((resolve, reject) => {
        waiters.push({ test, resolve, reject });
        check();
      });
    },
  };
}
