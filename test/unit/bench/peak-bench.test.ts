import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { peaksOnlyProblem } from '../../bench/lib/peak-bench';

describe('peaksOnlyProblem', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'prescale-peaks-'));
    const cloudwatch = path.join(dataDir, 'nab', 'realAWSCloudwatch');
    mkdirSync(cloudwatch, { recursive: true });
    writeFileSync(path.join(cloudwatch, 'ec2_cpu_utilization_77c1ca.csv'), 'timestamp,value\n');
    mkdirSync(path.join(dataDir, 'nab', 'labels'));
    writeFileSync(path.join(dataDir, 'nab', 'labels', 'combined_windows.json'), '{}');
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('has nothing to say without the flag, or when a trace name contains its text', () => {
    expect(peaksOnlyProblem(dataDir, undefined)).toBeUndefined();
    expect(peaksOnlyProblem(dataDir, '77c1ca')).toBeUndefined();
  });

  it('names the flag, its text and where it looked when no trace matches, instead of measuring nothing', () => {
    expect(peaksOnlyProblem(dataDir, '77c1cb')).toBe(
      `--peaks-only "77c1cb": no trace under ${dataDir}/nab has that in its name`,
    );
  });
});
