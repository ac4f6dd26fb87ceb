import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RUN_ROOT_ENV } from '../../shared/simulation/run/kept-bundles';

/** Names the run's temp root to every Jest worker (workers inherit the environment of setup). */
export const TEST_TEMP_ROOT_ENV = RUN_ROOT_ENV;

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

/**
 * Gives each test of the calling `describe` a run root of its own (a new directory, as a run's
 * would be), removed after the test, the run's own root restored (or unset, where there was
 * none); @returns a reader of the current test's root.
 */
export function withOwnTestTempRoot(prefix: string): () => string {
  const runRoot = process.env[TEST_TEMP_ROOT_ENV];
  let root = '';
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), prefix));
    process.env[TEST_TEMP_ROOT_ENV] = root;
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    if (runRoot === undefined) delete process.env[TEST_TEMP_ROOT_ENV];
    else process.env[TEST_TEMP_ROOT_ENV] = runRoot;
  });
  return () => root;
}
