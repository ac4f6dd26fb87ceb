import {
  CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type StatusCode,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CloudWatchMetricHistory } from '../../../shared/aws/cloud-watch-metric-history';
import { RejectedRequestError, TransientDependencyError } from '../../../shared/ports/errors';
import type { HistoryQuery } from '../../../shared/ports/metric-history';

const cw = mockClient(CloudWatchClient);
const history = new CloudWatchMetricHistory(cw as unknown as CloudWatchClient);
const START = Date.UTC(2026, 0, 1);
const END = START + 3600_000;
const query = (groupName: string, metric: HistoryQuery['metric'] = { kind: 'cpu' }): HistoryQuery => ({
  groupName,
  metric,
  startMs: START,
  endMs: END,
  stepSeconds: 300,
});

beforeEach(() => cw.reset());

describe('CloudWatchMetricHistory', () => {
  it('asks for average CPU, in-service and terminating instances, merges pages per group, and multiplies them', async () => {
    const series = (Id: string, times: number[], Values: number[]) => ({
      Id,
      Timestamps: times.map((t) => new Date(START + t)),
      Values,
    });
    cw.on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          { ...series('g0', [300_000], [60]), Label: 'web', StatusCode: 'PartialData' },
          { ...series('g0n', [300_000], [2]), StatusCode: 'PartialData' },
        ],
        NextToken: 'next',
      })
      .resolvesOnce({
        MetricDataResults: [
          { ...series('g0', [0, 600_000], [50, Number.NaN]), Label: 'web', StatusCode: 'Complete' },
          { ...series('g0n', [0, 600_000], [2, 2]), StatusCode: 'Complete' },
          // One instance draining in the first step: its CPU is in the average, so it is counted.
          { ...series('g0t', [0], [1]), StatusCode: 'Complete' },
        ],
      });
    const result = await history.loadHistory([query('web')]);
    expect(result.get('web')).toEqual([
      { timestampMs: START, value: 150 },
      { timestampMs: START + 300_000, value: 120 },
    ]);
    const input = cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input;
    const average = (Id: string, Namespace: string, MetricName: string) => ({
      Id,
      MetricStat: {
        Metric: { Namespace, MetricName, Dimensions: [{ Name: 'AutoScalingGroupName', Value: 'web' }] },
        Period: 300,
        Stat: 'Average',
      },
      ReturnData: true,
    });
    expect(input?.MetricDataQueries).toEqual([
      { ...average('g0', 'AWS/EC2', 'CPUUtilization'), Label: 'web' },
      average('g0n', 'AWS/AutoScaling', 'GroupInServiceInstances'),
      average('g0t', 'AWS/AutoScaling', 'GroupTerminatingInstances'),
    ]);
    expect(cw).toHaveReceivedNthCommandWith(2, GetMetricDataCommand, { NextToken: 'next' });
  });

  it('packs many groups into calls of at most 500 queries', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const result = await history.loadHistory(Array.from({ length: 400 }, (_, i) => query(`g${i}`)));
    const sizes = cw
      .commandCalls(GetMetricDataCommand)
      .map((c) => (c.args[0].input.MetricDataQueries as MetricDataQuery[]).length);
    expect(sizes).toEqual([498, 498, 204]);
    expect(result.size).toBe(400);
    expect(result.get('g399')).toEqual([]);
  });

  it('keeps each call within the 100,800 datapoints CloudWatch answers at once, inputs counted', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const days = (groupName: string) => ({ ...query(groupName), endMs: START + 14 * 86_400_000 });
    await history.loadHistory(Array.from({ length: 30 }, (_, i) => days(`g${i}`)));
    // 14 days at 300 s: 4,033 datapoints a query, three queries a group, so 8 groups a call.
    const sizes = cw
      .commandCalls(GetMetricDataCommand)
      .map((c) => (c.args[0].input.MetricDataQueries as MetricDataQuery[]).length);
    expect(sizes).toEqual([24, 24, 24, 18]);
  });

  it('asks again alone for a group whose load came back cut with no NextToken, and names it if it stays cut', async () => {
    const cut = (id: string, value: number) => ({
      Id: id,
      Timestamps: [new Date(START)],
      Values: [value],
      StatusCode: 'PartialData' as const,
    });
    const whole = (Id: string, Values: number[]) => ({
      Id,
      Timestamps: [new Date(START), new Date(START + 300_000)],
      Values,
      StatusCode: 'Complete' as const,
    });
    const wholeWeb = { MetricDataResults: [whole('g0', [1, 3]), whole('g0n', [1, 1])] };
    cw.on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [cut('g0', 1), cut('g1', 2)] })
      .resolvesOnce(wholeWeb)
      .resolvesOnce({ MetricDataResults: [cut('g1', 2)] });
    const loading = history.loadHistory([query('web'), query('api')]);
    await expect(loading).rejects.toThrow(
      'CloudWatch GetMetricData was rejected: the load of group api came back cut (PartialData with no NextToken)',
    );
    const alone = cw.commandCalls(GetMetricDataCommand).slice(1);
    expect(
      alone.map((c) => (c.args[0].input.MetricDataQueries as MetricDataQuery[]).map((q) => q.Id)),
    ).toEqual([
      ['g0', 'g0n', 'g0t'],
      ['g1', 'g1n', 'g1t'],
    ]);

    cw.reset();
    cw.on(GetMetricDataCommand)
      .resolvesOnce({ MetricDataResults: [cut('g0', 1)] })
      .resolvesOnce(wholeWeb);
    const result = await history.loadHistory([query('web')]);
    expect(result.get('web')?.map((o) => o.value)).toEqual([1, 3]);
  });

  it.each([
    // The in-service count cut: the steps it lacks would have no load at all.
    ['in-service', 'g0n'],
    // The terminating count cut: the steps it lacks would count none terminating, a load too low.
    ['terminating', 'g0t'],
  ])('asks again alone for a cpu group whose %s count came back cut with no NextToken', async (_, cutId) => {
    const times = (count: number) => Array.from({ length: count }, (_, i) => new Date(START + i * 300_000));
    const series = (Id: string, count: number, value: number, StatusCode: StatusCode = 'Complete') => ({
      Id,
      Timestamps: times(count),
      Values: Array(count).fill(value),
      StatusCode,
    });
    const counts = { g0n: 8, g0t: 2 };
    const answer = (cutCount?: string) => ({
      MetricDataResults: [
        series('g0', 12, 5),
        ...Object.entries(counts).map(([Id, value]) =>
          Id === cutCount ? series(Id, 4, value, 'PartialData') : series(Id, 12, value),
        ),
      ],
    });
    cw.on(GetMetricDataCommand).resolvesOnce(answer(cutId)).resolvesOnce(answer());
    const result = await history.loadHistory([query('web')]);
    expect(cw.commandCalls(GetMetricDataCommand)).toHaveLength(2);
    // 5 % CPU × (8 in service + 2 terminating), at every step, as read alone.
    expect(result.get('web')?.map((o) => o.value)).toEqual(Array(12).fill(50));
  });

  it("asks for the target group's RequestCount (Sum) on its load balancer, and its healthy targets", async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'g0', Label: 'web', Timestamps: [new Date(START)], Values: [4200], StatusCode: 'Complete' },
      ],
    });
    const result = await history.loadHistory([
      query('web', {
        kind: 'alb-requests',
        targetGroupFullName: 'targetgroup/web/0123456789abcdef',
        loadBalancerFullName: 'app/shop/fedcba9876543210',
      }),
    ]);
    expect(result.get('web')).toEqual([{ timestampMs: START, value: 4200 }]);
    // AWS/ApplicationELB publishes RequestCount per target group on its load balancer; its valid
    // statistic is Sum (the ALB metrics reference).
    expect(cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries).toEqual([
      {
        Id: 'g0',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/ApplicationELB',
            MetricName: 'RequestCount',
            Dimensions: [
              { Name: 'TargetGroup', Value: 'targetgroup/web/0123456789abcdef' },
              { Name: 'LoadBalancer', Value: 'app/shop/fedcba9876543210' },
            ],
          },
          Period: 300,
          Stat: 'Sum',
        },
        Label: 'web',
        ReturnData: true,
      },
      // Reported whether or not requests flow: it tells a quiet step from an unpublished one.
      {
        Id: 'g0h',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/ApplicationELB',
            MetricName: 'HealthyHostCount',
            Dimensions: [
              { Name: 'TargetGroup', Value: 'targetgroup/web/0123456789abcdef' },
              { Name: 'LoadBalancer', Value: 'app/shop/fedcba9876543210' },
            ],
          },
          Period: 300,
          Stat: 'Average',
        },
        ReturnData: true,
      },
    ]);
  });

  it('reads a step without ALB requests as zero between datapoints, and leaves the newest steps absent', async () => {
    // ELB reports no metric for a minute without requests: 00:05 and 00:10 had none; nothing yet
    // after 00:15 (not published, or idle: unknown).
    const at = (minutes: number) => new Date(START + minutes * 60_000);
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'g0', Timestamps: [at(0), at(15)], Values: [600, 900], StatusCode: 'Complete' },
      ],
    });
    const alb = {
      kind: 'alb-requests',
      targetGroupFullName: 'targetgroup/web/0123456789abcdef',
      loadBalancerFullName: 'app/shop/fedcba9876543210',
    } as const;
    const result = await history.loadHistory([query('web', alb)]);
    expect(result.get('web')).toEqual([
      { timestampMs: START, value: 600 },
      { timestampMs: START + 300_000, value: 0 },
      { timestampMs: START + 600_000, value: 0 },
      { timestampMs: START + 900_000, value: 900 },
    ]);
  });

  it('reads the steps after the last ALB request as zero where the target group reported its health', async () => {
    // Requests stopped after 00:05; the healthy-target count, reported with or without requests,
    // covers every step up to 00:20.
    const at = (minutes: number) => new Date(START + minutes * 60_000);
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'g0', Timestamps: [at(0), at(5)], Values: [600, 900], StatusCode: 'Complete' },
        {
          Id: 'g0h',
          Timestamps: [at(0), at(5), at(10), at(15), at(20)],
          Values: [3, 3, 3, 2, 2],
          StatusCode: 'Complete',
        },
      ],
    });
    const result = await history.loadHistory([
      query('web', {
        kind: 'alb-requests',
        targetGroupFullName: 'targetgroup/web/0123456789abcdef',
        loadBalancerFullName: 'app/shop/fedcba9876543210',
      }),
    ]);
    expect(result.get('web')?.map((o) => [(o.timestampMs - START) / 60_000, o.value])).toEqual([
      [0, 600],
      [5, 900],
      [10, 0],
      [15, 0],
      [20, 0],
    ]);
  });

  it('substitutes the group into custom dimensions and expressions', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const placeholder = ['$', '{group}'].join('');
    await history.loadHistory([
      query('web', {
        kind: 'custom',
        namespace: 'App',
        metricName: 'Rps',
        dimensions: { Service: placeholder },
        stat: 'Sum',
      }),
      query('api', {
        kind: 'expression',
        expression: `SEARCH('{App,Service} Service="${placeholder}"', 'Sum', 300)`,
      }),
    ]);
    const queries = cw.commandCalls(GetMetricDataCommand)[0]?.args[0].input.MetricDataQueries;
    expect(queries?.[0]?.MetricStat?.Metric?.Dimensions).toEqual([{ Name: 'Service', Value: 'web' }]);
    expect(queries?.[1]?.Expression).toBe(`SEARCH('{App,Service} Service="api"', 'Sum', 300)`);
  });

  it("names the group whose name pushes its expression or dimension past GetMetricData's bounds, and asks nothing", async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const placeholder = ['$', '{group}'].join('');
    const longName = 'g'.repeat(255);
    // 2040 characters as written (the schema takes up to 2048); 2287 with a 255-character name.
    const expression = `${'1+'.repeat(1016)}${placeholder}`;
    await expect(history.loadHistory([query(longName, { kind: 'expression', expression })])).rejects.toThrow(
      new RegExp(`group ${longName} cannot be asked: .*expression is 2287 characters`),
    );
    const dimension = `${'v'.repeat(1000)}${placeholder}`;
    await expect(
      history.loadHistory([
        query(longName, {
          kind: 'custom',
          namespace: 'App',
          metricName: 'Rps',
          dimensions: { Service: dimension },
          stat: 'Sum',
        }),
      ]),
    ).rejects.toThrow(/dimension Service is 1255 characters/);
    expect(cw).not.toHaveReceivedCommand(GetMetricDataCommand);
  });

  it("refuses to put a group name with a quote or backslash into an expression's strings, naming the group", async () => {
    const placeholder = ['$', '{group}'].join('');
    const expression = `SUM(SEARCH('{AWS/EC2,AutoScalingGroupName} MetricName="CPUUtilization" AutoScalingGroupName="${placeholder}"', 'Average'))`;
    for (const name of ['web" OR "api', "web's", 'web\\'])
      await expect(history.loadHistory([query(name, { kind: 'expression', expression })])).rejects.toThrow(
        `the load expression of group ${name} cannot name it: its name has a quote or backslash`,
      );
    expect(cw).not.toHaveReceivedCommand(GetMetricDataCommand);
  });

  it('refuses an expression that comes back as several series (one result per metric SEARCH found), naming the group', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'g0', Label: 'i-1', Timestamps: [new Date(START)], Values: [40], StatusCode: 'Complete' },
        { Id: 'g0', Label: 'i-2', Timestamps: [new Date(START)], Values: [60], StatusCode: 'Complete' },
      ],
    });
    const expression = `SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'Average')`;
    await expect(history.loadHistory([query('web', { kind: 'expression', expression })])).rejects.toThrow(
      /load expression of group web returns several time series.*SUM/,
    );
  });

  it('fails transiently on a result with StatusCode InternalError instead of planning on its datapoints', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 'g0', Timestamps: [new Date(START)], Values: [40], StatusCode: 'InternalError' },
      ],
    });
    const error = await history.loadHistory([query('web')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientDependencyError);
    expect(((error as Error).cause as Error).message).toContain(
      'group web came back with StatusCode InternalError',
    );
  });

  it.each(['g0n', 'g0t'])(
    'fails transiently when a companion count (%s) comes back with StatusCode InternalError',
    async (id) => {
      // A count cut short would read the step's load as a hole, or as none terminating.
      cw.on(GetMetricDataCommand).resolves({
        MetricDataResults: [
          { Id: 'g0', Timestamps: [new Date(START)], Values: [40], StatusCode: 'Complete' },
          { Id: id, Timestamps: [new Date(START)], Values: [3], StatusCode: 'InternalError' },
        ],
      });
      const error = await history.loadHistory([query('web')]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientDependencyError);
      expect(((error as Error).cause as Error).message).toContain(`series ${id} of group web`);
    },
  );

  it('puts one Metrics Insights query in a call, other groups beside it', async () => {
    // GetMetricData: "If you include a Metrics Insights query, each GetMetricData operation can
    // include only one query. But the same GetMetricData operation can also retrieve other metrics."
    const select = (name: string) =>
      `SELECT SUM(RequestCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer) WHERE LoadBalancer = '${name}'`;
    cw.on(GetMetricDataCommand).callsFake((input: { MetricDataQueries: MetricDataQuery[] }) => ({
      MetricDataResults: input.MetricDataQueries.filter((q) => q.ReturnData !== false).map((q) => ({
        Id: q.Id,
        Label: q.Id,
        Timestamps: [new Date(START)],
        Values: [1],
        StatusCode: 'Complete',
      })),
    }));
    await history.loadHistory([
      query('web', { kind: 'expression', expression: select('web') }),
      query('api', { kind: 'expression', expression: select('api') }),
      query('jobs', {
        kind: 'custom',
        namespace: 'App',
        metricName: 'Load',
        dimensions: { Service: 'jobs' },
        stat: 'Average',
      }),
    ]);
    const calls = cw
      .commandCalls(GetMetricDataCommand)
      .map(
        (c) =>
          (c.args[0].input.MetricDataQueries as MetricDataQuery[]).filter((q) =>
            /^\s*SELECT/.test(q.Expression ?? ''),
          ).length,
      );
    expect(calls).toEqual([1, 1]);
  });

  describe('a call CloudWatch did not execute whole, and a result it refused', () => {
    const expression = `SUM(SEARCH('{App,AutoScalingGroupName,InstanceId} MetricName="InFlight" AutoScalingGroupName="\${group}"', 'Average'))`;
    const steps = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => new Date(START + (from + i) * 300_000));
    /** Result `Id` (`g0` web's load, `g1` api's) over `count` steps from step `from`, each `value`. */
    const loaded = (
      Id: 'g0' | 'g1',
      from: number,
      count: number,
      value: number,
      StatusCode: StatusCode = 'Complete',
    ) => ({
      Id,
      Label: Id === 'g0' ? 'web' : 'api',
      Timestamps: steps(from, count),
      Values: Array(count).fill(value),
      StatusCode,
    });
    const ids = () =>
      cw
        .commandCalls(GetMetricDataCommand)
        .map((c) => (c.args[0].input.MetricDataQueries as MetricDataQuery[]).map((q) => q.Id));
    // GetMetricData Messages (API reference): "Maximum number of allowed metrics exceeded. If there
    // is a message, as much of the operation as possible is still executed."
    const maxMetrics = [{ Code: 'MaxMetricsExceeded', Value: 'Maximum number of allowed metrics exceeded' }];

    it('asks each group of a call answered with a top-level message again alone', async () => {
      cw.on(GetMetricDataCommand)
        .resolvesOnce({
          MetricDataResults: [loaded('g0', 0, 12, 40)],
          Messages: maxMetrics,
        })
        .resolvesOnce({
          MetricDataResults: [loaded('g0', 0, 12, 40)],
        })
        .resolvesOnce({
          MetricDataResults: [loaded('g1', 0, 12, 7)],
        });
      const result = await history.loadHistory([
        query('web', { kind: 'expression', expression }),
        query('api', { kind: 'expression', expression }),
      ]);
      expect(ids()).toEqual([['g0', 'g1'], ['g0'], ['g1']]);
      expect(result.get('web')?.map((o) => o.value)).toEqual(Array(12).fill(40));
      expect(result.get('api')?.map((o) => o.value)).toEqual(Array(12).fill(7));
    });

    it('names the group and the message when its own call still is not executed whole', async () => {
      cw.on(GetMetricDataCommand).resolves({
        MetricDataResults: [loaded('g0', 0, 12, 40)],
        Messages: maxMetrics,
      });
      const error = await history
        .loadHistory([
          query('web', { kind: 'expression', expression }),
          query('api', { kind: 'expression', expression }),
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RejectedRequestError);
      expect((error as Error).message).toContain(
        'the load of group web was not read whole, even in a call of its own: CloudWatch answered with the message MaxMetricsExceeded: Maximum number of allowed metrics exceeded',
      );
      expect(ids()).toEqual([['g0', 'g1'], ['g0']]);
    });

    it('says a Metrics Insights read past its two weeks is historyDays to lower, not metrics to match', async () => {
      // A SELECT reaching past two weeks is clamped and answered with a top-level message (the
      // code Grafana's CloudWatch datasource reads; the API reference lists none).
      cw.on(GetMetricDataCommand).resolves({
        MetricDataResults: [loaded('g0', 0, 12, 40)],
        Messages: [{ Code: 'MaxQueryTimeRangeExceeded', Value: 'Max time window exceeded for query' }],
      });
      const select = `SELECT SUM(RequestCount) FROM "AWS/ApplicationELB" WHERE TargetGroup = '\${group}'`;
      const error = await history
        .loadHistory([query('web', { kind: 'expression', expression: select })])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RejectedRequestError);
      const message = (error as Error).message;
      expect(message).toContain(
        'the load of group web was not read whole, even in a call of its own: CloudWatch answered with the message MaxQueryTimeRangeExceeded: Max time window exceeded for query; its read reached past the two weeks a Metrics Insights SELECT can read',
      );
      expect(message).toContain('lower historyDays');
      expect(message).not.toContain('match fewer metrics');
    });

    it('refuses a result answered Forbidden, naming the group, the query and the message', async () => {
      // MetricDataResult StatusCode "Valid Values: Complete | InternalError | PartialData | Forbidden".
      cw.on(GetMetricDataCommand).resolves({
        MetricDataResults: [
          {
            Id: 'g0',
            Label: 'web',
            Timestamps: [],
            Values: [],
            StatusCode: 'Forbidden',
            Messages: [{ Code: 'Forbidden', Value: 'no access' }],
          },
        ],
      });
      const error = await history
        .loadHistory([
          query('web', { kind: 'custom', namespace: 'App', metricName: 'Load', dimensions: {}, stat: 'Sum' }),
        ])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RejectedRequestError);
      expect((error as Error).message).toContain(
        'the load of group web came back with StatusCode Forbidden for its metric App/Load (messages: Forbidden: no access)',
      );
    });

    it("asks a load expression cut (PartialData) again alone though the call's other queries paged on", async () => {
      // "NextToken is not returned if you are performing a math expression" (MetricDataResult).
      cw.on(GetMetricDataCommand)
        .resolvesOnce({
          MetricDataResults: [
            loaded('g0', 0, 6, 40, 'PartialData'),
            loaded('g1', 0, 6, 5, 'PartialData'),
            { Id: 'g1n', Timestamps: steps(0, 6), Values: Array(6).fill(2), StatusCode: 'PartialData' },
          ],
          NextToken: 'p2',
        })
        .resolvesOnce({
          MetricDataResults: [
            { Id: 'g0', Label: 'web', Timestamps: [], Values: [], StatusCode: 'Complete' },
            loaded('g1', 6, 6, 5),
            { Id: 'g1n', Timestamps: steps(6, 6), Values: Array(6).fill(2), StatusCode: 'Complete' },
          ],
        })
        .resolvesOnce({
          MetricDataResults: [loaded('g0', 0, 12, 40)],
        });
      const result = await history.loadHistory([
        query('web', { kind: 'expression', expression }),
        query('api'),
      ]);
      expect(ids()).toEqual([['g0', 'g1', 'g1n', 'g1t'], ['g0', 'g1', 'g1n', 'g1t'], ['g0']]);
      expect(result.get('web')?.map((o) => o.timestampMs)).toEqual(steps(0, 12).map((d) => d.getTime()));
      expect(result.get('api')?.map((o) => o.value)).toEqual(Array(12).fill(10));
    });
  });

  it('translates a 5xx into a transient error', async () => {
    cw.on(GetMetricDataCommand).rejects(
      Object.assign(new Error('Internal'), {
        name: 'InternalServiceError',
        $metadata: { httpStatusCode: 500 },
      }),
    );
    await expect(history.loadHistory([query('web')])).rejects.toBeInstanceOf(TransientDependencyError);
  });
});
