import { SimulatedCloudWatch } from '../../../../shared/simulation/world/simulated-cloud-watch';

const START = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;
const dims = [{ Name: 'AutoScalingGroupName', Value: 'web' }];
const cpu = {
  namespace: 'AWS/EC2',
  metricName: 'CPUUtilization',
  dimensions: { AutoScalingGroupName: 'web' },
};
const n = {
  namespace: 'AWS/AutoScaling',
  metricName: 'GroupInServiceInstances',
  dimensions: { AutoScalingGroupName: 'web' },
};

type Out = {
  MetricDataResults: { Id: string; Timestamps: Date[]; Values: number[]; StatusCode: string }[];
  NextToken?: string;
};

function filled(pageDatapoints?: number) {
  const cw = new SimulatedCloudWatch(pageDatapoints);
  for (let m = 0; m < 20; m += 1) {
    cw.publish(cpu, START + m * MINUTE, 10 + m);
    cw.publish(n, START + m * MINUTE, m < 10 ? 2 : 4);
  }
  return cw;
}

const queries = (period = 300) => [
  {
    Id: 'c',
    MetricStat: {
      Metric: { Namespace: 'AWS/EC2', MetricName: 'CPUUtilization', Dimensions: dims },
      Period: period,
      Stat: 'Average',
    },
    ReturnData: false,
  },
  {
    Id: 'n',
    MetricStat: {
      Metric: { Namespace: 'AWS/AutoScaling', MetricName: 'GroupInServiceInstances', Dimensions: dims },
      Period: period,
      Stat: 'Average',
    },
    ReturnData: false,
  },
  { Id: 'load', Expression: 'c * n', ReturnData: true },
];

