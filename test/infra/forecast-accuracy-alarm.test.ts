import { publishGroupRunMetrics } from '../../functions/scale-groups/publish-group-run-metrics';
import type { Observability } from '../../shared/aws/powertools';
import { metricsFromEmfEvent } from '../../shared/simulation/world/embedded-metric-format';
import type { StoredDatapoint } from '../../shared/simulation/world/metric-alarm-evaluation';
import { ranGroupRun } from '../fixtures/group-run-result';
import { synthesizedTemplate } from '../helpers/build-test-app';
import { deployedWorkerObservability } from '../helpers/deployed-worker-observability';
import { fakeDateOnly } from '../helpers/fake-date';
import { printedDuring } from '../helpers/powertools-output';
import { alarmStateChanges, isWatchedBy, synthesizedAlarmOn } from '../helpers/synthesized-alarm';

// ForecastAccuracyDegraded judged as CloudWatch would (metric-alarm-evaluation.ts) on the
// ForecastRelativeError values the worker's runs log, ten groups a run, one run each 5 minutes.

const MINUTE = 60_000;
const START_MS = Date.parse('2026-03-02T00:00:00Z');
const HOURS = 6;

let template: ReturnType<typeof synthesizedTemplate>;
let observability: Observability;

beforeAll(() => {
  template = synthesizedTemplate();
  observability = deployedWorkerObservability();
  fakeDateOnly();
});

afterAll(() => jest.useRealTimers());

/** Each run's groups as [absolute error of the median, actual load]; what the alarm reads of them. */
async function logged(groups: readonly (readonly [number, number])[]): Promise<StoredDatapoint[]> {
  const alarm = synthesizedAlarmOn(template, 'ForecastRelativeError');
  const points: StoredDatapoint[] = [];
  for (let t = START_MS; t < START_MS + HOURS * 60 * MINUTE; t += 5 * MINUTE) {
    jest.setSystemTime(t + 30_000);
    const lines = await printedDuring(async () => {
      for (const [forecastAbsError, actualLoad] of groups)
        publishGroupRunMetrics(observability, ranGroupRun({ forecastAbsError, actualLoad }), 'logs');
      observability.metrics.publishStoredMetrics();
    });
    for (const metric of lines.filter((l) => '_aws' in l).flatMap(metricsFromEmfEvent))
      if (isWatchedBy(alarm, metric))
        for (const value of metric.values)
          points.push({
            timestampMs: metric.timestampMs,
            value,
            readableFromMs: metric.timestampMs + MINUTE,
          });
  }
  return points;
}

async function alarms(groups: readonly (readonly [number, number])[]): Promise<number> {
  const alarm = synthesizedAlarmOn(template, 'ForecastRelativeError');
  const changes = alarmStateChanges(await logged(groups), alarm, {
    createdMs: START_MS,
    untilMs: START_MS + HOURS * 60 * MINUTE,
    rangePeriods: alarm.rule.evaluationPeriods,
    evaluationOffsetMs: 5_000,
  });
  return changes.filter((c) => c.state === 'ALARM').length;
}

describe('ForecastAccuracyDegraded, judged on what the worker logs', () => {
  it('stays quiet when nine groups are forecast within 10 % and a near-idle one is off by 400 %', async () => {
    const nine = Array.from({ length: 9 }, () => [10, 100] as const);
    expect(await alarms([...nine, [2, 0.5]])).toBe(0);
  });

  it('fires when the median group is off by more than the threshold for three hours', async () => {
    const offByHalf = Array.from({ length: 10 }, () => [50, 100] as const);
    expect(await alarms(offByHalf)).toBe(1);
  });

  it('fires for a deployment of one group, whose dozen runs an hour are few samples for a median', async () => {
    expect(await alarms([[50, 100]])).toBe(1);
  });
});
