import fc from 'fast-check';
import { groupSettingsSchema } from '../../../shared/contracts/group-settings-schema';
import { CUMULATIVE_SETTLE_MS, historyQuery } from '../../../shared/usecases/history-query';

const DAY_MS = 86_400_000;
const at = (hour: number, minute: number, second = 0, ms = 0) =>
  Date.UTC(2026, 2, 2, hour, minute, second, ms);
const settings = (stepSeconds: 60 | 300 | 3600, historyDays: number) =>
  groupSettingsSchema.parse({ stepSeconds, historyDays });

describe('historyQuery', () => {
  it.each([
    ['12:07:30', '12:05', 300, at(12, 7, 30), at(12, 5)],
    ['12:05:00', '12:05', 300, at(12, 5), at(12, 5)],
    ['12:04:59.999', '12:00', 300, at(12, 4, 59, 999), at(12, 0)],
    ['12:07:30', '12:07', 60, at(12, 7, 30), at(12, 7)],
    ['12:59:59.999', '12:00', 3600, at(12, 59, 59, 999), at(12, 0)],
  ] as const)(
    'rounds an end at %s down to %s on %i-second steps',
    (_, __, stepSeconds, endMs, alignedEndMs) => {
      expect(historyQuery('web', settings(stepSeconds, 14), endMs).endMs).toBe(alignedEndMs);
    },
  );

  it('starts historyDays before the rounded end and asks for the group’s metric and step', () => {
    const custom = groupSettingsSchema.parse({
      stepSeconds: 300,
      historyDays: 3,
      metric: { kind: 'custom', namespace: 'App', metricName: 'Requests' },
    });
    // Its default stat is a Sum: read up to the last step that ended CUMULATIVE_SETTLE_MS before.
    expect(historyQuery('api', custom, at(12, 8, 30))).toEqual({
      groupName: 'api',
      metric: custom.metric,
      startMs: at(12, 5) - 3 * DAY_MS,
      endMs: at(12, 5),
      stepSeconds: 300,
    });
  });

  describe('a cumulative statistic, whose newest step comes back short until all of it is published', () => {
    const ALB = {
      kind: 'alb-requests',
      targetGroupFullName: 'targetgroup/web/0123456789abcdef',
      loadBalancerFullName: 'app/web/0123456789abcdef',
    };
    const withMetric = (metric: unknown) => groupSettingsSchema.parse({ stepSeconds: 300, metric });
    const SEARCH = (stat: string) =>
      `SUM(SEARCH('{AWS/ApplicationELB,TargetGroup} MetricName="RequestCount" TargetGroup="\${group}"', '${stat}'))`;

    it.each([
      ['alb-requests', ALB, at(12, 0)],
      ['a custom Sum', { kind: 'custom', namespace: 'App', metricName: 'Requests', stat: 'Sum' }, at(12, 0)],
      [
        'a custom SampleCount',
        { kind: 'custom', namespace: 'App', metricName: 'Jobs', stat: 'SampleCount' },
        at(12, 0),
      ],
      ['an expression searching Sums', { kind: 'expression', expression: SEARCH('Sum') }, at(12, 0)],
      [
        'a custom trimmed sum',
        { kind: 'custom', namespace: 'App', metricName: 'Requests', stat: 'ts99' },
        at(12, 0),
      ],
      [
        'a custom trimmed sum with bounds',
        { kind: 'custom', namespace: 'App', metricName: 'Requests', stat: 'TS(0%:99%)' },
        at(12, 0),
      ],
      [
        'a custom trimmed count',
        { kind: 'custom', namespace: 'App', metricName: 'Jobs', stat: 'tc99' },
        at(12, 0),
      ],
      [
        'a custom trimmed count with bounds',
        { kind: 'custom', namespace: 'App', metricName: 'Jobs', stat: 'TC(1%:99%)' },
        at(12, 0),
      ],
      [
        'an expression searching trimmed sums',
        { kind: 'expression', expression: SEARCH('TS(0%:99%)') },
        at(12, 0),
      ],
      ['an expression searching tc99', { kind: 'expression', expression: SEARCH('tc99') }, at(12, 0)],
      [
        'a custom trimmed mean',
        { kind: 'custom', namespace: 'App', metricName: 'Latency', stat: 'tm99' },
        at(12, 5),
      ],
      ['cpu', { kind: 'cpu' }, at(12, 5)],
      [
        'a custom Average',
        { kind: 'custom', namespace: 'App', metricName: 'Queue', stat: 'Average' },
        at(12, 5),
      ],
      // Settled too since 2026-12-07: a SUM of per-series Averages reads low while a series is late.
      ['an expression searching Averages', { kind: 'expression', expression: SEARCH('Average') }, at(12, 0)],
    ])('reads %s a minute after a step ended', (_, metric, alignedEndMs) => {
      expect(historyQuery('web', withMetric(metric), at(12, 6)).endMs).toBe(alignedEndMs);
    });

    describe('an expression, which aggregates whatever series have reported', () => {
      const perMinute = (metric: unknown) => groupSettingsSchema.parse({ stepSeconds: 60, metric });
      const INSTANCES_IN_FLIGHT = `SUM(SEARCH('{App,AutoScalingGroupName,InstanceId} MetricName="InFlight" AutoScalingGroupName="\${group}"', 'Average'))`;

      it.each([
        ['a SUM of per-instance Averages', INSTANCES_IN_FLIGHT],
        ['an AVG over instances', INSTANCES_IN_FLIGHT.replace('SUM(', 'AVG(')],
        [
          'a Metrics Insights SELECT SUM',
          `SELECT SUM(RequestCount) FROM SCHEMA("AWS/ApplicationELB", LoadBalancer, TargetGroup) WHERE TargetGroup = 'targetgroup/\${group}/abc'`,
        ],
        [
          'a Metrics Insights SELECT AVG',
          `SELECT AVG(InFlight) FROM SCHEMA(App, AutoScalingGroupName, InstanceId) WHERE AutoScalingGroupName = '\${group}'`,
        ],
      ])('reads %s 10 s after a minute ended as alb-requests, up to the steps settled', (_, expression) => {
        // A read at 12:06:10 would otherwise ask up to 12:06, and an instance whose 12:04 or 12:05
        // point is still on its way would drop out of those steps.
        const endMs = historyQuery('web', perMinute({ kind: 'expression', expression }), at(12, 6, 10)).endMs;
        expect(endMs).toBe(at(12, 3));
        expect(endMs).toBe(historyQuery('web', perMinute(ALB), at(12, 6, 10)).endMs);
      });
    });

    it('reads the step once it has settled', () => {
      expect(historyQuery('web', withMetric(ALB), at(12, 5) + CUMULATIVE_SETTLE_MS).endMs).toBe(at(12, 5));
      expect(historyQuery('web', withMetric(ALB), at(12, 5) + CUMULATIVE_SETTLE_MS - 1).endMs).toBe(
        at(12, 0),
      );
    });
  });

  it('asks every reader within one step for the same whole steps', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<60 | 300 | 3600>(60, 300, 3600),
        fc.integer({ min: 3, max: 14 }),
        fc.integer({ min: at(0, 0), max: at(0, 0) + 30 * DAY_MS }),
        (stepSeconds, historyDays, endMs) => {
          const stepMs = stepSeconds * 1000;
          const query = historyQuery('web', settings(stepSeconds, historyDays), endMs);
          expect(query.endMs % stepMs).toBe(0);
          expect(query.endMs).toBeLessThanOrEqual(endMs);
          expect(query.endMs).toBeGreaterThan(endMs - stepMs);
          expect(query.endMs - query.startMs).toBe(historyDays * DAY_MS);
          expect(historyQuery('web', settings(stepSeconds, historyDays), query.endMs + stepMs - 1)).toEqual(
            query,
          );
        },
      ),
    );
  });

  it('starts at an earlier start a reader asks for, never later than historyDays before the end', () => {
    const query = historyQuery('web', settings(300, 4), at(12, 7, 30), at(11, 45) - 4 * DAY_MS);
    expect(query.startMs).toBe(at(11, 45) - 4 * DAY_MS);
    expect(query.endMs).toBe(at(12, 5));
    expect(historyQuery('web', settings(300, 4), at(12, 7, 30), at(12, 0)).startMs).toBe(
      at(12, 5) - 4 * DAY_MS,
    );
  });
});