describe('SimulatedCloudWatch', () => {
  it('aggregates minutes into periods and evaluates metric math over ids of the request', () => {
    const out = filled().getMetricData(
      {
        MetricDataQueries: queries(),
        StartTime: new Date(START),
        EndTime: new Date(START + 20 * MINUTE),
        ScanBy: 'TimestampAscending',
      },
      START + 60 * MINUTE,
    ) as Out;
    expect(out.MetricDataResults.map((r) => r.Id)).toEqual(['load']);
    const load = out.MetricDataResults[0];
    expect(load?.Timestamps.map((t) => t.getTime())).toEqual([0, 5, 10, 15].map((m) => START + m * MINUTE));
    // Period 0: mean CPU of 10..14 = 12, two instances → 24; period 2: mean 22 × 4 = 88.
    expect(load?.Values).toEqual([24, 34, 88, 108]);
    expect(load?.StatusCode).toBe('Complete');
  });

  it('returns newest first by default and hides minutes not yet complete', () => {
    const out = filled().getMetricData(
      {
        MetricDataQueries: [{ ...queries(60)[0], ReturnData: true }],
        StartTime: new Date(START),
        EndTime: new Date(START + 20 * MINUTE),
      },
      START + 5 * MINUTE + 30_000,
    ) as Out;
    const c = out.MetricDataResults[0];
    expect(c?.Timestamps[0]?.getTime()).toBe(START + 4 * MINUTE);
    expect(c?.Values).toEqual([14, 13, 12, 11, 10]);
  });

  it('returns no datapoints for a period too fine for how long ago the request starts', () => {
    const DAY = 24 * 60 * MINUTE;
    const ask = (period: number, nowMs: number) =>
      (
        filled().getMetricData(
          {
            MetricDataQueries: [{ ...queries(period)[0], ReturnData: true }],
            StartTime: new Date(START),
            EndTime: new Date(START + 20 * MINUTE),
          },
          nowMs,
        ) as Out
      ).MetricDataResults[0]?.Values.length;
    // Up to 15 days back any multiple of 60 s; then multiples of 300 s; past 63 days of 3600 s.
    expect(ask(60, START + 15 * DAY)).toBe(20);
    expect(ask(60, START + 16 * DAY)).toBe(0);
    expect(ask(300, START + 16 * DAY)).toBe(4);
    expect(ask(300, START + 64 * DAY)).toBe(0);
    expect(ask(3600, START + 64 * DAY)).toBe(1);
  });

  it('pages with NextToken when a response would exceed its datapoints', () => {
    const cw = filled(7);
    const input = {
      MetricDataQueries: [{ ...queries(60)[0], ReturnData: true }],
      StartTime: new Date(START),
      EndTime: new Date(START + 20 * MINUTE),
      ScanBy: 'TimestampAscending' as const,
    };
    const values: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = cw.getMetricData(
        { ...input, ...(token ? { NextToken: token } : {}) },
        START + 60 * MINUTE,
      ) as Out;
      for (const r of out.MetricDataResults) values.push(...r.Values);
      token = out.NextToken;
      pages += 1;
    } while (token);
    expect(pages).toBe(3);
    expect(values).toEqual(Array.from({ length: 20 }, (_, m) => 10 + m));
  });

  it('cuts metric math at one response, its inputs counted, with no NextToken (CloudWatch pages no math)', () => {
    const request = (pageDatapoints: number) =>
      filled(pageDatapoints).getMetricData(
        {
          MetricDataQueries: queries(60),
          StartTime: new Date(START),
          EndTime: new Date(START + 20 * MINUTE),
          ScanBy: 'TimestampAscending',
        },
        START + 60 * MINUTE,
      ) as Out;
    // 20 minutes at 60 s: two inputs of 20 points each, then the expression's 20.
    expect(request(60).MetricDataResults[0]?.StatusCode).toBe('Complete');
    const cut = request(59);
    expect(cut.NextToken).toBeUndefined();
    expect(cut.MetricDataResults[0]?.StatusCode).toBe('PartialData');
    expect(cut.MetricDataResults[0]?.Values).toHaveLength(19);
    const none = request(40);
    expect(none.MetricDataResults).toEqual([
      expect.objectContaining({ Id: 'load', StatusCode: 'PartialData', Values: [] }),
    ]);
  });

  describe('a standalone SEARCH expression', () => {
    const load = `SUM(SEARCH('{AWS/EC2,AutoScalingGroupName} MetricName="CPUUtilization" AutoScalingGroupName="web"', 'Average')) * SUM(SEARCH('{AWS/AutoScaling,AutoScalingGroupName} MetricName="GroupInServiceInstances" AutoScalingGroupName="web"', 'Average'))`;
    const request = (query: object) => ({
      MetricDataQueries: [{ Id: 'load', ReturnData: true, ...query }],
      StartTime: new Date(START),
      EndTime: new Date(START + 20 * MINUTE),
      ScanBy: 'TimestampAscending' as const,
    });

    it('finds the group metrics by exact match and gives the same series as ids of the request', () => {
      const cw = filled();
      // Another group's metrics and the group's instance-level CPU: a search must not pick them up.
      for (let m = 0; m < 20; m += 1) {
        cw.publish({ ...cpu, dimensions: { AutoScalingGroupName: 'web-2' } }, START + m * MINUTE, 99);
        cw.publish({ ...cpu, dimensions: { InstanceId: 'i-1' } }, START + m * MINUTE, 99);
      }
      const out = cw.getMetricData(request({ Expression: load, Period: 300 }), START + 60 * MINUTE) as Out;
      expect(out.MetricDataResults[0]?.Values).toEqual([24, 34, 88, 108]);
      // SEARCH's own period wins over the query's.
      const perMinute = `SUM(SEARCH('{AWS/EC2,AutoScalingGroupName} AutoScalingGroupName="web"', 'Maximum', 60))`;
      const minutes = cw.getMetricData(
        request({ Expression: perMinute, Period: 300 }),
        START + 60 * MINUTE,
      ) as Out;
      expect(minutes.MetricDataResults[0]?.Values).toEqual(Array.from({ length: 20 }, (_, m) => 10 + m));
    });

    it('finds only metrics that reported within the past two weeks', () => {
      const cw = filled();
      const now = START + 14 * 24 * 60 * MINUTE + 19 * MINUTE;
      const found = (nowMs: number) =>
        (cw.getMetricData(request({ Expression: load, Period: 300 }), nowMs) as Out).MetricDataResults[0]
          ?.Values;
      expect(found(now)).toEqual([24, 34, 88, 108]);
      expect(found(now + MINUTE)).toEqual([]);
    });

    describe('past the 500 metrics one call reads', () => {
      // GetMetricData reads "as many as 500 different metrics in a single request"; past them "as
      // much of the operation as possible is still executed" with the top-level message "Maximum
      // number of allowed metrics exceeded" (API reference).
      const limited = {
        Code: 'MaxMetricsExceeded',
        Value: 'Maximum number of allowed metrics exceeded. Your search may have been limited',
      };
      const perInstance = (count: number) => {
        const cw = new SimulatedCloudWatch();
        for (let i = 0; i < count; i += 1)
          cw.publish(
            {
              namespace: 'App',
              metricName: 'Load',
              dimensions: { AutoScalingGroupName: 'web', InstanceId: `i-${i}` },
            },
            START,
            1,
          );
        return cw;
      };
      const sum = `SUM(SEARCH('{App,AutoScalingGroupName,InstanceId} MetricName="Load" AutoScalingGroupName="web"', 'Average'))`;
      const ask = (cw: SimulatedCloudWatch, extra: object[] = []) =>
        cw.getMetricData(
          {
            MetricDataQueries: [{ Id: 'g0', Expression: sum, Period: 60, ReturnData: true }, ...extra],
            StartTime: new Date(START),
            EndTime: new Date(START + MINUTE),
            ScanBy: 'TimestampAscending',
          },
          START + 2 * MINUTE,
        ) as Out & { Messages: unknown[] };

      it('keeps 500 of a search finding 501, and says the call was limited', () => {
        const out = ask(perInstance(501));
        expect(out.MetricDataResults[0]?.Values).toEqual([500]);
        expect(out.Messages).toEqual([limited]);
        expect(ask(perInstance(500))).toMatchObject({ MetricDataResults: [{ Values: [500] }], Messages: [] });
      });

      it('counts the call’s MetricStat queries against the same 500', () => {
        const stat = (i: number) => ({
          Id: `m${i}`,
          MetricStat: {
            Metric: {
              Namespace: 'App',
              MetricName: 'Load',
              Dimensions: [
                { Name: 'AutoScalingGroupName', Value: 'web' },
                { Name: 'InstanceId', Value: `i-${i}` },
              ],
            },
            Period: 60,
            Stat: 'Average',
          },
          ReturnData: false,
        });
        const out = ask(perInstance(499), [stat(0), stat(1)]);
        expect(out.MetricDataResults[0]?.Values).toEqual([498]);
        expect(out.Messages).toEqual([limited]);
      });
    });

    it('refuses a search without a period, with an unknown statistic or a query it cannot evaluate', () => {
      const cw = filled();
      const run = (query: object) => () => cw.getMetricData(request(query), START + 60 * MINUTE);
      expect(run({ Expression: load })).toThrow(/SEARCH needs a period/);
      expect(run({ Expression: load, Period: 90 })).toThrow(/SEARCH needs a period/);
      expect(run({ Expression: `SUM(SEARCH('{AWS/EC2,Nope}', 'Mean', 300))` })).toThrow(
        expect.objectContaining({
          name: 'ValidationError',
          message: expect.stringMatching(/unknown statistic Mean/),
        }),
      );
      expect(run({ Expression: `SUM(SEARCH('CPUUtilization', 'Average', 300))` })).toThrow(
        /only exact-match terms/,
      );
    });
  });

  it('rejects malformed requests like CloudWatch', () => {
    const cw = filled();
    const run = (input: object) => () => cw.getMetricData(input, START + 60 * MINUTE);
    expect(
      run({ MetricDataQueries: [], StartTime: new Date(START), EndTime: new Date(START + MINUTE) }),
    ).toThrow(expect.objectContaining({ name: 'ValidationError' }));
    expect(
      run({ MetricDataQueries: queries(), StartTime: new Date(START + MINUTE), EndTime: new Date(START) }),
    ).toThrow(/StartTime must be less/);
    expect(
      run({
        MetricDataQueries: [{ Id: 'x', Expression: 'y * 2' }],
        StartTime: new Date(START),
        EndTime: new Date(START + MINUTE),
      }),
    ).toThrow(/unknown id y/);
    expect(
      run({
        MetricDataQueries: [{ Id: 'X', Expression: '1' }],
        StartTime: new Date(START),
        EndTime: new Date(START + MINUTE),
      }),
    ).toThrow(/Invalid metric data query id/);
  });

  it("refuses an expression past 2,048 characters or a dimension value past 1,024, naming the member (GetMetricData's model)", () => {
    const cw = filled();
    const run = (query: object) => () =>
      cw.getMetricData(
        {
          MetricDataQueries: [...queries(), { Id: 'b', ...query }],
          StartTime: new Date(START),
          EndTime: new Date(START + MINUTE),
        },
        START + 60 * MINUTE,
      );
    const longest = `c * ${'0'.repeat(2043)}1`;
    expect(longest).toHaveLength(2048);
    expect(run({ Expression: longest })).not.toThrow();
    expect(run({ Expression: `${longest}1` })).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        message: expect.stringMatching(
          /'metricDataQueries\.4\.member\.expression' .*less than or equal to 2048$/,
        ),
      }),
    );
    const stat = (value: string) => ({
      MetricStat: {
        Metric: {
          Namespace: 'AWS/EC2',
          MetricName: 'CPUUtilization',
          Dimensions: [{ Name: 'AutoScalingGroupName', Value: value }],
        },
        Period: 60,
        Stat: 'Average',
      },
    });
    expect(run(stat('g'.repeat(1024)))).not.toThrow();
    expect(run(stat('g'.repeat(1025)))).toThrow(
      /'metricDataQueries\.4\.member\.metricStat\.metric\.dimensions\.1\.member\.value' .*1024$/,
    );
  });

  it('stores PutMetricData datapoints and serves them back', () => {
    const cw = new SimulatedCloudWatch();
    cw.putMetricData(
      {
        Namespace: 'Prescale',
        MetricData: [
          { MetricName: 'Load', Dimensions: dims, Timestamp: new Date(START), Value: 5 },
          {
            MetricName: 'Load',
            Dimensions: dims,
            Timestamp: new Date(START),
            Values: [1, 3],
            Counts: [1, 1],
          },
        ],
      },
      START,
    );
    const out = cw.getMetricData(
      {
        MetricDataQueries: [
          {
            Id: 's',
            MetricStat: {
              Metric: { Namespace: 'Prescale', MetricName: 'Load', Dimensions: dims },
              Period: 60,
              Stat: 'Sum',
            },
          },
        ],
        StartTime: new Date(START),
        EndTime: new Date(START + MINUTE),
      },
      START + MINUTE,
    ) as Out;
    expect(out.MetricDataResults[0]?.Values).toEqual([9]);
    expect(() =>
      cw.putMetricData({ Namespace: 'AWS/EC2', MetricData: [{ MetricName: 'x', Value: 1 }] }, START),
    ).toThrow(/reserved/);
  });
});
