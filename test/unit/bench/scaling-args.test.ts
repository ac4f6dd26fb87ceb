import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { buildScenario } from '../../../shared/simulation/run/build-scenario';
import {
  SCALING_OPTIONS,
  SCALING_USAGE,
  scalingArgs,
  scalingScenarioOptions,
} from '../../bench/lib/scaling-args';

const parse = (...args: string[]) =>
  scalingArgs(parseArgs({ args, options: SCALING_OPTIONS, strict: true, allowPositionals: false }).values);

describe('scalingArgs', () => {
  it('runs every trace at peak 40 on every core, writing the section, CloudWatch on time, by default', () => {
    expect(parse()).toEqual({ write: true, peakInstances: 40, workers: availableParallelism() });
  });

  it('reads --metric-delay as whole minutes ≥ 1 and leaves the recorded (undelayed) section alone', () => {
    expect(parse('--metric-delay', '2')).toMatchObject({ metricDelayMinutes: 2, write: false });
    for (const bad of ['0', '1.5', 'two', ''])
      expect(() => parse('--metric-delay', bad)).toThrow(
        `--metric-delay expects whole minutes ≥ 1, got ${bad}`,
      );
    expect(SCALING_USAGE).toMatch(/--metric-delay N/);
  });

  it('names the flag of a bad peak or worker count', () => {
    expect(() => parse('--peak-instances', '0')).toThrow('--peak-instances expects a positive number, got 0');
    expect(() => parse('--workers', '1.5')).toThrow('--workers expects a whole number ≥ 1, got 1.5');
  });

  it("puts the delay on every trace's scenario, which every policy run builds its world from", () => {
    const trace = { seed: 1, warmupDays: 2, days: 0.25 };
    expect(
      buildScenario(scalingScenarioOptions(parse('--metric-delay', '3'), trace)).metricDelayMinutes,
    ).toBe(3);
    expect(buildScenario(scalingScenarioOptions(parse(), trace)).metricDelayMinutes).toBeUndefined();
  });
});
