import type { StoredDatapoint } from '../../shared/simulation/world/metric-alarm-evaluation';
import { synthesizedTemplate } from '../helpers/build-test-app';
import {
  alarmStateChanges,
  mathAlarmStateChanges,
  synthesizedAlarm,
  synthesizedMathAlarmReading,
} from '../helpers/synthesized-alarm';

// DeadLettersScalingWork judged as CloudWatch would (metric-alarm-evaluation.ts) on the work
// dead-letter queue's ApproximateNumberOfMessagesVisible. SQS moves a failed work item there
// (maxReceiveCount 1), which NumberOfMessagesSent does not count, and keeps it 14 days: an alarm
// on the backlog stays in ALARM while one message is left unread or undeleted, and alarm actions
// run only on a change of state, so later failures would notify no one. SQS sends a queue's
// metrics only while it is active (it holds messages or was accessed in the last six hours), so
// an empty queue has no datapoints before its first message.

const MINUTE = 60_000;
const INTERVAL_MS = 5 * MINUTE;
const DAY_MS = 86_400_000;
const START_MS = Date.parse('2026-03-02T00:00:00Z');
const DAYS = 3;
/** SQS sends its metrics each minute; sampled here every 5 minutes, what a 5-minute Maximum reads. */
const SAMPLE_MS = 5 * MINUTE;
/** When a tick's failed work item reaches the queue: its visibility timeout after the tick. */
const ARRIVAL_LAG_MS = 2 * MINUTE;

let template: ReturnType<typeof synthesizedTemplate>;

beforeAll(() => {
  template = synthesizedTemplate();
});

/** The queue's visible messages, none ever deleted, a work item of each tick in `ticks` dead-lettered. */
function visibleMessages(ticks: readonly number[]): StoredDatapoint[] {
  const arrivals = ticks.map((tick) => START_MS + tick * INTERVAL_MS + ARRIVAL_LAG_MS);
  const first = Math.min(...arrivals);
  const points: StoredDatapoint[] = [];
  for (let t = START_MS; t < START_MS + DAYS * DAY_MS; t += SAMPLE_MS) {
    // Inactive, and so without datapoints, until the first message arrives.
    if (t < first) continue;
    const value = arrivals.filter((at) => at <= t).length;
    points.push({ timestampMs: t, value, readableFromMs: t + MINUTE });
  }
  return points;
}

/** The alarm's state changes (ms after the start), CloudWatch reading `extra` periods beyond its own. */
function stateChanges(points: readonly StoredDatapoint[], extra: number): [number, string][] {
  const [logicalId] = Object.keys(template.findResources('AWS::CloudWatch::Alarm')).filter((id) =>
    id.includes('DeadLettersScalingWork'),
  );
  const window = (evaluationPeriods: number) => ({
    createdMs: START_MS,
    untilMs: START_MS + DAYS * DAY_MS,
    rangePeriods: evaluationPeriods + extra,
    evaluationOffsetMs: 5_000,
  });
  const isMath = template.findResources('AWS::CloudWatch::Alarm')[logicalId as string]?.Properties.Metrics;
  if (!isMath) {
    const alarm = synthesizedAlarm(template, logicalId as string);
    return alarmStateChanges(points, alarm, window(alarm.rule.evaluationPeriods)).map((c) => [
      c.atMs - START_MS,
      c.state,
    ]);
  }
  const alarm = synthesizedMathAlarmReading(template, 'ApproximateNumberOfMessagesVisible');
  const byId = Object.fromEntries(alarm.inputs.map(({ id }) => [id, points]));
  return mathAlarmStateChanges(byId, alarm, window(alarm.rule.evaluationPeriods)).map((c) => [
    c.atMs - START_MS,
    c.state,
  ]);
}

const alarmsIn = (changes: readonly [number, string][]) =>
  changes.filter(([, state]) => state === 'ALARM').map(([atMs]) => atMs);

describe('DeadLettersScalingWork, judged on the work dead-letter queue', () => {
  it('notifies again for failures on day 2 though the messages of day 0 are still in the queue', () => {
    // Runs failing in 3 loop intervals running on day 0, and again on day 2; nothing deleted.
    const day2 = (2 * DAY_MS) / INTERVAL_MS;
    const points = visibleMessages([10, 11, 12, day2 + 10, day2 + 11, day2 + 12]);
    for (let extra = 1; extra <= 3; extra += 1) {
      const alarms = alarmsIn(stateChanges(points, extra));
      // Each once the third interval's message has been counted: within two intervals of it.
      const near = (tick: number) =>
        alarms.some((at) => at > tick * INTERVAL_MS && at <= (tick + 3) * INTERVAL_MS);
      expect({ extra, alarms: alarms.length, day0: near(12), day2: near(day2 + 12) }).toEqual({
        extra,
        alarms: 2,
        day0: true,
        day2: true,
      });
    }
  });

  it('does not notify for one failed run, or for failures in intervals that are not consecutive', () => {
    // A throttle fails one run; LoopErrors needs 3 intervals running, and so does this alarm.
    for (const ticks of [[10], [10, 11], [10, 12, 14, 16]]) {
      for (let extra = 1; extra <= 3; extra += 1)
        expect([ticks, extra, alarmsIn(stateChanges(visibleMessages(ticks), extra))]).toEqual([
          ticks,
          extra,
          [],
        ]);
    }
  });
});
