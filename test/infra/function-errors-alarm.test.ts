import type { Template } from 'aws-cdk-lib/assertions';
import { DeployedAccount } from '../../shared/simulation/aws-checks/deployed-account';
import type { CfnTemplate } from '../../shared/simulation/aws-checks/resolve-intrinsics';
import type { StoredDatapoint } from '../../shared/simulation/world/metric-alarm-evaluation';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { alarmStateChanges, type SynthesizedAlarm, synthesizedAlarm } from '../helpers/synthesized-alarm';

// FunctionErrors judged as CloudWatch would, on the Errors datapoints Lambda sends for a function
// that fails every invocation: "Invocation metrics are binary indicators of the outcome of a
// Lambda function invocation … if the function returns an error, then Lambda sends the Errors
// metric with a value of 1" (Lambda Developer Guide, "Types of metrics for Lambda functions"),
// and an asynchronous invocation that fails is run "two more times, with a one-minute wait between
// the first two attempts, and two minutes between the second and third attempts" ("How Lambda
// handles errors and retries with asynchronous invocation"), as Scheduler's invocations are.

const MINUTE = 60_000;
const CREATED_MS = Date.parse('2026-03-02T00:00:00Z');
/** Scheduler's first run of a schedule, two minutes after it is created. */
const FIRST_RUN_MS = CREATED_MS + 2 * MINUTE;
const ATTEMPT_OFFSETS_MS = [0, MINUTE, 3 * MINUTE];
/** Lambda sends its metrics "in 1-minute intervals". */
const READABLE_AFTER_MS = MINUTE;

const templates = new Map<number, Template>();

/**
 * The FunctionErrors alarm on the function that runs `handler`, at a loop of `rateMinutes`. The
 * templates are only read: kept for the run, which the dashboard and silent-alarm tests synthesize too.
 */
function functionErrorsAlarm(rateMinutes: number, handler: string): SynthesizedAlarm {
  const template =
    templates.get(rateMinutes) ?? synthesizedTemplate({ ...TEST_CONFIG, scheduleRateMinutes: rateMinutes });
  templates.set(rateMinutes, template);
  const fn = new DeployedAccount(template.toJSON() as CfnTemplate, { region: 'eu-west-1' }).functionFor(
    handler,
  );
  const ids = Object.keys(
    template.findResources('AWS::CloudWatch::Alarm', {
      Properties: {
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn.logicalId } }],
      },
    }),
  );
  expect(ids).toHaveLength(1);
  return synthesizedAlarm(template, ids[0] as string);
}

/**
 * Errors datapoints of a function scheduled every `everyMs`: the runs `fails` picks fail every
 * attempt, the others succeed at the first.
 */
function errorsOfRuns(everyMs: number, untilMs: number, fails: (run: number) => boolean): StoredDatapoint[] {
  const points: StoredDatapoint[] = [];
  for (let run = FIRST_RUN_MS, n = 0; run < untilMs; run += everyMs, n += 1) {
    const attempts = fails(n) ? ATTEMPT_OFFSETS_MS : [0];
    for (const offset of attempts) {
      const timestampMs = run + offset;
      points.push({ timestampMs, value: fails(n) ? 1 : 0, readableFromMs: timestampMs + READABLE_AFTER_MS });
    }
  }
  return points;
}

const alarmedAt = (
  alarm: SynthesizedAlarm,
  points: StoredDatapoint[],
  untilMs: number,
  rangePeriods: number,
) =>
  alarmStateChanges(points, alarm, {
    createdMs: CREATED_MS,
    untilMs,
    rangePeriods,
    evaluationOffsetMs: 5_000,
  })
    .filter((c) => c.state === 'ALARM')
    .map((c) => c.atMs);

describe('FunctionErrors, judged on the Errors datapoints Lambda sends', () => {
  it.each([1, 5, 10, 15, 30, 60])(
    'fires once, and stays, for a dispatcher failing every run at a %d-minute rate',
    (rateMinutes) => {
      const alarm = functionErrorsAlarm(rateMinutes, 'dispatch-scaling-run');
      const untilMs = FIRST_RUN_MS + 8 * 60 * MINUTE;
      const points = errorsOfRuns(rateMinutes * MINUTE, untilMs, () => true);
      // A state change to ALARM notifies: one, not one per run while the failures last.
      for (const extra of [1, 2, 3]) {
        const range = alarm.rule.evaluationPeriods + extra;
        expect([range, alarmedAt(alarm, points, untilMs, range).length]).toEqual([range, 1]);
      }
    },
  );

  it.each([1, 5, 10, 15, 30, 60])(
    'does not fire for one failed run of the dispatcher, retries included, at a %d-minute rate',
    (rateMinutes) => {
      const alarm = functionErrorsAlarm(rateMinutes, 'dispatch-scaling-run');
      const untilMs = FIRST_RUN_MS + 8 * 60 * MINUTE;
      // The tenth run fails its three attempts; the retries reach into the next runs' periods.
      const points = errorsOfRuns(rateMinutes * MINUTE, untilMs, (n) => n === 10);
      for (const extra of [1, 2, 3]) {
        const range = alarm.rule.evaluationPeriods + extra;
        expect([range, alarmedAt(alarm, points, untilMs, range)]).toEqual([range, []]);
      }
    },
  );

  it('never fires for the daily instance-type selection failing every run: its dead-letter queue reports it', () => {
    const alarm = functionErrorsAlarm(5, 'select-instance-types');
    const untilMs = FIRST_RUN_MS + 3 * 24 * 60 * MINUTE;
    const points = errorsOfRuns(24 * 60 * MINUTE, untilMs, () => true);
    for (const extra of [1, 2, 3])
      expect(alarmedAt(alarm, points, untilMs, alarm.rule.evaluationPeriods + extra)).toEqual([]);
  });
});
