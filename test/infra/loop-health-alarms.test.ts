import { publishBatchRuns } from '../../functions/scale-groups/publish-batch-runs';
import { publishGroupRunMetrics } from '../../functions/scale-groups/publish-group-run-metrics';
import type { Observability } from '../../shared/aws/powertools';
import { TransientDependencyError } from '../../shared/ports/errors';
import { metricsFromEmfEvent } from '../../shared/simulation/world/embedded-metric-format';
import type { StoredDatapoint } from '../../shared/simulation/world/metric-alarm-evaluation';
import type { GroupRunResult } from '../../shared/usecases/scale-groups';
import { ranGroupRun } from '../fixtures/group-run-result';
import { synthesizedTemplate } from '../helpers/build-test-app';
import { deployedWorkerObservability } from '../helpers/deployed-worker-observability';
import { fakeDateOnly } from '../helpers/fake-date';
import { printedDuring } from '../helpers/powertools-output';
import {
  alarmStateChanges,
  isWatchedBy,
  mathAlarmStateChanges,
  type SynthesizedAlarm,
  type SynthesizedMathAlarm,
  synthesizedAlarmOn,
  synthesizedMathAlarmReading,
} from '../helpers/synthesized-alarm';

// The loop-health alarms that need several loop intervals running, judged as CloudWatch would
// (metric-alarm-evaluation.ts) on the fleet metrics the worker's runs log in each interval.

const MINUTE = 60_000;
const INTERVAL_MS = 5 * MINUTE;
const START_MS = Date.parse('2026-03-02T00:00:00Z');
/** Each interval's worker batch. */
const RUNS_PER_INTERVAL = 12;
/** Room for the longest run of bad intervals an alarm needs (NoLoadHistory's hour, 12) after 3 good ones. */
const INTERVALS = 18;
const LOG_DELAY_MS = 10_000;

const failedRun = (error: Error): GroupRunResult => ({ kind: 'failed', groupName: 'web', tickMs: 0, error });

/** Each alarm and a run that counts towards it. */
const ALARMS: [string, string, GroupRunResult][] = [
  ['LoopErrors', 'GroupRunFailed', failedRun(new Error('boom'))],
  [
    'LaunchesFailing',
    'LaunchFailures',
    ranGroupRun({ launchFailures: { count: 1, newestReason: 'InsufficientInstanceCapacity' } }),
  ],
  [
    'LookAheadShort',
    'LookAheadShort',
    ranGroupRun({ lookAhead: { kind: 'failed', error: new Error('denied') } }),
  ],
  [
    'LoadHistoryStale',
    'StaleHistory',
    ranGroupRun({ staleHistory: { newestStepEndMs: 0, ageMinutes: 360, reason: 'its metric stopped' } }),
  ],
  ['NoLoadHistory', 'NoHistory', { kind: 'no-history', groupName: 'web', reason: 'collection off' }],
];

let template: ReturnType<typeof synthesizedTemplate>;
let observability: Observability;

beforeAll(() => {
  template = synthesizedTemplate();
  observability = deployedWorkerObservability();
  fakeDateOnly();
});

afterAll(() => jest.useRealTimers());

/** The alarm's metric as the worker logs it when the intervals in `bad` have only `badRun`s. */
async function loggedDatapoints(alarm: SynthesizedAlarm, badRun: GroupRunResult, bad: ReadonlySet<number>) {
  const points: StoredDatapoint[] = [];
  for (let i = 0; i < INTERVALS; i += 1) {
    jest.setSystemTime(START_MS + i * INTERVAL_MS + 30_000);
    const run = bad.has(i) ? badRun : ranGroupRun();
    const lines = await printedDuring(async () => {
      for (let r = 0; r < RUNS_PER_INTERVAL; r += 1) publishGroupRunMetrics(observability, run, 'logs');
      observability.metrics.publishStoredMetrics();
    });
    for (const metric of lines.filter((l) => '_aws' in l).flatMap(metricsFromEmfEvent)) {
      if (!isWatchedBy(alarm, metric)) continue;
      const value = metric.values.reduce((a, b) => a + b, 0);
      points.push({
        timestampMs: metric.timestampMs,
        value,
        readableFromMs: metric.timestampMs + LOG_DELAY_MS,
      });
    }
  }
  return points;
}

/** The times (ms after the start) the alarm goes to ALARM, over every evaluation of the run. */
const alarmTimes = (
  points: readonly StoredDatapoint[],
  alarm: SynthesizedAlarm,
  rangePeriods: number,
): number[] =>
  alarmStateChanges(points, alarm, {
    createdMs: START_MS,
    untilMs: START_MS + (INTERVALS + 2) * INTERVAL_MS,
    rangePeriods,
    evaluationOffsetMs: 5_000,
  })
    .filter((change) => change.state === 'ALARM')
    .map((change) => change.atMs - START_MS);

