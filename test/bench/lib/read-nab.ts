import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { LoadObservation } from '../../../shared/core/forecast/types';

/** One NAB CloudWatch trace with its labelled anomaly windows (epoch ms, UTC). */
export interface NabTrace {
  readonly file: string;
  readonly observations: LoadObservation[];
  readonly windows: { readonly startMs: number; readonly endMs: number }[];
}

const parseTime = (s: string): number => Date.parse(`${s.trim().replace(' ', 'T').slice(0, 19)}Z`);

/** Reads every realAWSCloudwatch CSV and its windows, or returns undefined if absent. */
export function readNab(dataDir: string): NabTrace[] | undefined {
  const dir = path.join(dataDir, 'nab', 'realAWSCloudwatch');
  const labels = path.join(dataDir, 'nab', 'labels', 'combined_windows.json');
  if (!existsSync(dir) || !existsSync(labels)) return undefined;
  const windows = JSON.parse(readFileSync(labels, 'utf8')) as Record<string, [string, string][]>;
  return readdirSync(dir)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((file) => {
      const observations = readFileSync(path.join(dir, file), 'utf8')
        .split('\n')
        .slice(1)
        .filter((l) => l.trim() !== '')
        .map((line) => {
          const [time, value] = line.split(',');
          return { timestampMs: parseTime(time ?? ''), value: Number(value) };
        });
      const labelled = windows[`realAWSCloudwatch/${file}`] ?? [];
      return {
        file,
        observations,
        windows: labelled.map(([start, end]) => ({ startMs: parseTime(start), endMs: parseTime(end) })),
      };
    });
}
