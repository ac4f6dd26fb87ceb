import { groupWorkItemSchema } from '../../contracts/scaling-events';
import { loadTraceAt } from '../load/load-trace';
import { buildScenario } from '../run/build-scenario';
import type { PrescaleLambdas } from '../run/prescale-lambdas';
import type { Scenario } from '../run/scenario';
import { type SeededRandom, seededRandom } from '../seeded-random';
import { launchTemplateIdOf } from '../world/auto-scaling/group-state';
import { worldMetricDelay } from '../world/metric-publication';
import { SimulatedWorld } from '../world/simulated-world';
import { type FaultCounters, FaultInjector, type TransportFaults } from './fault-injector';
import { faultInvariants, type InvariantResult, type RunLog, workKey } from './fault-invariants';

/** One fault scenario: which faults, for how long, on which seed. */
export interface FaultScenarioOptions {
  readonly seed: number;
  /** Simulated hours, starting at `startHourUtc` of the evaluated day. */
  readonly hours: number;
  /** @default 8 (the load rises towards the 13:00 UTC peak) */
  readonly startHourUtc?: number;
  /** Groups enrolled, each with the workload scaled down a little more. @default 1 */
  readonly groups?: number;
  readonly transport?: TransportFaults;
  /** InsufficientInstanceCapacity: this share of new launches fails between the two hours (from the start). */
  readonly launchFailures?: { readonly share: number; readonly fromHour: number; readonly toHour: number };
  /** Every scheduled tick is delivered twice at the same scheduled time. */
  readonly duplicateDeliveries?: boolean;
  /**
   * On these ticks (0-based) the worker freezes at the second group's first AWS call of its own
   * run (the first group already ran) and times out; SQS moves the whole batch to the dead-letter
   * queue (one delivery, as deployed) and the groups run again from the next tick.
   */
  readonly workerTimeoutTicks?: readonly number[];
  /**
   * On these ticks (0-based) CloudWatch refuses every GetMetricData call, non-retryably (the
   * batched read and each group's own read after it); the groups' work goes to the dead-letter
   * queue and they run again from the next tick.
   */
  readonly historyFailureTicks?: readonly number[];
  /**
   * Minutes late CloudWatch returns the world's AWS metrics (`Scenario.metricDelayMinutes`);
   * @default none, each readable as its minute ends
   */
  readonly metricDelayMinutes?: number;
  /** At this hour an instance refresh of the first group starts to a launch-template version whose instances never pass health checks, with AutoRollback. */
  readonly failingRefreshAtHour?: number;
}

export type { InvariantResult } from './fault-invariants';

