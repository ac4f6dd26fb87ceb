import { InvalidConfigError, parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';

const parse = (input: unknown) => parseConfig(userConfigSchema, input, 'config');

function problemsOf(input: unknown) {
  try {
    parse(input);
  } catch (error) {
    if (error instanceof InvalidConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('checkGroupSettings', () => {
  // A day-old refresh of a 1-minute fit over 14 days reaches 15 days and 3 minutes back.
  const daily = { stepSeconds: 60, historyDays: 14, forecastRefreshMinutes: 1440 };
  const timestream = {
    historySource: 'timestream',
    timestream: { database: 'metrics', table: 'asg_load', measureName: 'load' },
  };

  it('holds a 1-minute Timestream history to no 15-day reach, in the defaults and an override', () => {
    const config = parse({
      groups: { names: ['web', 'api'] },
      ...timestream,
      defaults: daily,
      groupOverrides: { api: daily },
    });
    expect(config.defaults).toMatchObject(daily);
    expect(config.groupOverrides.api).toMatchObject(daily);
  });

  it('still holds a 1-minute CloudWatch history to the 15 days CloudWatch keeps', () => {
    expect(problemsOf({ groups: { names: ['web', 'api'] }, defaults: daily })).toEqual([
      expect.objectContaining({
        path: 'defaults.historyDays',
        expected: expect.stringContaining('CloudWatch keeps data at periods under 300 s for 15 days'),
      }),
    ]);
    expect(
      problemsOf({ groups: { names: ['web', 'api'] }, groupOverrides: { api: daily } }).map((p) => p.path),
    ).toEqual(['groupOverrides.api.historyDays']);
  });

  it('names a look-ahead past the default horizon once, not again for each override that inherits it', () => {
    expect(
      problemsOf({
        groups: { names: ['web', 'api'] },
        lookAhead: { hours: 48 },
        groupOverrides: { web: { targetLoadPerInstance: 50 } },
      }),
    ).toEqual([
      expect.objectContaining({
        path: 'lookAhead.hours',
        expected: 'expected lookAhead.hours ≤ the forecast horizon (defaults.horizonHours = 24), got 48',
      }),
    ]);
    // An override that sets its own, shorter horizon is named by it; one that inherits a long enough one passes.
    expect(
      problemsOf({
        groups: { names: ['web', 'api'] },
        lookAhead: { hours: 36 },
        defaults: { horizonHours: 48 },
        groupOverrides: { web: { horizonHours: 24 }, api: { targetLoadPerInstance: 50 } },
      }).map((p) => p.expected),
    ).toEqual([
      'expected lookAhead.hours ≤ the forecast horizon (groupOverrides.web.horizonHours = 24), got 36',
    ]);
  });

  describe('a bad value in the defaults', () => {
    const fiveGroups = ['a', 'b', 'c', 'd', 'e'];
    const onlyFloors = Object.fromEntries(fiveGroups.map((g) => [g, { floorCapacity: 2 }]));
    const select = {
      kind: 'expression',
      expression: `SELECT SUM(RequestCount) FROM SCHEMA("AWS/ApplicationELB", TargetGroup) WHERE TargetGroup = '\${group}'`,
    };
    const custom = { kind: 'custom', namespace: 'Shop', metricName: 'Load', dimensions: {}, stat: 'Sum' };

    it.each([
      ['saturatedLoadPerInstance', { saturatedLoadPerInstance: 50, targetLoadPerInstance: 60 }],
      ['targetLoadPerInstance', { targetLoadPerInstance: 100 }],
      ['planningQuantile', { planningQuantileMin: 0.7 }],
      ['historyDays', { historyDays: 3 }],
      ['historyDays', daily],
      ['historyDays', { metric: select }],
      ['recurringPeakDays', { historyDays: 5, recurringPeakDays: 7 }],
      ['floorCheckDays', { historyDays: 5, floorCheckDays: 7 }],
    ])(
      'is named once at defaults.%s, not again for each override that sets none of what it reads (%j)',
      (key, defaults) => {
        expect(
          problemsOf({ groups: { names: fiveGroups }, defaults, groupOverrides: onlyFloors }).map(
            (p) => p.path,
          ),
        ).toEqual([`defaults.${key}`]);
      },
    );

    it('is named at an override whose own fields it breaks with, saying where the inherited value comes from', () => {
      const problems = problemsOf({
        groups: { names: ['web', 'api', 'batch', 'jobs'] },
        defaults: {
          saturatedLoadPerInstance: 80,
          metric: custom,
          targetLoadPerInstance: 150,
          historyDays: 5,
        },
        groupOverrides: {
          web: { targetLoadPerInstance: 90 },
          api: { metric: { kind: 'cpu' }, saturatedLoadPerInstance: 'none' },
          batch: { historyDays: 3, recurringPeakDays: 3 },
          jobs: { recurringPeakDays: 5 },
        },
      });
      expect(problems.map((p) => [p.path, p.expected])).toEqual([
        ['defaults.saturatedLoadPerInstance', expect.stringMatching(/\(150\), .* got 80$/)],
        [
          'groupOverrides.web.saturatedLoadPerInstance',
          'expected a load above targetLoadPerInstance (90), or none for a metric of the offered load, got 80 (inherited from defaults.saturatedLoadPerInstance)',
        ],
        [
          'groupOverrides.api.targetLoadPerInstance',
          "expected a CPU percentage below 100 for the cpu load (one instance's CPU never shows more), got 150 (inherited from defaults.targetLoadPerInstance)",
        ],
        [
          'groupOverrides.batch.historyDays',
          expect.stringMatching(
            /^expected historyDays ≥ 4 for a backtested forecast at horizonHours 24 \(inherited from defaults\.horizonHours\), stepSeconds 300 \(inherited from defaults\.stepSeconds\) and forecastRefreshMinutes 60 \(inherited from defaults\.forecastRefreshMinutes\) .*; got 3$/,
          ),
        ],
      ]);
    });

    it('is named at an override that sets its own history, citing the limit it inherits', () => {
      expect(
        problemsOf({
          groups: { names: ['web'] },
          defaults: { recurringPeakDays: 7 },
          groupOverrides: { web: { historyDays: 5 } },
        }).map((p) => [p.path, p.expected]),
      ).toEqual([
        [
          'groupOverrides.web.recurringPeakDays',
          'expected recurringPeakDays ≤ historyDays (5): its median would span 5 days of history, not 7; got 7 (inherited from defaults.recurringPeakDays)',
        ],
      ]);
    });
  });

  describe('a Metrics Insights SELECT load', () => {
    const select = {
      kind: 'expression',
      expression: `SELECT SUM(RequestCount) FROM SCHEMA("AWS/ApplicationELB", TargetGroup) WHERE TargetGroup = '\${group}'`,
    };

    it('refuses the default historyDays 14, which reads past its two weeks at every run, in the defaults and an override', () => {
      // 14 days before a fit end 3 steps before an hourly refresh: 14 days, 1 hour and 15 minutes.
      expect(problemsOf({ groups: { names: ['web'] }, defaults: { metric: select } })).toEqual([
        expect.objectContaining({
          path: 'defaults.historyDays',
          expected: expect.stringMatching(
            /^expected a Metrics Insights SELECT in metric\.expression to read at most 14 days back .* got historyDays 14 days \+ forecastRefreshMinutes 60 \+ the level correction's 3 steps = 14\.052 days; lower historyDays/,
          ),
        }),
      ]);
      expect(
        problemsOf({ groups: { names: ['web'] }, groupOverrides: { web: { metric: select } } }).map(
          (p) => p.path,
        ),
      ).toEqual(['groupOverrides.web.historyDays']);
    });

    it('takes one within two weeks, a SEARCH at 14 days, and a SELECT read from Timestream', () => {
      const config = parse({ groups: { names: ['web'] }, defaults: { metric: select, historyDays: 13 } });
      expect(config.defaults.historyDays).toBe(13);
      const search = {
        kind: 'expression',
        expression: "SUM(SEARCH('{App,AutoScalingGroupName} MetricName=\"Load\"', 'Sum'))",
      };
      expect(parse({ groups: { names: ['web'] }, defaults: { metric: search } }).defaults.historyDays).toBe(
        14,
      );
      expect(
        parse({ groups: { names: ['web'] }, ...timestream, defaults: { metric: select } }).defaults
          .historyDays,
      ).toBe(14);
    });

    it('refuses 13 days with a refresh that reaches past the 14th day', () => {
      const daily = { metric: select, historyDays: 13, forecastRefreshMinutes: 1440 };
      expect(problemsOf({ groups: { names: ['web'] }, defaults: daily }).map((p) => p.path)).toEqual([
        'defaults.historyDays',
      ]);
    });
  });

  it.each([
    [5, 1, 2],
    [30, 1, 2],
    [60, 1, 3],
    [60, 2, 3],
  ])(
    'refuses at scheduleRateMinutes %i a lookAhead.hours of %i, under the %i some runs would plan nothing in',
    (rate, hours, least) => {
      expect(
        problemsOf({ groups: { names: ['web'] }, scheduleRateMinutes: rate, lookAhead: { hours } }),
      ).toEqual([
        {
          path: 'lookAhead.hours',
          received: String(hours),
          expected: `expected lookAhead.hours ≥ ${least} at scheduleRateMinutes ${rate}, or 0 for no look-ahead: its steps start at the first whole UTC hour two loop intervals after a run, so with fewer hours some runs plan no step and leave the group without a look-ahead; got ${hours}`,
        },
      ]);
    },
  );

  it.each([
    [5, 2],
    [30, 2],
    [60, 3],
    [60, 0],
  ])('takes at scheduleRateMinutes %i a lookAhead.hours of %i', (rate, hours) => {
    expect(
      parse({ groups: { names: ['web'] }, scheduleRateMinutes: rate, lookAhead: { hours } }).lookAhead.hours,
    ).toBe(hours);
  });
});
