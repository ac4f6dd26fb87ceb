import { parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { forecastDemand } from '../../../shared/core/forecast/forecast-demand';
import type { LoadObservation } from '../../../shared/core/forecast/types';
import type { HistoryQuery, MetricHistory } from '../../../shared/ports/metric-history';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../../fakes/recording-group-ownership';

const STEP_MS = 300_000;
const DAY_STEPS = 288;
const START = Date.UTC(2026, 0, 5);

/** Quiet nights at 60, a sharp business-hours plateau at 600 from 09:00 to 17:00 UTC. */
function dailyPlateau(step: number): number {
  const minuteOfDay = ((step % DAY_STEPS) * 5) % 1440;
  return minuteOfDay >= 540 && minuteOfDay < 1020 ? 600 : 60;
}

class History implements MetricHistory {
  constructor(private readonly observations: LoadObservation[]) {}
  async loadHistory(queries: readonly HistoryQuery[]) {
    return new Map(
      queries.map((q) => [q.groupName, this.observations.filter((o) => o.timestampMs < q.endMs)]),
    );
  }
}

describe('scaleGroups with the real forecaster', () => {
  it('puts the business-hours capacity in service a lead time before 09:00', async () => {
    const days = 7;
    const history = Array.from({ length: days * DAY_STEPS }, (_, i) => ({
      timestampMs: START + i * STEP_MS,
      value: dailyPlateau(i),
    }));
    // 08:45 on day 8: the plateau starts in 15 minutes; lead time 10 minutes + a 5-minute tick.
    const nowMs = START + days * 86_400_000 + (8 * 60 + 45) * 60_000;
    const scalingTarget = new FakeScalingTarget([
      groupSnapshot({ name: 'web', minSize: 1, desiredCapacity: 1, maxSize: 30 }),
    ]);
    const config = parseConfig(
      userConfigSchema,
      {
        groups: { names: ['web'] },
        mode: 'forecast-and-scale',
        defaults: {
          targetLoadPerInstance: 60,
          floorCapacity: 1,
          maxChangePerTick: 20,
          defaultLeadTimeSeconds: 600,
        },
      },
      'test',
    );
    const results = await scaleGroups(
      {
        scalingTarget,
        metricHistory: new History(history),
        stateStore: new MemoryStateStore(),
        clock: { nowMs: () => nowMs },
        forecast: forecastDemand,
        isGloballyPaused: async () => false,
        groupOwnership: new RecordingGroupOwnership(),
      },
      config,
      [{ groupName: 'web', tickMs: nowMs }],
    );
    expect(results[0]).toMatchObject({ kind: 'ran', outcome: { kind: 'applied' } });
    // 600 / 60 = 10 instances, ahead of the load.
    expect(scalingTarget.groups.get('web')?.minSize).toBeGreaterThanOrEqual(10);
    expect(scalingTarget.groups.get('web')?.minSize).toBeLessThanOrEqual(13);
  });

  describe('a cpu group collecting GroupInServiceInstances but not GroupTerminatingInstances', () => {
    const flatWeek = Array.from({ length: 7 * DAY_STEPS }, (_, i) => ({
      timestampMs: START + i * STEP_MS,
      value: 300,
    }));
    const nowMs = START + 7 * 86_400_000;
    const runWith = (collectedGroupMetrics: readonly string[] | undefined, config: object = {}) =>
      scaleGroups(
        {
          scalingTarget: new FakeScalingTarget([
            groupSnapshot({
              name: 'web',
              desiredCapacity: 5,
              maxSize: 20,
              ...(collectedGroupMetrics ? { collectedGroupMetrics } : {}),
            }),
          ]),
          metricHistory: new History(flatWeek),
          stateStore: new MemoryStateStore(),
          clock: { nowMs: () => nowMs },
          forecast: forecastDemand,
          isGloballyPaused: async () => false,
          groupOwnership: new RecordingGroupOwnership(),
        },
        parseConfig(
          userConfigSchema,
          { groups: { names: ['web'] }, mode: 'forecast-and-scale', ...config },
          'test',
        ),
        [{ groupName: 'web', tickMs: nowMs }],
      );
    const reasonOf = (results: Awaited<ReturnType<typeof runWith>>) =>
      results[0]?.kind === 'ran' ? results[0].outcome.reason : '';
    const warning =
      'GroupTerminatingInstances is not collected on web: its cpu load counts no draining instance, so it reads low after a scale-in while instances drain; collect it: aws autoscaling enable-metrics-collection --auto-scaling-group-name web --metrics GroupTerminatingInstances --granularity 1Minute';

    it('is warned in the run record, applied or held, with the command that collects it', async () => {
      const applied = await runWith(['GroupInServiceInstances', 'GroupDesiredCapacity']);
      expect(applied[0]).toMatchObject({ kind: 'ran', outcome: { kind: 'applied' } });
      expect(reasonOf(applied)).toContain(warning);
      const held = await runWith(['GroupInServiceInstances'], { mode: 'forecast-only' });
      expect(held[0]).toMatchObject({ kind: 'ran', outcome: { kind: 'held' } });
      expect(reasonOf(held)).toContain(warning);
    });

    it('is not warned when both are collected, when the group shows none, or for a load read elsewhere', async () => {
      const custom = {
        metric: { kind: 'custom', namespace: 'App', metricName: 'Load', dimensions: {}, stat: 'Sum' },
        saturatedLoadPerInstance: 'none',
      };
      for (const results of [
        await runWith(['GroupInServiceInstances', 'GroupTerminatingInstances']),
        await runWith(undefined),
        await runWith(['GroupInServiceInstances'], { defaults: custom }),
      ]) {
        expect(results[0]).toMatchObject({ kind: 'ran' });
        expect(reasonOf(results)).not.toContain('GroupTerminatingInstances');
      }
    });
  });

  const withoutHistory = (
    group: ReturnType<typeof groupSnapshot>,
    config: object = {},
    observations: LoadObservation[] = [],
  ) =>
    scaleGroups(
      {
        scalingTarget: new FakeScalingTarget([group]),
        metricHistory: new History(observations),
        stateStore: new MemoryStateStore(),
        clock: { nowMs: () => START },
        forecast: forecastDemand,
        isGloballyPaused: async () => false,
        groupOwnership: new RecordingGroupOwnership(),
      },
      parseConfig(
        userConfigSchema,
        { groups: { names: [group.name] }, mode: 'forecast-and-scale', ...config },
        'test',
      ),
      [{ groupName: group.name, tickMs: START }],
    );

  it('reports a group with no history instead of failing it', async () => {
    expect(await withoutHistory(groupSnapshot({ name: 'new' }))).toEqual([
      {
        kind: 'no-history',
        groupName: 'new',
        reason:
          "no datapoint of the load of new in the last 14 days: a new group's first comes within minutes; otherwise check that group metrics collection is on (GroupInServiceInstances: aws autoscaling enable-metrics-collection --auto-scaling-group-name new --granularity 1Minute) and that instances are in service",
      },
    ]);
  });

  it('reports a group whose metric reports only negative values instead of failing it', async () => {
    const negative = Array.from({ length: DAY_STEPS }, (_, i) => ({
      timestampMs: START - (i + 1) * STEP_MS,
      value: -1 - (i % 7),
    }));
    const [result] = await withoutHistory(groupSnapshot({ name: 'web' }), {}, negative);
    expect(result).toMatchObject({ kind: 'no-history', groupName: 'web' });
    expect(result?.kind === 'no-history' && result.reason).toContain(
      'none of the 288 datapoints of the load of web in the last 14 days is a load (a finite value ≥ 0)',
    );
  });

  it('names the switch when the cpu load cannot exist: group metrics collection off', async () => {
    const [off] = await withoutHistory(groupSnapshot({ name: 'web', collectedGroupMetrics: [] }));
    expect(off).toMatchObject({ kind: 'no-history' });
    expect(off?.kind === 'no-history' && off.reason).toContain(
      'group metrics collection is off on web, and its cpu load is average CPUUtilization × (GroupInServiceInstances + GroupTerminatingInstances)',
    );
    // Another metric kind does not need it.
    const [custom] = await withoutHistory(groupSnapshot({ name: 'web', collectedGroupMetrics: [] }), {
      defaults: {
        metric: { kind: 'custom', namespace: 'App', metricName: 'Load', dimensions: {}, stat: 'Sum' },
        saturatedLoadPerInstance: 'none',
      },
    });
    expect(custom?.kind === 'no-history' && custom.reason).toContain(
      'no datapoint of the load of web in the last 14 days',
    );
    expect(custom?.kind === 'no-history' && custom.reason).toContain(
      'check metric.namespace, metricName and dimensions (App Load) against what is published',
    );
  });
});
