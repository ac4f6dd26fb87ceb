import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import {
  MAX_SEED,
  MIN_SEED,
  parseCliArgs,
  CLI_HELP as SIMULATE_HELP,
} from '../../../shared/simulation/parse-cli-args';
import { FRONTIER_HELP, FRONTIER_OPTIONS, frontierArgs } from '../../bench/lib/frontier-args';

const parse = (...args: string[]) =>
  frontierArgs(parseArgs({ args, options: FRONTIER_OPTIONS, strict: true, allowPositionals: false }).values);

describe('frontierArgs', () => {
  it('runs without warm pools, seed 1 and peak 40 by default', () => {
    const args = parse();
    expect(args).toMatchObject({
      traces: [],
      seeds: [1],
      peakInstances: 40,
      warmPool: false,
      mergeDuplicates: true,
    });
    expect(args.prescaleCappedTargets).toBeUndefined();
  });

  it('runs on every core by default and on the processes asked for, a whole number ≥ 1', () => {
    expect(parse().workers).toBe(availableParallelism());
    expect(parse('--workers', '3').workers).toBe(3);
    for (const bad of ['0', '1.5', 'two', '', ' ', '0x10', '1e1'])
      expect(() => parse('--workers', bad)).toThrow(
        `--workers expects a whole number ≥ 1 in decimal digits, got ${JSON.stringify(bad)}`,
      );
    expect(() => parse('--points', 'a.json', '--workers', '2')).toThrow('--workers');
  });

  it('reads --metric-delay as whole minutes ≥ 1, absent by default, and not beside --points', () => {
    expect(parse().metricDelayMinutes).toBeUndefined();
    expect(parse('--metric-delay', '3').metricDelayMinutes).toBe(3);
    for (const bad of ['0', '1.5', 'two', '0x10'])
      expect(() => parse('--metric-delay', bad)).toThrow(
        `--metric-delay expects whole minutes ≥ 1 in decimal digits, got ${JSON.stringify(bad)}`,
      );
    expect(() => parse('--points', 'a.json', '--metric-delay', '2')).toThrow('--metric-delay');
    expect(FRONTIER_HELP).toMatch(/--metric-delay N/);
  });

  it('reads --deregistration-delay as whole seconds 0–3600, absent by default, and not beside --points', () => {
    expect(parse().deregistrationDelaySeconds).toBeUndefined();
    expect(parse('--deregistration-delay', '300').deregistrationDelaySeconds).toBe(300);
    expect(() => parse('--deregistration-delay', '1.5')).toThrow(
      '--deregistration-delay expects whole seconds from 0 to 3600 in decimal digits, got "1.5"',
    );
    expect(() => parse('--points', 'a.json', '--deregistration-delay', '300')).toThrow(
      '--deregistration-delay',
    );
    expect(FRONTIER_HELP).toMatch(/--deregistration-delay S/);
  });

  it('gives every group a warm pool with --warm-pool', () => {
    expect(parse('--warm-pool', '--days', '1').warmPool).toBe(true);
    expect(FRONTIER_HELP).toMatch(/--warm-pool/);
  });

  it('reads repeated traces, lists and "none"', () => {
    const args = parse(
      '--trace',
      'a.csv',
      '--trace',
      'b.csv',
      '--prescale-targets',
      '60,70',
      '--prescale-capped-targets',
      'none',
      '--prescale-recurring-peak-targets',
      'none',
      '--prescale-recent-load-hold-targets',
      '70,80',
      '--prescale-scale-in-only-targets',
      '65,70',
      '--prescale-lean-scale-in-targets',
      '58,60',
      '--oracle-targets',
      '58,60',
    );
    expect(args).toMatchObject({
      traces: ['a.csv', 'b.csv'],
      prescaleTargets: [60, 70],
      prescaleCappedTargets: [],
      prescaleRecurringPeakTargets: [],
      prescaleRecentLoadHoldTargets: [70, 80],
      prescaleScaleInOnlyTargets: [65, 70],
      prescaleLeanScaleInTargets: [58, 60],
      oracleTargets: [58, 60],
    });
    expect(parse('--prescale-scale-in-only-targets', 'none').prescaleScaleInOnlyTargets).toEqual([]);
    expect(parse().prescaleScaleInOnlyTargets).toBeUndefined();
    expect(FRONTIER_HELP).toMatch(/--prescale-scale-in-only-targets LIST\|none/);
    expect(parse('--prescale-lean-scale-in-targets', 'none').prescaleLeanScaleInTargets).toEqual([]);
    expect(parse().prescaleLeanScaleInTargets).toBeUndefined();
    expect(FRONTIER_HELP).toMatch(/--prescale-lean-scale-in-targets LIST\|none/);
    expect(parse('--prescale-floor-kept-targets', 'none').prescaleFloorKeptTargets).toEqual([]);
    expect(parse('--prescale-floor-kept-targets', '55,60').prescaleFloorKeptTargets).toEqual([55, 60]);
    expect(FRONTIER_HELP).toMatch(/--prescale-floor-kept-targets LIST\|none/);
    expect(parse('--prescale-no-steady-hold-targets', 'none').prescaleNoSteadyHoldTargets).toEqual([]);
    expect(parse('--prescale-no-steady-hold-targets', '58,60').prescaleNoSteadyHoldTargets).toEqual([58, 60]);
    expect(FRONTIER_HELP).toMatch(/--prescale-no-steady-hold-targets LIST\|none/);
    expect(parse('--oracle-targets', 'none').oracleTargets).toEqual([]);
    expect(parse('--prescale-recent-load-hold-targets', 'none').prescaleRecentLoadHoldTargets).toEqual([]);
    expect(parse().prescaleRecentLoadHoldTargets).toBeUndefined();
    expect(parse().oracleTargets).toBeUndefined();
  });

  it('reads the holds as distinct whole minutes in 1–1440, each optionally @ a quantile, naming the flag otherwise', () => {
    expect(parse('--prescale-recent-load-hold-minutes', '60,240').prescaleRecentLoadHolds).toEqual([
      { minutes: 60 },
      { minutes: 240 },
    ]);
    expect(parse('--prescale-recent-load-hold-minutes', '1440,1440@0.75').prescaleRecentLoadHolds).toEqual([
      { minutes: 1440 },
      { minutes: 1440, quantile: 0.75 },
    ]);
    expect(parse().prescaleRecentLoadHolds).toBeUndefined();
    for (const bad of ['1441', '0', '30.5', '60,60', 'x', '60@0', '60@1.5', '60@x', '60@0.5@0.6', '@0.5'])
      expect(() => parse('--prescale-recent-load-hold-minutes', bad)).toThrow(
        /--prescale-recent-load-hold-minutes expects/,
      );
    expect(FRONTIER_HELP).toMatch(/--prescale-recent-load-hold-minutes LIST/);
  });

  it('reads one warm-up as a list of one and a comma-separated list in the order given', () => {
    expect(parse('--warmup-days', '7').warmupDays).toEqual([7]);
    expect(parse('--warmup-days', '12,7,3.3').warmupDays).toEqual([12, 7, 3.3]);
    expect(parse().warmupDays).toBeUndefined();
    expect(FRONTIER_HELP).toMatch(/--warmup-days N\|LIST/);
  });

  it('reads one seed as a list of one and several in the order given, whole and distinct', () => {
    expect(parse('--seed', '3').seeds).toEqual([3]);
    expect(parse('--seed', '2,1,5').seeds).toEqual([2, 1, 5]);
    expect(() => parse('--seed', '1,1')).toThrow('--seed expects distinct values, got 1 twice in 1,1');
    for (const bad of ['1.5', '-1', '', ' ', '0x10', '1e3', '4294967296'])
      expect(() => parse('--seed', `2,${bad}`)).toThrow(
        `--seed expects whole numbers from 0 to 4294967295 in decimal digits, got ${JSON.stringify(bad)}`,
      );
    expect(FRONTIER_HELP).toMatch(/--seed N\|LIST/);
  });

  it('takes every seed simulate takes, 0 and 2^32 − 1 included, and no other', () => {
    expect(parse('--seed', '0,4294967295').seeds).toEqual([MIN_SEED, MAX_SEED]);
    expect(parseCliArgs(['--seed', '0'])).toMatchObject({ seed: 0 });
    expect(FRONTIER_HELP).toMatch(/--seed N\|LIST +simulation seed, 0–4294967295 /);
    expect(SIMULATE_HELP).toMatch(
      /--seed N +seed of the workload and of all simulated randomness, 0–4294967295\./,
    );
  });

  it('starts each window cold by default and after the burn-in asked for', () => {
    expect(parse().burnInMinutes).toBe(0);
    expect(parse('--burn-in-minutes', '60').burnInMinutes).toBe(60);
    expect(FRONTIER_HELP).toMatch(/--burn-in-minutes N/);
  });

  it.each([
    [
      ['--burn-in-minutes=-5'],
      '--burn-in-minutes expects whole minutes from 0 to 1440 in decimal digits, got "-5"',
    ],
    [
      ['--burn-in-minutes', '7.5'],
      '--burn-in-minutes expects whole minutes from 0 to 1440 in decimal digits, got "7.5"',
    ],
    [
      ['--burn-in-minutes', '1441'],
      '--burn-in-minutes expects whole minutes from 0 to 1440 in decimal digits, got "1441"',
    ],
    [
      ['--burn-in-minutes', ' '],
      '--burn-in-minutes expects whole minutes from 0 to 1440 in decimal digits, got " "',
    ],
    [
      ['--burn-in-minutes', '0x10'],
      '--burn-in-minutes expects whole minutes from 0 to 1440 in decimal digits, got "0x10"',
    ],
    [
      ['--warmup-days', '0'],
      /--warmup-days expects days as a decimal number, at least one simulated minute \(0.000694\), got "0"/,
    ],
    [['--warmup-days', '7,-1'], /--warmup-days expects days .* got "-1"/],
    [['--warmup-days', '7,ten'], /--warmup-days expects days .* got "ten"/],
    [['--warmup-days', '7,1e-9'], /--warmup-days expects days .* got "1e-9"/],
    [['--warmup-days', '7,'], /--warmup-days expects days .* got ""/],
    [['--warmup-days', '7,10,7.0'], /--warmup-days expects distinct values, got 7 twice in 7,10,7.0/],
    [['--prescale-step', '600'], /--prescale-step expects 300 or 3600, got 600/],
    [
      ['--days', '0'],
      '--days expects days as a decimal number, at least 60 simulated minutes (0.041667), got "0"',
    ],
    [
      ['--days', '1e-9'],
      '--days expects days as a decimal number, at least 60 simulated minutes (0.041667), got "1e-9"',
    ],
    [
      ['--days', ' '],
      '--days expects days as a decimal number, at least 60 simulated minutes (0.041667), got " "',
    ],
    [['--peak-instances', ''], '--peak-instances expects a positive decimal number (e.g. 40 or 2.5), got ""'],
    [
      ['--peak-instances', '0x10'],
      '--peak-instances expects a positive decimal number (e.g. 40 or 2.5), got "0x10"',
    ],
    [
      ['--oracle-targets', '60,x'],
      '--oracle-targets expects a positive decimal number (e.g. 40 or 2.5), got "x"',
    ],
    [['--targets', '60,0x40'], '--targets expects a positive decimal number (e.g. 40 or 2.5), got "0x40"'],
    [
      ['--prescale-lean-scale-in-targets', '60,0'],
      '--prescale-lean-scale-in-targets expects a positive decimal number (e.g. 40 or 2.5), got "0"',
    ],
    [
      ['--prescale-scale-in-only-targets', '70,-5'],
      '--prescale-scale-in-only-targets expects a positive decimal number (e.g. 40 or 2.5), got "-5"',
    ],
    [['--planning-quantile', '0x1'], /--planning-quantile expects a number in \(0.5, 0.99\]/],
    [
      ['--prescale-recent-load-hold-minutes', '0x10'],
      /--prescale-recent-load-hold-minutes expects whole minutes/,
    ],
    [
      ['--prescale-recent-load-hold-minutes', '60@ '],
      /--prescale-recent-load-hold-minutes expects a quantile/,
    ],
    [['--planning-quantile', '0.5'], /--planning-quantile expects a number in \(0.5, 0.99\]/],
    // Above the highest quantile the forecast gives, every Prescale run of the sweep would fail.
    [['--planning-quantile', '0.995'], /--planning-quantile expects a number in \(0.5, 0.99\].*got 0.995/],
    [['--prescale-quantile-cap', '0.995'], /--prescale-quantile-cap expects a number in \(0.5, 0.99\]/],
    [['--prescale-defaults', '[1]'], /--prescale-defaults expects a JSON object/],
  ])('rejects %j naming the flag', (argv, message) => {
    expect(() => parse(...argv)).toThrow(message);
  });

  it('reads stored runs to compare again with --points, only beside --json and --report', () => {
    expect(parse().points).toEqual([]);
    expect(
      parse('--points', 'a.json', '--points', 'b.json', '--json', 'c.json', '--report', 'r.html'),
    ).toMatchObject({
      points: ['a.json', 'b.json'],
      json: 'c.json',
      report: 'r.html',
    });
    expect(() => parse('--points', 'a.json', '--trace', 'x.csv', '--days', '1')).toThrow(
      /--points compares stored runs and runs nothing; it takes only --json and --report, got --trace, --days/,
    );
    expect(() => parse('--points', 'a.json', '--warm-pool')).toThrow(/got --warm-pool/);
    // A stored run says its own burn-in; a re-read cannot change it.
    expect(() => parse('--points', 'a.json', '--burn-in-minutes', '60')).toThrow(/got --burn-in-minutes/);
    expect(FRONTIER_HELP).toMatch(/--points FILE/);
  });

  it('reads Prescale from CloudWatch CPU by default and from the history source asked for', () => {
    expect(parse().prescaleHistory).toBe('cloudwatch-cpu');
    expect(parse('--prescale-history', 'timestream').prescaleHistory).toBe('timestream');
    expect(() => parse('--prescale-history', 'influx')).toThrow(/prescale-history/);
  });

  it('rejects an unknown option and a value given to --warm-pool', () => {
    expect(() => parse('--warm-pools')).toThrow(/Unknown option '--warm-pools'/);
    expect(() => parse('--warm-pool=yes')).toThrow(/does not take an argument/);
  });
});
