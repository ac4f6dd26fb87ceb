import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Match } from 'aws-cdk-lib/assertions';
import { mockClient } from 'aws-sdk-client-mock';
import { ENV } from '../../shared/contracts/env';
import { metricsFromEmfEvent } from '../../shared/simulation/world/embedded-metric-format';
import type { StoredDatapoint } from '../../shared/simulation/world/metric-alarm-evaluation';
import { synthesizedTemplate, TEST_CONFIG, TEST_STACK_NAME } from '../helpers/build-test-app';
import { fakeDateOnly } from '../helpers/fake-date';
import { answerMaintenanceScan } from '../helpers/maintenance-scan-aws';
import { builtAt, invocationContext, printedDuring } from '../helpers/powertools-output';
import { alarmStateChanges, isWatchedBy, synthesizedAlarmOn } from '../helpers/synthesized-alarm';

// MaintenanceUnserved judged as CloudWatch would (metric-alarm-evaluation.ts) on what the deployed
// find-scheduled-maintenance handler logs, one scheduled run a day: a group skipped with events
// pending leaves the scan successful, so this alarm is what reports it.

const DAY_MS = 86_400_000;
const START_MS = Date.parse('2026-03-02T00:00:00Z');
const DAYS = 5;
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:RollingUpdate';
const CONFIG = {
  ...TEST_CONFIG,
  groups: { names: ['a-api', 'b-web'] },
  rollingUpdate: { autoStartOnScheduledEvents: true },
};

const asg = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const sfn = mockClient(SFNClient);
const ssm = mockClient(SSMClient);

type Handler = (event: unknown, context: ReturnType<typeof invocationContext>) => Promise<unknown>;
let handler: Handler;
let template: ReturnType<typeof synthesizedTemplate>;

beforeAll(() => {
  template = synthesizedTemplate(CONFIG);
  handler = builtAt('WARN', () => {
    process.env[ENV.config] = JSON.stringify(CONFIG);
    process.env[ENV.stateTableName] = 'prescale-state';
    // The stack's name: the deployment dimension its alarms watch.
    process.env[ENV.deployment] = TEST_STACK_NAME;
    process.env[ENV.rollingUpdateStateMachineArn] = STATE_MACHINE;
    process.env[ENV.killSwitchParameterName] = '/prescale/kill';
    // Not isolated: the handler's SDK clients must be the ones mocked above.
    return require('../../functions/find-scheduled-maintenance/handler').handler as Handler;
  });
  fakeDateOnly();
});

afterAll(() => jest.useRealTimers());

