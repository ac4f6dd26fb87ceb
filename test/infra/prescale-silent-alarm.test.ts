import { type AttributeValue, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoDbStateStore } from '../../shared/aws/dynamo-db-state-store';
import { metricsFromEmfEvent } from '../../shared/simulation/world/embedded-metric-format';
import {
  type StoredDatapoint,
  userGuideEvaluationRange,
} from '../../shared/simulation/world/metric-alarm-evaluation';
import { synthesizedTemplate, TEST_CONFIG } from '../helpers/build-test-app';
import { fakeDateOnly } from '../helpers/fake-date';
import { builtAt, invocationContext, printedDuring } from '../helpers/powertools-output';
import { scalingLoopEnvironment } from '../helpers/scaling-loop-environment';
import {
  type AlarmStateChange,
  alarmStateChanges,
  isWatchedBy,
  type SynthesizedAlarm,
  synthesizedAlarmOn,
} from '../helpers/synthesized-alarm';

// The "Prescale silent" alarm judged as CloudWatch would judge it: the synthesized alarm's rule,
// evaluated each minute (metric-alarm-evaluation.ts) on the StaleGroups datapoints the real
// dispatcher handler logs in the embedded metric format, on a clock the test moves.

const dynamoDb = mockClient(DynamoDBClient);

const MINUTE = 60_000;
const WEB_GROUP = {
  AutoScalingGroupName: 'web',
  MinSize: 1,
  MaxSize: 5,
  DesiredCapacity: 1,
  DefaultCooldown: 300,
  AvailabilityZones: ['eu-west-1a'],
  HealthCheckType: 'EC2',
  CreatedTime: new Date('2026-01-01T00:00:00Z'),
};
/** When the stack is created; the dispatcher's schedule first fires two minutes later. */
const CREATED_MS = Date.parse('2026-03-02T00:00:00Z');
const FIRST_TICK_MS = CREATED_MS + 2 * MINUTE;
/** Each run lasts this many loop intervals; an outage starts at the twelfth, after the warm-up. */
const RUN_INTERVALS = 24;
const OUTAGE_TICK = 12;
/** Each minute CloudWatch evaluates the alarm, a few seconds past the minute. */
const EVALUATION_OFFSET_MS = 5_000;
/** After its tick's dispatch, the worker's run writes the group's state. */
const WORKER_WRITES_AFTER_MS = 20_000;
const DISPATCH_AFTER_MS = 2_000;
/** How long after its timestamp a logged datapoint is readable: quick, or late by 90 s. */
const LOG_DELAYS_MS = [5_000, 90_000];

type Handler = (event: unknown, context: ReturnType<typeof invocationContext>) => Promise<unknown>;

/** The deployed dispatcher, loaded in a registry of its own, and its state table's GetItem answer. */
interface Dispatcher {
  readonly handler: Handler;
  answerGetItem(item: Record<string, AttributeValue>): void;
}

/** One deployed dispatcher per rate, loaded once (its module keeps no state between ticks). */
const dispatchers = new Map<number, Dispatcher>();

/**
 * The deployed dispatcher module, loaded for a loop of `rateMinutes` with metrics on. Its module
 * registry is its own (each rate configures a fresh module), so its SDK clients are mocked there.
 */
function dispatcherAt(rateMinutes: number): Dispatcher {
  const config = { ...TEST_CONFIG, scheduleRateMinutes: rateMinutes };
  return builtAt('ERROR', () => {
    Object.assign(process.env, scalingLoopEnvironment(config));
    let dispatcher: Dispatcher | undefined;
    jest.isolateModules(() => {
      const autoScaling =
        require('@aws-sdk/client-auto-scaling') as typeof import('@aws-sdk/client-auto-scaling');
      const sqsModule = require('@aws-sdk/client-sqs') as typeof import('@aws-sdk/client-sqs');
      const dynamo = require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb');
      const ssm = require('@aws-sdk/client-ssm') as typeof import('@aws-sdk/client-ssm');
      // Each dispatch reads the kill switch before giving back groups taken out of Prescale.
      mockClient(ssm.SSMClient)
        .on(ssm.GetParameterCommand)
        .resolves({ Parameter: { Name: '/prescale/kill', Type: 'String', Value: 'running', Version: 1 } });
      mockClient(autoScaling.AutoScalingClient)
        .on(autoScaling.DescribeAutoScalingGroupsCommand)
        .resolves({ AutoScalingGroups: [WEB_GROUP] });
      mockClient(sqsModule.SQSClient)
        .on(sqsModule.SendMessageBatchCommand)
        .resolves({ Successful: [{ Id: '0', MessageId: 'm-1', MD5OfMessageBody: 'md5' }], Failed: [] });
      const table = mockClient(dynamo.DynamoDBClient);
      dispatcher = {
        handler: require('../../functions/dispatch-scaling-run/handler').handler as Handler,
        // Reset first: each `on` adds a matcher every later call is compared with (sinon's deep
        // equality), and the recorded calls grow with each tick: a long run went quadratic.
        answerGetItem: (item) => {
          table.reset().on(dynamo.GetItemCommand).resolves({ Item: item });
        },
      };
    });
    return dispatcher as Dispatcher;
  });
}

