import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildTestApp } from './build-test-app';
import { removeTestTempRoot, TEST_TEMP_ROOT_ENV, testOutdir } from './test-temp-root';

describe('test temp root', () => {
  it('is set up for the run, and the test apps write their cloud assemblies under it', () => {
    const root = process.env[TEST_TEMP_ROOT_ENV];
    expect(root).toBeDefined();
    expect(existsSync(root as string)).toBe(true);
    const { app } = buildTestApp();
    expect(app.outdir.startsWith(`${root}${path.sep}cdk.out`)).toBe(true);
    expect(path.dirname(testOutdir('prescale-bundling-'))).toBe(root);
  });

  it("holds the workers' temp directory, so files written there go with it", () => {
    expect(tmpdir()).toBe(process.env[TEST_TEMP_ROOT_ENV]);
  });

  it('is removed with everything in it by the teardown', () => {
    const runRoot = process.env[TEST_TEMP_ROOT_ENV];
    const root = mkdtempSync(path.join(tmpdir(), 'prescale-test-root-check-'));
    try {
      process.env[TEST_TEMP_ROOT_ENV] = root;
      writeFileSync(path.join(testOutdir(), 'manifest.json'), '{}');
      removeTestTempRoot();
      expect(existsSync(root)).toBe(false);
      expect(process.env[TEST_TEMP_ROOT_ENV]).toBeUndefined();
    } finally {
      process.env[TEST_TEMP_ROOT_ENV] = runRoot;
    }
  });
});