describe('loop-health alarms, judged on what the worker logs', () => {
  it.each(ALARMS)(
    '%s (%s) does not fire on bad intervals that are not consecutive, whatever range CloudWatch reads',
    async (name, metricName, badRun) => {
      const alarm = synthesizedAlarmOn(template, metricName);
      const n = alarm.rule.evaluationPeriods;
      expect(n).toBeGreaterThan(1);
      // Every other interval bad, as many of them as the alarm needs and more.
      const points = await loggedDatapoints(alarm, badRun, new Set([2, 4, 6, 8, 10]));
      for (let extra = 1; extra <= 3; extra += 1)
        expect([name, extra, alarmTimes(points, alarm, n + extra)]).toEqual([name, extra, []]);
    },
  );

  it.each(ALARMS)(
    '%s (%s) fires when its intervals running are bad, once the last of them has ended',
    async (name, metricName, badRun) => {
      const alarm = synthesizedAlarmOn(template, metricName);
      const n = alarm.rule.evaluationPeriods;
      const bad = new Set(Array.from({ length: n }, (_, k) => 3 + k));
      const points = await loggedDatapoints(alarm, badRun, bad);
      // The nth bad interval's period ends at the start of the one after it.
      const firstAlarmMs = (3 + n) * INTERVAL_MS + 5_000;
      for (let extra = 1; extra <= 3; extra += 1)
        expect([name, extra, alarmTimes(points, alarm, n + extra)[0]]).toEqual([name, extra, firstAlarmMs]);
    },
  );

  it('every other alarm on a Prescale metric watches one the worker logs, with exactly its dimensions', async () => {
    const lines = await printedDuring(async () => {
      for (const run of [...ALARMS.map(([, , r]) => r), ranGroupRun({ demandAboveMax: true })])
        publishGroupRunMetrics(observability, run, 'logs');
      observability.metrics.publishStoredMetrics();
    });
    const logged = lines.filter((l) => '_aws' in l).flatMap(metricsFromEmfEvent);
    const alarmed = Object.values(
      template.findResources('AWS::CloudWatch::Alarm', { Properties: { Namespace: 'Prescale' } }),
    )
      .map((r) => r.Properties.MetricName as string)
      // The dispatcher's (prescale-silent-alarm.test.ts) and the instance-type selector's
      // (instance-types-failing-alarm.test.ts).
      .filter(
        (name) =>
          ![
            'StaleGroups',
            'GroupsReleaseFailed',
            'NamedGroupsNotFound',
            'InstanceTypes_failed',
            'InstanceTypes_pricesFallback',
          ].includes(name),
      );
    expect(alarmed).toEqual(expect.arrayContaining(['ForecastRelativeError', 'DemandAboveMaxSize']));
    const unwatched = alarmed.filter(
      (name) => !logged.some((metric) => isWatchedBy(synthesizedAlarmOn(template, name), metric)),
    );
    expect(unwatched).toEqual([]);
    const throttling = synthesizedMathAlarmReading(template, 'Throttled');
    const unread = throttling.inputs.filter((input) => !logged.some((metric) => isWatchedBy(input, metric)));
    expect(unread).toEqual([]);
  });
});

describe('DemandAboveMaxSize, judged on what the worker logs', () => {
  it('clears after an interval whose runs fit MaxSize and notifies again when demand exceeds it later', async () => {
    const alarm = synthesizedAlarmOn(template, 'DemandAboveMaxSize');
    const points = await loggedDatapoints(alarm, ranGroupRun({ demandAboveMax: true }), new Set([3, 8]));
    for (let extra = 0; extra <= 2; extra += 1) {
      const changes = alarmStateChanges(points, alarm, {
        createdMs: START_MS,
        untilMs: START_MS + (INTERVALS + 2) * INTERVAL_MS,
        rangePeriods: alarm.rule.evaluationPeriods + extra,
        evaluationOffsetMs: 5_000,
      }).map((change) => [(change.atMs - 5_000 - START_MS) / INTERVAL_MS, change.state]);
      // Each interval is judged once it has ended: interval 3 at the start of 4, and so on.
      expect([extra, changes]).toEqual([
        extra,
        [
          [0, 'OK'],
          [4, 'ALARM'],
          [5, 'OK'],
          [9, 'ALARM'],
          [10, 'OK'],
        ],
      ]);
    }
  });
});

