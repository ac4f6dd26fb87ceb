import { availableParallelism } from 'node:os';
import { CliUsageError, parseCliArgs } from '../../../shared/simulation/parse-cli-args';

describe('parseCliArgs', () => {
  it('defaults to the built-in workload, every policy and reports/simulation.html', () => {
    expect(parseCliArgs([])).toEqual({
      policies: ['prescale', 'reactive', 'ec2-predictive', 'static', 'oracle'],
      reportFile: 'reports/simulation.html',
      seed: 1,
      mergeDuplicates: false,
      warmPool: false,
      planForDailyPeaks: false,
      workers: availableParallelism(),
    });
    expect(parseCliArgs(['--plan-for-daily-peaks'])).toMatchObject({ planForDailyPeaks: true });
  });

  it('reads the number of worker processes and rejects one below 1', () => {
    expect(parseCliArgs(['--workers', '1'])).toMatchObject({ workers: 1 });
    for (const bad of ['0', '', ' ', '0x10', '1e1', '+2', '1.5'])
      expect(() => parseCliArgs(['--workers', bad])).toThrow(
        `--workers expects a whole number ≥ 1 in decimal digits, got ${JSON.stringify(bad)}`,
      );
  });

  it('reads a CloudWatch publication delay in whole minutes, and none by default', () => {
    expect(parseCliArgs(['--metric-delay', '2'])).toMatchObject({ metricDelayMinutes: 2 });
    for (const bad of ['1.5', '0', '', '0x10', '1e1'])
      expect(() => parseCliArgs(['--metric-delay', bad])).toThrow(
        `--metric-delay expects whole minutes ≥ 1 in decimal digits, got ${JSON.stringify(bad)}`,
      );
  });

  it("reads a target group's deregistration delay in whole seconds, 0 to 3600 as ELB allows, and none by default", () => {
    expect(parseCliArgs(['--deregistration-delay', '300'])).toMatchObject({
      deregistrationDelaySeconds: 300,
    });
    expect(parseCliArgs(['--deregistration-delay', '0'])).toMatchObject({ deregistrationDelaySeconds: 0 });
    expect(parseCliArgs([])).not.toHaveProperty('deregistrationDelaySeconds');
    for (const bad of ['3601', '1.5', 'five', '', '0x10', '3e2'])
      expect(() => parseCliArgs(['--deregistration-delay', bad])).toThrow(
        `--deregistration-delay expects whole seconds from 0 to 3600 in decimal digits, got ${JSON.stringify(bad)}`,
      );
  });

  it('refuses a publication delay when every policy asked for reads no CloudWatch data', () => {
    expect(() => parseCliArgs(['--metric-delay', '2', '--policy', 'static', '--policy', 'oracle'])).toThrow(
      /--metric-delay changes only prescale, reactive and ec2-predictive.*static and oracle read none/,
    );
    expect(parseCliArgs(['--metric-delay', '2', '--policy', 'oracle', '--policy', 'reactive'])).toMatchObject(
      {
        metricDelayMinutes: 2,
      },
    );
  });

  it('reads repeated policies, files and numbers', () => {
    expect(
      parseCliArgs([
        '--trace',
        'a.csv',
        '--policy',
        'reactive',
        '--policy',
        'oracle',
        '--json',
        'o.json',
        '--seed',
        '3',
        '--days',
        '2',
      ]),
    ).toMatchObject({
      traceFile: 'a.csv',
      policies: ['reactive', 'oracle'],
      jsonFile: 'o.json',
      seed: 3,
      days: 2,
    });
    expect(parseCliArgs(['--help'])).toBe('help');
  });

  it('reads a seed of whole decimal digits up to 2^32 − 1, the 32 bits the generator keeps', () => {
    expect(parseCliArgs(['--seed', '0'])).toMatchObject({ seed: 0 });
    expect(parseCliArgs(['--seed', '4294967295'])).toMatchObject({ seed: 4294967295 });
    for (const bad of ['', ' ', '0x10', '1e3', '+1', '1 ', '4294967296'])
      expect(() => parseCliArgs(['--seed', bad])).toThrow(
        `--seed expects a whole number from 0 to 4294967295 in decimal digits, got "${bad}"`,
      );
  });

  it('reads --days as a plain decimal of at least the hour an evaluated window needs', () => {
    expect(parseCliArgs(['--days', '0.05'])).toMatchObject({ days: 0.05 });
    expect(parseCliArgs(['--days', '.5'])).toMatchObject({ days: 0.5 });
    for (const bad of ['1e-9', '0.01', '0', '', ' ', '0x10', '1e1', 'two', '+1'])
      expect(() => parseCliArgs(['--days', bad])).toThrow(
        `--days expects days as a decimal number, at least 60 simulated minutes (0.041667), got ${JSON.stringify(bad)}`,
      );
  });

  it('reads --warmup-days as a plain decimal of at least one simulated minute, the step', () => {
    expect(parseCliArgs(['--warmup-days', '7'])).toMatchObject({ warmupDays: 7 });
    expect(parseCliArgs(['--warmup-days', '0.0007'])).toMatchObject({ warmupDays: 0.0007 });
    for (const bad of ['1e-9', '0.0001', '0', '', ' ', '0x10'])
      expect(() => parseCliArgs(['--warmup-days', bad])).toThrow(
        `--warmup-days expects days as a decimal number, at least one simulated minute (0.000694), got ${JSON.stringify(bad)}`,
      );
  });

  it('reads --peak-instances as a positive plain decimal', () => {
    expect(parseCliArgs(['--trace', 'a.csv', '--peak-instances', '2.5'])).toMatchObject({
      peakInstances: 2.5,
    });
    for (const bad of ['0', '', ' ', '0x10', '1e2', '-1'])
      expect(() => parseCliArgs(['--trace', 'a.csv', `--peak-instances=${bad}`])).toThrow(
        `--peak-instances expects a positive decimal number (e.g. 40 or 2.5), got ${JSON.stringify(bad)}`,
      );
  });

  it('reads --start as an ISO 8601 date and time with Z or an offset, as the docs show', () => {
    expect(parseCliArgs(['--trace', 'a.csv', '--start', '2014-10-20T00:00:00Z'])).toMatchObject({
      startIso: '2014-10-20T00:00:00Z',
    });
    expect(parseCliArgs(['--trace', 'a.csv', '--start', '2014-10-20T02:00:00.5+02:00'])).toMatchObject({
      startIso: '2014-10-20T02:00:00.5+02:00',
    });
    for (const bad of ['1', '2014-10-20', '2014-10-20T00:00:00', '2014-02-30T00:00:00Z', 'monday'])
      expect(() => parseCliArgs(['--trace', 'a.csv', '--start', bad])).toThrow(
        `--start expects an ISO 8601 date and time with Z or an offset (e.g. 2014-10-13T00:00:00Z), got "${bad}"`,
      );
  });

  it('refuses the trace options without --trace, which the built-in workload would ignore', () => {
    expect(() => parseCliArgs(['--start', '2014-10-20T00:00:00Z'])).toThrow(
      new CliUsageError('--start applies to --trace only; the built-in workload ignores it'),
    );
    expect(() => parseCliArgs(['--peak-instances', '40', '--merge-duplicates'])).toThrow(
      new CliUsageError(
        '--peak-instances and --merge-duplicates apply to --trace only; the built-in workload ignores them',
      ),
    );
    expect(parseCliArgs(['--trace', 'a.csv', '--peak-instances', '40', '--merge-duplicates'])).toMatchObject({
      peakInstances: 40,
      mergeDuplicates: true,
    });
  });

  it.each([
    [['--policy', 'magic'], /--policy magic is not a policy/],
    [['--seed=-1'], /--seed expects a whole number from 0 to 4294967295 in decimal digits, got "-1"/],
    [['--seed', '-1'], /'--seed' argument is ambiguous/],
    [['--seed', '1.5'], /--seed expects a whole number/],
    [['--trace'], /'--trace <value>' argument missing/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['extra'], /Unexpected argument 'extra'/],
    [['--prescale-step', '60'], /300 or 3600/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseCliArgs(argv)).toThrow(CliUsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