/** The state item the store writes for a group whose last run ended at `updatedAtMs`. */
async function stateItemOfRunAt(updatedAtMs: number): Promise<Record<string, AttributeValue>> {
  dynamoDb.reset().on(PutItemCommand).resolves({});
  const store = new DynamoDbStateStore(new DynamoDBClient({ region: 'eu-west-1' }), 'state');
  await store.putGroupState('web', { planningQuantile: 0.9, updatedAtMs });
  const item = dynamoDb.commandCalls(PutItemCommand).at(-1)?.args[0].input.Item;
  if (!item) throw new Error('the store wrote no item');
  return item;
}

/** Which part of Prescale stops, and at which tick (none: it runs throughout). */
interface Outage {
  readonly dispatcherStopsAtMs?: number;
  readonly groupStopsAtMs?: number;
}

interface LoopRun {
  readonly rateMinutes: number;
  readonly alarm: SynthesizedAlarm;
  readonly logDelayMs: number;
  readonly outage?: Outage;
}

/** The datapoints of the alarm's metric the dispatcher logs over the run. */
async function loggedDatapoints(run: LoopRun): Promise<StoredDatapoint[]> {
  const rateMs = run.rateMinutes * MINUTE;
  const dispatch = dispatchers.get(run.rateMinutes) ?? dispatcherAt(run.rateMinutes);
  dispatchers.set(run.rateMinutes, dispatch);
  const { dispatcherStopsAtMs = Number.POSITIVE_INFINITY, groupStopsAtMs = Number.POSITIVE_INFINITY } =
    run.outage ?? {};
  const points: StoredDatapoint[] = [];
  for (
    let tick = FIRST_TICK_MS;
    tick < runEndMs(run.rateMinutes) && tick < dispatcherStopsAtMs;
    tick += rateMs
  ) {
    // The previous tick's run wrote the state; a group that stopped keeps its last run's.
    const lastRunTick = Math.min(tick - rateMs, groupStopsAtMs - rateMs);
    dispatch.answerGetItem(await stateItemOfRunAt(lastRunTick + WORKER_WRITES_AFTER_MS));
    jest.setSystemTime(tick + DISPATCH_AFTER_MS);
    let result: unknown;
    const lines = await printedDuring(async () => {
      const event = { scheduledTime: new Date(tick).toISOString() };
      result = await dispatch.handler(event, invocationContext(`tick-${tick}`));
    });
    // A dispatch that could not read what it needs would still log its datapoints.
    expect(result).not.toHaveProperty('takenOutSkipped');
    for (const metric of lines.filter((l) => '_aws' in l).flatMap(metricsFromEmfEvent)) {
      if (!isWatchedBy(run.alarm, metric)) continue;
      const readableFromMs = metric.timestampMs + run.logDelayMs;
      points.push(
        ...metric.values.map((value) => ({ timestampMs: metric.timestampMs, value, readableFromMs })),
      );
    }
  }
  return points;
}

/** The alarm's state changes over a run of `rateMinutes`, from the stack's creation. */
const stateChanges = (
  points: readonly StoredDatapoint[],
  alarm: SynthesizedAlarm,
  rangePeriods: number,
  untilMs: number,
): AlarmStateChange[] =>
  alarmStateChanges(points, alarm, {
    createdMs: CREATED_MS,
    untilMs,
    rangePeriods,
    evaluationOffsetMs: EVALUATION_OFFSET_MS,
  });