/** Each metric the math alarm reads, by id, as the worker logs it when `publish(i)` runs interval i. */
async function loggedInputs(alarm: SynthesizedMathAlarm, publish: (interval: number) => Promise<unknown>) {
  const byId: Record<string, StoredDatapoint[]> = Object.fromEntries(alarm.inputs.map(({ id }) => [id, []]));
  for (let i = 0; i < INTERVALS; i += 1) {
    jest.setSystemTime(START_MS + i * INTERVAL_MS + 30_000);
    const lines = await printedDuring(async () => {
      // A batch that fails as a whole throws once its runs are published, failing the invocation.
      await publish(i).catch(() => undefined);
      observability.metrics.publishStoredMetrics();
    });
    for (const metric of lines.filter((l) => '_aws' in l).flatMap(metricsFromEmfEvent)) {
      for (const input of alarm.inputs) {
        if (!isWatchedBy(input, metric)) continue;
        const value = metric.values.reduce((a, b) => a + b, 0);
        byId[input.id]?.push({
          timestampMs: metric.timestampMs,
          value,
          readableFromMs: metric.timestampMs + LOG_DELAY_MS,
        });
      }
    }
  }
  return byId;
}

describe('Throttling, on the share of runs throttled, judged on what the worker logs', () => {
  const throttled = failedRun(new TransientDependencyError('Auto Scaling', 'DescribeAutoScalingGroups'));
  /** `groups` runs an interval, `bad` of them throttled in the intervals of `badIntervals`. */
  const runsOf =
    (groups: number, bad: number, badIntervals: ReadonlySet<number>) =>
    async (interval: number): Promise<void> => {
      const throttledRuns = badIntervals.has(interval) ? bad : 0;
      for (let g = 0; g < groups; g += 1)
        publishGroupRunMetrics(observability, g < throttledRuns ? throttled : ranGroupRun(), 'logs');
    };
  const alarmTimesOf = (
    byId: Record<string, StoredDatapoint[]>,
    alarm: SynthesizedMathAlarm,
    extra: number,
  ) =>
    mathAlarmStateChanges(byId, alarm, {
      createdMs: START_MS,
      untilMs: START_MS + (INTERVALS + 2) * INTERVAL_MS,
      rangePeriods: alarm.rule.evaluationPeriods + extra,
      evaluationOffsetMs: 5_000,
    })
      .filter((change) => change.state === 'ALARM')
      .map((change) => change.atMs - START_MS);
  /** When the alarm first fires after bad intervals 3 and 4: once the second has ended. */
  const afterTwoBad = 5 * INTERVAL_MS + 5_000;

  it.each([1, 3, 10, 50])(
    'fires for a deployment of %d groups whose every run is throttled in 2 intervals running',
    async (groups) => {
      const alarm = synthesizedMathAlarmReading(template, 'Throttled');
      expect(alarm.rule.evaluationPeriods).toBe(2);
      const byId = await loggedInputs(alarm, runsOf(groups, groups, new Set([3, 4])));
      for (let extra = 1; extra <= 3; extra += 1)
        expect([groups, extra, alarmTimesOf(byId, alarm, extra)]).toEqual([groups, extra, [afterTwoBad]]);
    },
  );

  it('does not fire on throttled intervals that are not consecutive, whatever range CloudWatch reads', async () => {
    const alarm = synthesizedMathAlarmReading(template, 'Throttled');
    const byId = await loggedInputs(alarm, runsOf(10, 10, new Set([2, 4, 6, 8, 10])));
    for (let extra = 1; extra <= 3; extra += 1)
      expect([extra, alarmTimesOf(byId, alarm, extra)]).toEqual([extra, []]);
  });

  it.each([
    [2, false],
    [3, true],
  ])(
    'with 10 groups and %d runs throttled in every interval, fires: %s (more than 20 %% of runs)',
    async (bad, fires) => {
      const alarm = synthesizedMathAlarmReading(template, 'Throttled');
      const every = new Set(Array.from({ length: INTERVALS }, (_, i) => i));
      const byId = await loggedInputs(alarm, runsOf(10, bad, every));
      expect(alarmTimesOf(byId, alarm, 2).length > 0).toBe(fires);
    },
  );

  it('fires when whole batches fail on a transient error before any run, counting each of their groups', async () => {
    const alarm = synthesizedMathAlarmReading(template, 'Throttled');
    const items = Array.from({ length: 10 }, (_, g) => ({ groupName: `g${g}`, tickMs: 0 }));
    const failure = new TransientDependencyError('CloudWatch', 'GetMetricData');
    const byId = await loggedInputs(alarm, (interval) =>
      publishBatchRuns(observability, 'logs', items, async () =>
        [3, 4].includes(interval)
          ? Promise.reject(failure)
          : items.map(({ groupName }) => ranGroupRun({ groupName })),
      ),
    );
    expect(alarmTimesOf(byId, alarm, 2)).toEqual([afterTwoBad]);
  });
});
