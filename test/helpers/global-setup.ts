import { createTestTempRoot, TEST_TEMP_ROOT_ENV } from './test-temp-root';

/**
 * Jest's global setup: the run's temp root, and the workers' temp directory moved into it
 * (`os.tmpdir()` reads `TMPDIR`), so what the tests and the code under test write there (the
 * simulation's handler bundles, the bundle checks' scratch files, child processes' files) goes when
 * the run ends. Workers end without running exit handlers, so removal at exit cannot do it.
 */
export default function setUpTestRun(): void {
  createTestTempRoot();
  process.env.TMPDIR = process.env[TEST_TEMP_ROOT_ENV];
}