/** Both groups on version 6, one retirement on each in three days; a-api paused when `paused`. */
function answerAsAws(nowMs: number, { paused }: { paused: boolean }): void {
  answerMaintenanceScan({ asg, ec2, sfn, ssm }, nowMs, {
    ...(paused ? { 'a-api': [{ Key: 'prescale:paused', Value: 'true' }] } : {}),
  });
  sfn.on(StartExecutionCommand).callsFake(async (input: { name: string }) => ({
    executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${input.name}`,
    startDate: new Date(),
  }));
}

/** What the daily run (06:00) prints over `DAYS` days, a-api paused on the days in `paused`. */
async function dailyRuns(paused: ReadonlySet<number>): Promise<Record<string, unknown>[][]> {
  const days: Record<string, unknown>[][] = [];
  for (let day = 0; day < DAYS; day += 1) {
    const scheduledMs = START_MS + day * DAY_MS + 6 * 3_600_000;
    answerAsAws(scheduledMs, { paused: paused.has(day) });
    jest.setSystemTime(scheduledMs + 1_000);
    const saved = process.env.POWERTOOLS_METRICS_DISABLED;
    process.env.POWERTOOLS_METRICS_DISABLED = 'false';
    days.push(
      await printedDuring(async () => {
        // Resolves whether or not a group was skipped: only the warning and the count report it.
        await handler({}, invocationContext(`r${day}`));
      }).finally(() => {
        process.env.POWERTOOLS_METRICS_DISABLED = saved;
      }),
    );
  }
  return days;
}

/** The alarm's datapoints in what the runs printed. */
function datapoints(days: readonly Record<string, unknown>[][]): StoredDatapoint[] {
  const alarm = synthesizedAlarmOn(template, 'MaintenanceGroupsUnserved');
  return days
    .flat()
    .filter((l) => '_aws' in l)
    .flatMap(metricsFromEmfEvent)
    .filter((metric) => isWatchedBy(alarm, metric))
    .map((metric) => ({
      timestampMs: metric.timestampMs,
      value: Math.max(...metric.values),
      readableFromMs: metric.timestampMs + 60_000,
    }));
}

/** The alarm's state changes (ms after the start), for an evaluation range of `rangePeriods`. */
function stateChanges(points: readonly StoredDatapoint[], rangePeriods: number): [number, string][] {
  const alarm = synthesizedAlarmOn(template, 'MaintenanceGroupsUnserved');
  return alarmStateChanges(points, alarm, {
    createdMs: START_MS,
    untilMs: START_MS + DAYS * DAY_MS,
    rangePeriods,
    evaluationOffsetMs: 5_000,
  }).map((change) => [change.atMs - START_MS, change.state]);
}

describe('MaintenanceUnserved', () => {
  it('watches the unserved groups, one period per daily scan, and notifies the topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'MaintenanceGroupsUnserved',
      Namespace: 'Prescale',
      Dimensions: Match.arrayWith([{ Name: 'deployment', Value: TEST_STACK_NAME }]),
      Statistic: 'Maximum',
      Period: 86_400,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp("'scheduled maintenance left unserved'"),
      AlarmActions: [Match.objectLike({ Ref: Match.stringLikeRegexp('NotificationsTopic') })],
    });
  });

  it('is not created without autoStartOnScheduledEvents, which deploys no scan', () => {
    const alarms = synthesizedTemplate().findResources('AWS::CloudWatch::Alarm', {
      Properties: { MetricName: 'MaintenanceGroupsUnserved' },
    });
    expect(Object.keys(alarms)).toEqual([]);
  });

  it('warns per group skipped with events pending, naming its first event and the reason', async () => {
    const [day0] = await dailyRuns(new Set([0]));
    const warnings = (day0 ?? []).filter((l) => l.level === 'WARN');
    expect(warnings).toEqual([
      expect.objectContaining({
        message: 'scheduled maintenance left unserved',
        groupName: 'a-api',
        firstEventAt: new Date(START_MS + 6 * 3_600_000 + 3 * DAY_MS).toISOString(),
        firstEventCode: 'instance-retirement',
        instanceId: 'i-1',
        reason: expect.stringContaining('paused by its prescale:paused tag'),
      }),
    ]);
  });

  it('counts every run, zero included, fires within a day of a skip and clears after a run that serves it', async () => {
    const points = datapoints(await dailyRuns(new Set([1, 2])));
    expect(points.map((p) => [Math.floor((p.timestampMs - START_MS) / DAY_MS), p.value])).toEqual([
      [0, 0],
      [1, 1],
      [2, 1],
      [3, 0],
      [4, 0],
    ]);
    for (let extra = 0; extra <= 2; extra += 1) {
      const changes = stateChanges(points, 1 + extra).filter(([, state]) => state !== 'INSUFFICIENT_DATA');
      const alarms = changes.filter(([, state]) => state === 'ALARM').map(([atMs]) => atMs);
      const firstAlarmMs = alarms[0] ?? Number.NaN;
      const backToOkMs =
        changes.find(([atMs, state]) => state === 'OK' && atMs > firstAlarmMs)?.[0] ?? Number.NaN;
      // One notification for the two days held, not one per run; OK within a day of the run serving it.
      expect({
        extra,
        alarms: alarms.length,
        alarmedWithinADayOfTheSkip: firstAlarmMs > DAY_MS && firstAlarmMs <= 2 * DAY_MS + 60_000,
        clearedWithinADayOfTheServe: backToOkMs > 3 * DAY_MS && backToOkMs <= 4 * DAY_MS + 60_000,
      }).toEqual({ extra, alarms: 1, alarmedWithinADayOfTheSkip: true, clearedWithinADayOfTheServe: true });
    }
  });
});