const runEndMs = (rateMinutes: number): number => CREATED_MS + RUN_INTERVALS * rateMinutes * MINUTE;

/** The first evaluation at or after `ms`. */
const evaluationAtOrAfter = (ms: number): number =>
  Math.ceil((ms - EVALUATION_OFFSET_MS) / MINUTE) * MINUTE + EVALUATION_OFFSET_MS;

/**
 * The first evaluation that counts a datapoint logged at `loggedMs`: its period over (the newest
 * period evaluated is the last one ended) and the datapoint readable.
 */
const countedFrom = (loggedMs: number, periodMs: number, logDelayMs: number): number =>
  evaluationAtOrAfter(Math.max(Math.floor(loggedMs / periodMs) * periodMs + periodMs, loggedMs + logDelayMs));

const synthesized = new Map<number, SynthesizedAlarm>();
/** The synthesized "Prescale silent" alarm of a loop of `rateMinutes` (one synth per rate). */
function silentAlarmAt(rateMinutes: number): SynthesizedAlarm {
  const config = { ...TEST_CONFIG, scheduleRateMinutes: rateMinutes };
  const alarm =
    synthesized.get(rateMinutes) ?? synthesizedAlarmOn(synthesizedTemplate(config), 'StaleGroups');
  synthesized.set(rateMinutes, alarm);
  return alarm;
}

beforeAll(() => {
  fakeDateOnly();
});

afterAll(() => jest.useRealTimers());

const RATES = [1, 5, 15];
const runs = RATES.flatMap((rateMinutes) => LOG_DELAYS_MS.map((logDelayMs) => ({ rateMinutes, logDelayMs })));