export interface FaultScenarioResult {
  readonly invariants: readonly InvariantResult[];
  readonly counters: FaultCounters;
  readonly failedLaunches: number;
  readonly ticks: number;
  readonly handlerErrors: readonly string[];
  /** Work items the worker reported failed (the `GroupRunFailed` count). */
  readonly failedItems: number;
  readonly refreshStatuses: readonly string[];
  /** (group, tick) pairs without a run record whose work is not in the dead-letter queue, as `group@ISO time`. */
  readonly missingRuns: readonly string[];
  /** (group, tick) pairs the work queue dead-lettered, as `group@ISO time`. */
  readonly deadLettered: readonly string[];
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const TICK_MS = 5 * MINUTE_MS;
const GROUP_NAMES = ['web', 'api', 'batch', 'search', 'media'];
/** `floorCapacity` and `maxRaiseOverMaxSize` of the simulation's configuration (product defaults). */
const FLOOR = 1;
const MAX_RAISE = 0;

/** The scenario every fault run uses: the built-in workload, 8 days of history, one evaluated day. */
export function faultScenario(seed: number): Scenario {
  return buildScenario({ seed, warmupDays: 8, days: 1 });
}

/** Each further group runs a little less load than the one before. */
function loadFactor(groupIndex: number): number {
  return 1 - 0.15 * groupIndex;
}

/** One fault run's fixed parts: what every step reads and nothing reassigns. */
interface FaultRun {
  readonly prescale: PrescaleLambdas;
  readonly options: FaultScenarioOptions;
  readonly scenario: Scenario;
  readonly world: SimulatedWorld;
  readonly injector: FaultInjector;
  readonly names: readonly string[];
  readonly startMs: number;
  readonly endMs: number;
  /** `options.workerTimeoutTicks` as a set. */
  readonly timeoutTicks: ReadonlySet<number>;
}

/**
 * Runs Prescale's real handlers (`prescale`, already started with `prescaleConfig(faultScenario(…))`)
 * against a fresh simulated world with the chosen faults, and checks the invariants: capacity
 * within [floor, MaxSize + allowed raise] every minute, MaxSize back to its original at the end,
 * at most one capacity update per group and delivery, every (group, tick) recorded, every refresh
 * ended with capacity restored, and the fault visible in counters.
 */
export async function runFaultScenario(
  prescale: PrescaleLambdas,
  options: FaultScenarioOptions,
): Promise<FaultScenarioResult> {
  const scenario = faultScenario(options.seed);
  const startMs = scenario.evalStartMs + (options.startHourUtc ?? 8) * HOUR_MS;
  const endMs = startMs + options.hours * HOUR_MS;
  const random = seededRandom(options.seed).fork('faults');
  const injector = new FaultInjector(options.transport ?? {}, random.fork('transport'));
  const world = new SimulatedWorld({
    startMs,
    seed: scenario.seed,
    faults: injector,
    ...worldMetricDelay(options.metricDelayMinutes),
  });
  const names = GROUP_NAMES.slice(0, options.groups ?? 1);
  const timeoutTicks = new Set(options.workerTimeoutTicks ?? []);
  const run: FaultRun = { prescale, options, scenario, world, injector, names, startMs, endMs, timeoutTicks };
  const launches = enrolGroups(run, random.fork('launches'));
  await prescale.attach(world);
  const log = await simulateMinutes(run);

  const { invariants, refreshStatuses, missingRuns } = await faultInvariants({
    prescale,
    world,
    counters: injector.counters,
    names,
    startMs,
    log,
    failingRefresh: options.failingRefreshAtHour !== undefined,
    launchFailures: Boolean(options.launchFailures),
  });
  const visibility = faultVisibility(run, log, await launchReports(run, launches.failed), refreshStatuses);
  if (visibility) invariants.push(visibility);

  // The frozen invocations end only now, after every check, before the world is discarded.
  injector.releaseHangs();
  await prescale.settleAbandoned();

  return {
    invariants,
    counters: injector.counters,
    failedLaunches: launches.failed,
    ticks: log.tickTimes.length,
    handlerErrors: log.handlerErrors,
    failedItems: log.failedItems,
    refreshStatuses,
    missingRuns,
    deadLettered: log.deadLetters.map(workKey),
  };
}

/**
 * Creates the enrolled groups, sized for the load at the start, and seeds their history. The
 * returned count grows as the groups' launches fail inside the chosen window.
 */
function enrolGroups(run: FaultRun, launchRandom: SeededRandom): { failed: number } {
  const { options, scenario, world, startMs } = run;
  const launches = { failed: 0 };
  const ice = options.launchFailures;
  run.names.forEach((name, g) => {
    const initial = Math.max(
      FLOOR,
      Math.ceil((loadTraceAt(scenario.trace, startMs) * loadFactor(g)) / scenario.targetLoadPerInstance),
    );
    world.createGroup({
      name,
      minSize: scenario.minSize,
      maxSize: scenario.maxSize,
      desiredCapacity: Math.min(scenario.maxSize, initial),
      instanceType: scenario.instanceType,
      tags: { 'prescale:enabled': 'true' },
      launchDelaySeconds: scenario.launchDelaySeconds,
      launchJitterSeconds: scenario.launchJitterSeconds,
      warmupSeconds: scenario.warmupSeconds,
      warmPoolLaunchSeconds: scenario.warmPoolLaunchSeconds,
      targetTrackingCpu: scenario.targetLoadPerInstance,
      ...(options.failingRefreshAtHour !== undefined && g === 0
        ? { unhealthyLaunchTemplateVersions: ['2'] }
        : {}),
      ...(ice
        ? {
            launchFails: (nowMs: number) => {
              const inWindow =
                nowMs >= startMs + ice.fromHour * HOUR_MS && nowMs < startMs + ice.toHour * HOUR_MS;
              const fails = inWindow && launchRandom.next() < ice.share;
              if (fails) launches.failed += 1;
              return fails;
            },
          }
        : {}),
    });
    world.seedHistory(
      name,
      scenario.trace.startMs,
      startMs,
      (ms) => loadTraceAt(scenario.trace, ms) * loadFactor(g),
      scenario.targetLoadPerInstance,
    );
  });
  return launches;
}

/** Steps the world minute by minute to the end: the failing refresh, the ticks, the bounds check. */
async function simulateMinutes(run: FaultRun): Promise<RunLog> {
  const { options, world, startMs } = run;
  const log: RunLog = {
    originalMax: new Map(run.names.map((n) => [n, world.autoScaling.counts(n).maxSize])),
    boundsViolation: '',
    handlerErrors: [],
    failedItems: 0,
    tickTimes: [],
    deadLetters: [],
  };
  let refreshStarted = false;
  for (let t = startMs; t < run.endMs; t += MINUTE_MS) {
    world.advanceTo(t);
    if (
      options.failingRefreshAtHour !== undefined &&
      !refreshStarted &&
      t >= startMs + options.failingRefreshAtHour * HOUR_MS
    ) {
      refreshStarted = true;
      // Version 2 (version 1's copy) exists first: Auto Scaling refuses a refresh to a missing one.
      world.services.ec2.addLaunchTemplateVersion(
        launchTemplateIdOf({ spec: { name: run.names[0] as string } }),
        {},
        1,
      );
      world.autoScaling.startInstanceRefresh({
        AutoScalingGroupName: run.names[0] as string,
        DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
        Preferences: { MinHealthyPercentage: 90, AutoRollback: true, InstanceWarmup: 60 },
      });
    }
    if (t % TICK_MS === 0) await deliverTick(run, t, log);
    recordMinute(run, t, log);
  }
  log.deadLetters.push(
    ...run.prescale.deadLetters().map((m) => groupWorkItemSchema.parse(JSON.parse(m.body))),
  );
  return log;
}

/** Delivers one scheduled tick, once or more, with the faults chosen for this tick armed first. */
async function deliverTick(run: FaultRun, t: number, log: RunLog): Promise<void> {
  const { options, injector } = run;
  const tickIndex = log.tickTimes.length;
  log.tickTimes.push(t);
  injector.marker = String(t);
  const deliveries: { workerDeadline?: Promise<void> }[] = [{}];
  if (run.timeoutTicks.has(tickIndex)) {
    let seen = 0;
    // The worker's own per-group calls start with DescribeScalingActivities (lead time).
    const deadline = injector.hangOn((_s, command) => {
      if (command !== 'DescribeScalingActivitiesCommand') return false;
      seen += 1;
      return seen === 2;
    });
    deliveries[0] = { workerDeadline: deadline };
  }
  if (options.duplicateDeliveries) deliveries.push({});
  const historyFails = options.historyFailureTicks?.includes(tickIndex) ?? false;
  if (historyFails) injector.failMatching((_s, command) => command === 'GetMetricDataCommand');
  for (const delivery of deliveries) {
    const tick = await run.prescale.tick(delivery);
    log.failedItems += tick.failedItems;
    log.handlerErrors.push(...tick.handlerErrors);
  }
  if (historyFails) injector.stopFailing();
}

/** Records each group's load for minute `t` and keeps the first capacity-bounds violation. */
function recordMinute(run: FaultRun, t: number, log: RunLog): void {
  const { scenario, world } = run;
  run.names.forEach((name, g) => {
    world.recordMinute(name, t, loadTraceAt(scenario.trace, t) * loadFactor(g));
    const c = world.autoScaling.counts(name);
    const ceiling = (log.originalMax.get(name) as number) + MAX_RAISE;
    const ok =
      [c.minSize, c.desiredCapacity, c.maxSize].every(Number.isInteger) &&
      FLOOR <= c.minSize &&
      c.minSize <= c.desiredCapacity &&
      c.desiredCapacity <= c.maxSize &&
      c.maxSize <= ceiling;
    if (!ok && !log.boundsViolation)
      log.boundsViolation = `${name} at ${new Date(t).toISOString()}: min ${c.minSize}, desired ${c.desiredCapacity}, max ${c.maxSize}, floor ${FLOOR}, ceiling ${ceiling}`;
  });
}

/** Failed launches injected, and the runs whose records reported some (`launchFailures`). */
interface LaunchReports {
  readonly failed: number;
  readonly reportingRuns: number;
}

async function launchReports(run: FaultRun, failed: number): Promise<LaunchReports> {
  let reportingRuns = 0;
  if (run.options.launchFailures)
    for (const name of run.names)
      reportingRuns += (await run.prescale.runRecords(name, run.startMs)).filter(
        (r) => r.launchFailures,
      ).length;
  return { failed, reportingRuns };
}

/** Whether each chosen fault left a trace in the counters; none when no fault was chosen. */
function faultVisibility(
  run: FaultRun,
  log: RunLog,
  launches: LaunchReports,
  refreshStatuses: readonly string[],
): InvariantResult | undefined {
  const { options } = run;
  const timeouts = run.timeoutTicks;
  const c = run.injector.counters;
  const visible: [boolean, string][] = [];
  if ((options.transport?.throttleShare ?? 0) > 0)
    visible.push([c.throttlesInjected > 0, `${c.throttlesInjected} ThrottlingException injected`]);
  if ((options.transport?.metricGapShare ?? 0) + (options.transport?.metricNaNShare ?? 0) > 0)
    visible.push([
      c.metricPointsDropped + c.metricPointsNaN > 0,
      `${c.metricPointsDropped} datapoints dropped, ${c.metricPointsNaN} NaN`,
    ]);
  if (options.launchFailures)
    visible.push([
      launches.failed > 0 && launches.reportingRuns > 0,
      `${launches.failed} launches failed, reported by ${launches.reportingRuns} run(s)`,
    ]);
  if (timeouts.size > 0)
    visible.push([
      c.hangs === timeouts.size && log.handlerErrors.some((e) => e.includes('Sandbox.Timedout')),
      `${c.hangs} worker timeout(s), ${log.handlerErrors.length} handler error(s)`,
    ]);
  if ((options.historyFailureTicks ?? []).length > 0)
    visible.push([
      c.failuresInjected >= (options.historyFailureTicks?.length ?? 0) && log.failedItems > 0,
      `${c.failuresInjected} GetMetricData failure(s), ${log.failedItems} work item(s) failed`,
    ]);
  if (options.duplicateDeliveries)
    visible.push([
      (c.answered.get('sqs:SendMessageBatchCommand') ?? 0) >= 2 * log.tickTimes.length,
      `${c.answered.get('sqs:SendMessageBatchCommand') ?? 0} dispatches for ${log.tickTimes.length} ticks`,
    ]);
  if (options.failingRefreshAtHour !== undefined)
    visible.push([refreshStatuses.length > 0, `refresh ${refreshStatuses.join(', ')}`]);
  if (visible.length === 0) return undefined;
  return {
    name: 'fault visible in counters',
    held: visible.every(([ok]) => ok),
    detail: visible.map(([, text]) => text).join('; '),
  };
}
