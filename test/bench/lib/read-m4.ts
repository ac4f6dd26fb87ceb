import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** One M4 series: its id, training values and the 48 test values. */
export interface M4Series {
  readonly id: string;
  readonly train: number[];
  readonly test: number[];
}

/** Reads the M4 Hourly train/test CSVs from `dataDir/m4-hourly`, or returns undefined if absent. */
export function readM4(dataDir: string): M4Series[] | undefined {
  const trainPath = path.join(dataDir, 'm4-hourly', 'Hourly-train.csv');
  const testPath = path.join(dataDir, 'm4-hourly', 'Hourly-test.csv');
  if (!existsSync(trainPath) || !existsSync(testPath)) return undefined;
  const parse = (file: string): Map<string, number[]> => {
    const rows = new Map<string, number[]>();
    const lines = readFileSync(file, 'utf8').split('\n').slice(1);
    for (const line of lines) {
      if (line.trim() === '') continue;
      const fields = line.split(',').map((f) => f.replace(/"/g, ''));
      const id = fields[0] as string;
      rows.set(
        id,
        fields
          .slice(1)
          .filter((f) => f !== '')
          .map(Number),
      );
    }
    return rows;
  };
  const train = parse(trainPath);
  const test = parse(testPath);
  return [...train.entries()].map(([id, values]) => ({ id, train: values, test: test.get(id) ?? [] }));
}
