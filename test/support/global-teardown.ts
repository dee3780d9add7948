import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__testDatabase?.stop();
  if (globalThis.__privacyScanDir) rmSync(globalThis.__privacyScanDir, { recursive: true, force: true });
}
