import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { mergeStoredRuns, parseStoredRun, readStoredRuns } from '../../bench/lib/stored-runs';

const point = (
  policy: string,
  knob: string,
  costUsd: number,
  sloViolationMinutes: number,
  isDefault = false,
) => ({
  policy,
  knob,
  isDefault,
  costUsd,
  sloViolationMinutes,
  instanceHours: costUsd * 10,
});
type Point = ReturnType<typeof point>;
const run = (
  traces: { name: string; points: Point[]; warmupDays?: number; seed?: number }[],
  warmPool = false,
  burnInMinutes = 0,
) => ({
  description: 'a run',
  warmPool,
  burnInMinutes,
  traces: traces.map((t) => ({ evaluatedDays: 1, ...t })),
});

describe('parseStoredRun', () => {
  it('reads what bench:frontier --json writes, leaving out the stored comparison', () => {
    const stored = { ...run([{ name: 'a', points: [point('reactive', 'target 60 %', 5, 20, true)] }]) };
    const text = JSON.stringify({ ...stored, traces: stored.traces.map((t) => ({ ...t, comparison: {} })) });
    expect(parseStoredRun(text, 'run.json')).toEqual(stored);
  });

  it('reads a run written before the burn-in option as a cold start (0 minutes)', () => {
    const { burnInMinutes: _, ...older } = run([
      { name: 'a', points: [point('reactive', 'target 60 %', 5, 20)] },
    ]);
    expect(parseStoredRun(JSON.stringify(older), 'old.json').burnInMinutes).toBe(0);
  });

  it('names the file for text that is not JSON, and every bad field with its path', () => {
    expect(() => parseStoredRun('{"traces": [', 'run.json')).toThrow(
      /^run\.json: not a bench:frontier --json file/,
    );
    const bad = run([{ name: 'a', points: [{ ...point('prescale', 'target 60 %', 1, 3), costUsd: -1 }] }]);
    const { instanceHours: _, ...noHours } = point('prescale', 'target 70 %', 4, 3);
    bad.traces[0]?.points.push(noHours as Point);
    expect(() => parseStoredRun(JSON.stringify(bad), 'bad.json')).toThrow(
      /bench:frontier run bad\.json: 2 problem\(s\)\n {2}- traces\.0\.points\.0\.costUsd: .*>=0.*\n {2}- traces\.0\.points\.1\.instanceHours: /,
    );
  });
});

describe('mergeStoredRuns', () => {
  const reactive = point('reactive', 'target 60 %', 5, 20, true);
  const prescale = point('prescale', 'target 60 %', 5.1, 8, true);
  const lean = point('prescale', 'target 60 %, scale-in ahead at the target', 4.9, 9);

  it("merges each trace's points by name in the order first seen, a setting both runs measured once", () => {
    const merged = mergeStoredRuns([
      {
        file: 'grid.json',
        run: run([
          { name: 'a', points: [reactive, prescale] },
          { name: 'b', points: [reactive] },
        ]),
      },
      {
        file: 'lean.json',
        run: run([
          { name: 'b', points: [reactive, lean] },
          { name: 'a', points: [reactive, lean] },
        ]),
      },
    ]);
    expect(merged.warmPool).toBe(false);
    expect(merged.traces.map((t) => [t.name, t.points])).toEqual([
      ['a', [reactive, prescale, lean]],
      ['b', [reactive, lean]],
    ]);
  });

  it('refuses runs that disagree on a setting, naming the trace, the setting and both files', () => {
    const dearer = { ...prescale, costUsd: 5.2 };
    expect(() =>
      mergeStoredRuns([
        { file: 'grid.json', run: run([{ name: 'a', points: [reactive, prescale] }]) },
        { file: 'lean.json', run: run([{ name: 'a', points: [lean] }]) },
        { file: 'other.json', run: run([{ name: 'a', points: [dearer] }]) },
      ]),
    ).toThrow('a, prescale / target 60 %: other.json measured $5.2, 8 min; grid.json $5.1, 8 min');
    expect(() =>
      mergeStoredRuns([{ file: 'one.json', run: run([{ name: 'a', points: [prescale, dearer] }]) }]),
    ).toThrow(/one\.json measured \$5\.2, 8 min; one\.json \$5\.1/);
  });

  it('refuses runs of another window or another warm pool setting', () => {
    expect(() =>
      mergeStoredRuns([
        { file: 'd11.json', run: run([{ name: 'a', points: [reactive], warmupDays: 10 }]) },
        { file: 'd13.json', run: run([{ name: 'a', points: [reactive], warmupDays: 12 }]) },
      ]),
    ).toThrow('a: d13.json evaluated another window than d11.json');
    expect(() =>
      mergeStoredRuns([
        { file: 's1.json', run: run([{ name: 'a', points: [reactive], seed: 1 }]) },
        { file: 's2.json', run: run([{ name: 'a', points: [reactive], seed: 2 }]) },
      ]),
    ).toThrow('a: s2.json evaluated another window than s1.json');
    expect(() =>
      mergeStoredRuns([
        { file: 'cold.json', run: run([{ name: 'a', points: [reactive] }]) },
        { file: 'warm.json', run: run([{ name: 'a', points: [reactive] }], true) },
      ]),
    ).toThrow('warm.json ran with warm pools, cold.json did not');
    expect(() =>
      mergeStoredRuns([
        { file: 'cold.json', run: run([{ name: 'a', points: [reactive] }]) },
        { file: 'burnt.json', run: run([{ name: 'a', points: [prescale] }], false, 60) },
      ]),
    ).toThrow('burnt.json ran a burn-in of 60 min before each window, cold.json 0 min');
    expect(() => mergeStoredRuns([])).toThrow(/no stored run/);
  });

  it('keeps the burn-in the runs share', () => {
    const merged = mergeStoredRuns([
      { file: 'a.json', run: run([{ name: 'a', points: [reactive] }], false, 60) },
      { file: 'b.json', run: run([{ name: 'a', points: [prescale] }], false, 60) },
    ]);
    expect(merged.burnInMinutes).toBe(60);
    expect(merged.traces[0]?.points).toEqual([reactive, prescale]);
  });
});

describe('readStoredRuns', () => {
  it('reads and merges the files', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'stored-runs-'));
    const [a, b] = [path.join(dir, 'a.json'), path.join(dir, 'b.json')];
    writeFileSync(
      a,
      JSON.stringify(run([{ name: 't', points: [point('reactive', 'target 60 %', 5, 20, true)] }])),
    );
    writeFileSync(b, JSON.stringify(run([{ name: 't', points: [point('static', '3 instances', 4, 50)] }])));
    expect(readStoredRuns([a, b]).traces[0]?.points.map((p) => p.knob)).toEqual([
      'target 60 %',
      '3 instances',
    ]);
  });
});
