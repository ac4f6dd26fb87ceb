import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { userConfigSchema } from '../../../../shared/contracts/user-config';
import { buildScenario } from '../../../../shared/simulation/run/build-scenario';
import { prescaleConfig } from '../../../../shared/simulation/run/prescale-config';

describe('buildScenario', () => {
  it('evaluates a week after a week of history by default for the built-in workload', () => {
    const s = buildScenario({ seed: 1 });
    expect(s.trace.stepSeconds).toBe(60);
    expect(s.evalStartMs - s.trace.startMs).toBe(7 * 86_400_000);
    expect(s.evalEndMs - s.evalStartMs).toBe(7 * 86_400_000);
    expect(s.maxSize).toBeGreaterThan(10);
  });

  it('rescales a trace file so its peak needs the requested instances and splits history from evaluation', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'trace-'));
    const file = path.join(dir, 'bytes.csv');
    const rows = Array.from(
      { length: 4 * 288 },
      (_, i) =>
        `${new Date(Date.UTC(2014, 0, 1) + i * 300_000).toISOString()},${1e6 * (1 + (i % 288) / 100)}`,
    );
    writeFileSync(file, ['timestamp,value', ...rows].join('\n'));
    const s = buildScenario({ seed: 1, traceFile: file, peakInstances: 10 });
    expect(Math.max(...s.trace.values)).toBeCloseTo(600, 6);
    expect(s.evalStartMs - s.trace.startMs).toBeCloseTo(2 * 86_400_000, -6);
    expect(s.source).toBe(file);
  });

  it('keeps a burn-in within the warm-up and names the field of one that is not', () => {
    expect(buildScenario({ seed: 1, warmupDays: 2, days: 1 }).burnInMinutes).toBeUndefined();
    expect(buildScenario({ seed: 1, warmupDays: 2, days: 1, burnInMinutes: 60 }).burnInMinutes).toBe(60);
    expect(() => buildScenario({ seed: 1, warmupDays: 2, days: 1, burnInMinutes: 3 * 1440 })).toThrow(
      /^scenario\.burnInMinutes: expected a whole number of minutes ≥ 0 within the warm-up history, got 4320$/,
    );
    expect(() => buildScenario({ seed: 1, warmupDays: 2, days: 1, burnInMinutes: 2.5 })).toThrow(RangeError);
  });

  it('deploys Prescale planning for daily peaks only when asked', () => {
    const planned = (planForDailyPeaks?: boolean) =>
      userConfigSchema.parse(
        prescaleConfig(
          buildScenario({ seed: 1, days: 1, ...(planForDailyPeaks ? { planForDailyPeaks } : {}) }),
        ),
      ).defaults.planForDailyPeaks;
    expect(planned()).toBe(false);
    expect(planned(true)).toBe(true);
  });

  it("tells Prescale the scenario's SLO, which a run at another target keeps", () => {
    const scenario = buildScenario({ seed: 1, days: 1 });
    const { defaults } = userConfigSchema.parse(prescaleConfig(scenario));
    expect(defaults.sloLoadPerInstance).toBe(scenario.targetLoadPerInstance);
    expect(defaults.targetLoadPerInstance).toBe(scenario.targetLoadPerInstance);
  });
});
