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
        `--metric-delay expects whole minutes ≥ 1 in decimal digits, got ${JSON.stringify(bad)}`,
      );
    expect(SCALING_USAGE).toMatch(/--metric-delay N/);
  });

  it('reads --deregistration-delay as whole seconds 0–3600 and leaves the recorded (no drain) section alone', () => {
    expect(parse('--deregistration-delay', '300')).toMatchObject({
      deregistrationDelaySeconds: 300,
      write: false,
    });
    expect(() => parse('--deregistration-delay', '3601')).toThrow(
      '--deregistration-delay expects whole seconds from 0 to 3600 in decimal digits, got "3601"',
    );
    expect(SCALING_USAGE).toMatch(/--deregistration-delay S/);
  });

  it('names the flag of a bad peak or worker count, read strictly', () => {
    for (const bad of ['0', '', ' ', '0x10', '1e2'])
      expect(() => parse('--peak-instances', bad)).toThrow(
        `--peak-instances expects a positive decimal number (e.g. 40 or 2.5), got ${JSON.stringify(bad)}`,
      );
    for (const bad of ['1.5', '', ' ', '0x10'])
      expect(() => parse('--workers', bad)).toThrow(
        `--workers expects a whole number ≥ 1 in decimal digits, got ${JSON.stringify(bad)}`,
      );
  });

  it('leaves the recorded whole-set table alone for a subset of traces or another peak, saying why', () => {
    expect(parse('--only', 'ec2_cpu')).toMatchObject({
      only: 'ec2_cpu',
      write: false,
      notRecorded: '--only ec2_cpu',
    });
    expect(parse('--peak-instances', '20', '--metric-delay', '2')).toMatchObject({
      write: false,
      notRecorded: '--peak-instances 20, --metric-delay 2',
    });
    // The worker count changes how long the run takes, not its figures.
    expect(parse('--workers', '2', '--peak-instances', '40')).toEqual({
      write: true,
      peakInstances: 40,
      workers: 2,
    });
    expect(SCALING_USAGE).toMatch(/--only SUBSTRING .*\n.*implies --no-write/);
  });

  it("puts the delay on every trace's scenario, which every policy run builds its world from", () => {
    const trace = { seed: 1, warmupDays: 2, days: 0.25 };
    expect(
      buildScenario(scalingScenarioOptions(parse('--metric-delay', '3'), trace)).metricDelayMinutes,
    ).toBe(3);
    expect(buildScenario(scalingScenarioOptions(parse(), trace)).metricDelayMinutes).toBeUndefined();
  });

  it("puts the drain on every trace's scenario, and none without the flag", () => {
    const trace = { seed: 1, warmupDays: 2, days: 0.25 };
    const drainOf = (...flags: string[]) =>
      buildScenario(scalingScenarioOptions(parse(...flags), trace)).deregistrationDelaySeconds;
    expect(drainOf('--deregistration-delay', '300')).toBe(300);
    expect(drainOf()).toBeUndefined();
  });
});