describe('Prescale silent, judged on what the dispatcher logs', () => {
  it.each(runs)(
    'at a $rateMinutes-minute rate, logs readable after $logDelayMs ms: OK from the end of its warm-up on',
    async ({ rateMinutes, logDelayMs }) => {
      const rateMs = rateMinutes * MINUTE;
      const alarm = silentAlarmAt(rateMinutes);
      const points = await loggedDatapoints({ rateMinutes, alarm, logDelayMs });
      expect(points).toHaveLength(Math.ceil((runEndMs(rateMinutes) - FIRST_TICK_MS) / rateMs));
      expect(points.every((p) => p.value === 0)).toBe(true);
      // Created before any datapoint exists, with missing data breaching, it would notify on a
      // first deployment; it waits, and the first dispatch's datapoint counts before it judges.
      const warmUpEndsMs = evaluationAtOrAfter(CREATED_MS + alarm.warmUpMs);
      expect(countedFrom(FIRST_TICK_MS + DISPATCH_AFTER_MS, rateMs, logDelayMs)).toBeLessThanOrEqual(
        warmUpEndsMs,
      );
      const range = userGuideEvaluationRange(alarm.rule.evaluationPeriods);
      expect(stateChanges(points, alarm, range, runEndMs(rateMinutes))).toEqual([
        { atMs: warmUpEndsMs, state: 'OK' },
      ]);
    },
  );

  it.each(RATES)(
    'at a %d-minute rate, a deployment whose loop never runs alarms when the warm-up ends',
    (rateMinutes) => {
      const alarm = silentAlarmAt(rateMinutes);
      expect(alarm.warmUpMs).toBe(Math.max(3 * rateMinutes, 10) * MINUTE);
      expect(stateChanges([], alarm, userGuideEvaluationRange(2), runEndMs(rateMinutes))).toEqual([
        { atMs: evaluationAtOrAfter(CREATED_MS + alarm.warmUpMs), state: 'ALARM' },
      ]);
    },
  );

  it("watches, in the give-back alarm, the dispatcher's GroupsReleaseFailed: one datapoint a tick, 0 with nothing failing", async () => {
    const alarm = synthesizedAlarmOn(synthesizedTemplate(TEST_CONFIG), 'GroupsReleaseFailed');
    expect(alarm.rule).toMatchObject({ threshold: 0, evaluationPeriods: 3 });
    const points = await loggedDatapoints({ rateMinutes: 5, alarm, logDelayMs: 5_000 });
    expect(points).toHaveLength(Math.ceil((runEndMs(5) - FIRST_TICK_MS) / (5 * MINUTE)));
    expect(points.every((p) => p.value === 0)).toBe(true);
  });

  it("watches, in the named-groups alarm, the dispatcher's NamedGroupsNotFound: one datapoint a tick, 0 with every named group found", async () => {
    const alarm = synthesizedAlarmOn(synthesizedTemplate(TEST_CONFIG), 'NamedGroupsNotFound');
    expect(alarm.rule).toMatchObject({ threshold: 0, evaluationPeriods: 2 });
    const points = await loggedDatapoints({ rateMinutes: 5, alarm, logDelayMs: 5_000 });
    expect(points).toHaveLength(Math.ceil((runEndMs(5) - FIRST_TICK_MS) / (5 * MINUTE)));
    expect(points.every((p) => p.value === 0)).toBe(true);
  });

  it('would be in ALARM all along if it watched a dimension set the dispatcher does not log', async () => {
    const alarm = silentAlarmAt(5);
    const dimensions = { ...alarm.metric.dimensions, function_name: 'dispatch' };
    const elsewhere = { ...alarm, metric: { ...alarm.metric, dimensions } };
    const points = await loggedDatapoints({ rateMinutes: 5, alarm: elsewhere, logDelayMs: 5_000 });
    expect(points).toEqual([]);
    expect(stateChanges(points, elsewhere, 4, runEndMs(5)).map((c) => c.state)).toEqual(['ALARM']);
  });

  it.each(runs)(
    'at a $rateMinutes-minute rate, logs readable after $logDelayMs ms: a group that stops running alarms once two dispatches found it stale',
    async ({ rateMinutes, logDelayMs }) => {
      const rateMs = rateMinutes * MINUTE;
      const alarm = silentAlarmAt(rateMinutes);
      const groupStopsAtMs = FIRST_TICK_MS + OUTAGE_TICK * rateMs;
      const points = await loggedDatapoints({ rateMinutes, alarm, logDelayMs, outage: { groupStopsAtMs } });
      // Its last run was the tick before; the third dispatch after it finds that run older than
      // two intervals, and the alarm needs that datapoint and the next one.
      const lastRunMs = groupStopsAtMs - rateMs;
      expect(points.map((p) => p.value).indexOf(1)).toBe(OUTAGE_TICK + 2);
      const secondStaleLoggedMs = lastRunMs + 4 * rateMs + DISPATCH_AFTER_MS;
      const range = userGuideEvaluationRange(alarm.rule.evaluationPeriods);
      const alarmed = countedFrom(secondStaleLoggedMs, rateMs, logDelayMs);
      expect(alarmed).toBeGreaterThan(CREATED_MS + alarm.warmUpMs);
      expect(
        stateChanges(points, alarm, range, runEndMs(rateMinutes)).filter((c) => c.state === 'ALARM'),
      ).toEqual([{ atMs: alarmed, state: 'ALARM' }]);
    },
  );

  it.each(RATES)(
    'at a %d-minute rate, a dispatcher that stops alarms once no datapoint is left in the evaluation range',
    async (rateMinutes) => {
      const rateMs = rateMinutes * MINUTE;
      const alarm = silentAlarmAt(rateMinutes);
      const dispatcherStopsAtMs = FIRST_TICK_MS + OUTAGE_TICK * rateMs;
      const outage = { dispatcherStopsAtMs };
      const points = await loggedDatapoints({ rateMinutes, alarm, logDelayMs: 5_000, outage });
      const lastLoggedMs = dispatcherStopsAtMs - rateMs + DISPATCH_AFTER_MS;
      const lastPeriodMs = Math.floor(lastLoggedMs / rateMs) * rateMs;
      // CloudWatch reads more periods than the alarm evaluates and counts the real datapoints
      // among them first; how many it reads is not published, so each plausible range is shown.
      for (const extra of [1, 2, 3]) {
        const range = alarm.rule.evaluationPeriods + extra;
        expect(
          stateChanges(points, alarm, range, runEndMs(rateMinutes)).filter((c) => c.state === 'ALARM'),
        ).toEqual([{ atMs: evaluationAtOrAfter(lastPeriodMs + (range + 1) * rateMs), state: 'ALARM' }]);
      }
    },
  );
});
