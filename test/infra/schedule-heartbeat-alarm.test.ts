import { App, Duration, Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as sns from 'aws-cdk-lib/aws-sns';
import { OperationsDashboard } from '../../infra/constructs/operations-dashboard';
import { ScheduledFunction } from '../../infra/constructs/scheduled-function';
import {
  type StoredDatapoint,
  userGuideEvaluationRange,
} from '../../shared/simulation/world/metric-alarm-evaluation';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import {
  type AlarmStateChange,
  alarmStateChanges,
  type SynthesizedAlarm,
  synthesizedAlarm,
} from '../helpers/synthesized-alarm';
import { testOutdir } from '../helpers/test-temp-root';
import { scheduleHeartbeats } from './deploy-matrix/operational-coverage';

// The heartbeats of the daily schedules judged as CloudWatch would (metric-alarm-evaluation.ts):
// the synthesized alarm's rule, evaluated each minute on the Invocations Lambda publishes for the
// runs the schedule makes (one a rate, the first when the schedule is created; none once it is
// disabled), on a clock the test moves.

const MINUTE = 60_000;
const DAY_MS = 86_400_000;
/** Each minute CloudWatch evaluates the alarm, a few seconds past the minute. */
const EVALUATION_OFFSET_MS = 5_000;
/** Scheduler invokes "with 60 second precision"; Lambda's datapoint is readable a few minutes later. */
const INVOKED_AFTER_MS = 40_000;
const READABLE_AFTER_MS = 3 * MINUTE;
const DAYS = 12;
/** Creation times across the day: the alarm's periods are whole UTC days, the schedule's runs are not. */
const CREATED_AT = ['2026-03-02T00:00:30Z', '2026-03-02T13:37:00Z', '2026-03-02T23:50:00Z'];

const CONFIG = { ...TEST_CONFIG, rollingUpdate: { autoStartOnScheduledEvents: true } };

interface ScheduledHeartbeat {
  readonly scheduleId: string;
  readonly rateMs: number;
  readonly alarm: SynthesizedAlarm;
}

/** The template's heartbeat alarm of the schedule whose logical ID contains `scheduleIdPart`. */
function heartbeatOf(template: Template, scheduleIdPart: string): ScheduledHeartbeat {
  const found = scheduleHeartbeats(template.toJSON() as never).filter((h) =>
    h.scheduleId.includes(scheduleIdPart),
  );
  if (found.length !== 1) throw new Error(`${found.length} schedules match ${scheduleIdPart}, expected one`);
  const [{ scheduleId, rateSeconds, alarmIds }] = found as [(typeof found)[number]];
  if (alarmIds.length !== 1) throw new Error(`${alarmIds.length} heartbeats on ${scheduleId}, expected one`);
  return { scheduleId, rateMs: rateSeconds * 1000, alarm: synthesizedAlarm(template, alarmIds[0] as string) };
}

/** Lambda's Invocations datapoints for a schedule created at `createdMs` that runs until `stopsAtMs`. */
function invocations(
  rateMs: number,
  createdMs: number,
  stopsAtMs = Number.POSITIVE_INFINITY,
): StoredDatapoint[] {
  const points: StoredDatapoint[] = [];
  // "If you do not provide a StartDate for a rate-based schedule, your schedule begins invoking
  // its target immediately" (Scheduler User Guide, schedule types).
  for (let run = createdMs; run < Math.min(stopsAtMs, createdMs + DAYS * DAY_MS); run += rateMs) {
    const timestampMs = run + INVOKED_AFTER_MS;
    points.push({ timestampMs, value: 1, readableFromMs: timestampMs + READABLE_AFTER_MS });
  }
  return points;
}

const stateChanges = (
  points: readonly StoredDatapoint[],
  alarm: SynthesizedAlarm,
  createdMs: number,
  rangePeriods = userGuideEvaluationRange(alarm.rule.evaluationPeriods),
): AlarmStateChange[] =>
  alarmStateChanges(points, alarm, {
    createdMs,
    untilMs: createdMs + DAYS * DAY_MS,
    rangePeriods,
    evaluationOffsetMs: EVALUATION_OFFSET_MS,
  });

/** The first evaluation at or after `ms`. */
const evaluationAtOrAfter = (ms: number): number =>
  Math.ceil((ms - EVALUATION_OFFSET_MS) / MINUTE) * MINUTE + EVALUATION_OFFSET_MS;

const template = synthesizedTemplate(CONFIG);
const SCHEDULES = [
  ['instance-type selection', 'InstanceTypesDailySchedule'],
  ['maintenance scan', 'MaintenanceSchedule'],
] as const;

describe('schedule heartbeats', () => {
  it.each(SCHEDULES)(
    "alarms, to the topic, when the %s's function has no Invocations for two of its schedule's periods, missing data breaching",
    (_, scheduleIdPart) => {
      const { scheduleId, rateMs, alarm } = heartbeatOf(template, scheduleIdPart);
      expect(rateMs).toBe(DAY_MS);
      expect(alarm.rule).toEqual({
        periodSeconds: rateMs / 1000,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        threshold: 1,
        comparison: 'LessThanThreshold',
        statistic: 'Sum',
        treatMissingData: 'breaching',
      });
      const resource = template.findResources('AWS::CloudWatch::Alarm')[alarm.logicalId];
      expect(resource?.Properties).toMatchObject({
        AlarmActions: [{ Ref: expect.stringMatching(/NotificationsTopic/) }],
        WarmUpConfiguration: {
          WarmUpPeriodDurationInMinutes: rateMs / MINUTE + 60,
          OnlyStartEvaluatingAfterWarmUpPeriodEnds: true,
        },
      });
      // The notification carries the description: the schedule, its role and its group to check.
      const description = JSON.stringify(resource?.Properties.AlarmDescription);
      expect(description).toContain(`{"Ref":"${scheduleId}"}`);
      expect(description).toMatch(/\{"Ref":"[^"]*Role[^"]*"\}/);
      expect(description).toContain("Check the schedule's State (ENABLED)");
      expect(description).toContain('schedule group');
    },
  );

  it('gives the scaling loop no heartbeat (PrescaleSilent watches it) and the maintenance scan one only when it is deployed', () => {
    const heartbeats = (config: unknown) =>
      scheduleHeartbeats(synthesizedTemplate(config).toJSON() as never)
        .map((h) => `${h.scheduleId.replace(/[0-9A-F]{8}$/, '')}: ${h.alarmIds.length}`)
        .sort();
    expect(heartbeats(TEST_CONFIG)).toEqual([
      'PrescaleInstanceTypesDailySchedule: 1',
      'PrescaleScalingLoopSchedule: 0',
    ]);
    expect(heartbeats(CONFIG)).toEqual([
      'PrescaleInstanceTypesDailySchedule: 1',
      'PrescaleRollingUpdatesMaintenanceSchedule: 1',
      'PrescaleScalingLoopSchedule: 0',
    ]);
  });

  describe.each(SCHEDULES)('of the %s', (_, scheduleIdPart) => {
    const { rateMs, alarm } = heartbeatOf(template, scheduleIdPart);

    it.each(CREATED_AT)(
      'stays OK while the schedule runs (created %s): OK from the end of its warm-up on',
      (createdAt) => {
        const createdMs = Date.parse(createdAt);
        const changes = stateChanges(invocations(rateMs, createdMs), alarm, createdMs);
        expect(changes).toEqual([{ atMs: evaluationAtOrAfter(createdMs + alarm.warmUpMs), state: 'OK' }]);
      },
    );

    it.each(CREATED_AT)(
      'would notify on a first deployment without its warm-up (created %s)',
      (createdAt) => {
        const createdMs = Date.parse(createdAt);
        const unwarmed = { ...alarm, warmUpMs: 0 };
        const changes = stateChanges(invocations(rateMs, createdMs), unwarmed, createdMs);
        expect(changes[0]).toEqual({ atMs: evaluationAtOrAfter(createdMs), state: 'ALARM' });
      },
    );

    it.each(CREATED_AT)(
      'alarms when its warm-up ends if the schedule never runs (created %s)',
      (createdAt) => {
        const createdMs = Date.parse(createdAt);
        expect(stateChanges([], alarm, createdMs)).toEqual([
          { atMs: evaluationAtOrAfter(createdMs + alarm.warmUpMs), state: 'ALARM' },
        ]);
      },
    );

    it.each(CREATED_AT)(
      'alarms once no run is left in the evaluation range after the schedule is disabled, at least two periods after its last run (created %s)',
      (createdAt) => {
        const createdMs = Date.parse(createdAt);
        const disabledAtMs = createdMs + 4 * rateMs + 6 * 3_600_000;
        const points = invocations(rateMs, createdMs, disabledAtMs);
        const lastRunMs = (points.at(-1) as StoredDatapoint).timestampMs;
        const lastPeriodMs = Math.floor(lastRunMs / rateMs) * rateMs;
        // CloudWatch reads more periods than the alarm judges and counts the real datapoints among
        // them first; how many it reads is not published, so each plausible range is shown.
        for (const extra of [0, 1, 2, 3]) {
          const range = alarm.rule.evaluationPeriods + extra;
          const alarmed = stateChanges(points, alarm, createdMs, range).filter((c) => c.state === 'ALARM');
          const expectedMs = evaluationAtOrAfter(lastPeriodMs + (range + 1) * rateMs);
          expect(alarmed).toEqual([{ atMs: expectedMs, state: 'ALARM' }]);
          expect(expectedMs - lastRunMs).toBeGreaterThanOrEqual(2 * rateMs);
        }
      },
    );
  });
});

describe('OperationsDashboard.addScheduleHeartbeat', () => {
  /** A heartbeat on a schedule of `rate`, in a stack of its own. */
  function heartbeatAt(rate: Duration): void {
    const stack = new Stack(new App({ outdir: testOutdir() }), 'Heartbeat');
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    const scheduled = new ScheduledFunction(stack, 'Every', {
      function: fn,
      scheduleGroup: new scheduler.ScheduleGroup(stack, 'Group'),
      rate,
      description: 'a test schedule',
    });
    const operations = new OperationsDashboard(stack, 'Operations', {
      workerLogGroup: new logs.LogGroup(stack, 'Logs'),
      functions: [fn],
      topic: new sns.Topic(stack, 'Topic'),
    });
    operations.addScheduleHeartbeat('Test', scheduled);
  }

  it('takes the longest rate whose warm-up CloudWatch accepts (47 hours: 2,820 + 60 minutes)', () => {
    expect(() => heartbeatAt(Duration.hours(47))).not.toThrow();
  });

  it("refuses a rate whose warm-up would exceed CloudWatch's 2,880 minutes, naming it", () => {
    expect(() => heartbeatAt(Duration.days(2))).toThrow(
      "OperationsDashboard addScheduleHeartbeat Test: the schedule's rate must be at most 2820 minutes (its warm-up, one rate and 60 minutes, within CloudWatch's 2880), got 2 days",
    );
  });
});
