import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Names the run's temp root to every Jest worker (workers inherit the environment of setup). */
export const TEST_TEMP_ROOT_ENV = 'PRESCALE_TEST_TMPDIR';

/**
 * Jest's global setup: one directory for everything the run's tests write to disk (the CDK apps'
 * cloud assemblies, a few MB each). CDK's default is a new `cdk.out*` directory in the system temp
 * directory per `App`, which nothing removes: a few hundred per `npm test`.
 */
export function createTestTempRoot(): void {
  process.env[TEST_TEMP_ROOT_ENV] = mkdtempSync(path.join(tmpdir(), 'prescale-test-'));
}

/**
 * Jest's global teardown: removes the run's temp root and all it holds, and unsets it (a process
 * started afterwards must not inherit a root that is gone).
 */
export function removeTestTempRoot(): void {
  const root = process.env[TEST_TEMP_ROOT_ENV];
  if (root) rmSync(root, { recursive: true, force: true });
  delete process.env[TEST_TEMP_ROOT_ENV];
}

/**
 * A new, empty directory under the run's temp root (the system temp directory when a test runs
 * without the setup), for one CDK app's `outdir`.
 */
export function testOutdir(prefix = 'cdk.out'): string {
  return mkdtempSync(path.join(process.env[TEST_TEMP_ROOT_ENV] ?? tmpdir(), prefix));
}
