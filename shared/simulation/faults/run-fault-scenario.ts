import { loadTraceAt } from '../load/load-trace';
import { buildScenario } from '../run/build-scenario';
import type { PrescaleLambdas } from '../run/prescale-lambdas';
import type { Scenario } from '../run/scenario';
import { seededRandom } from '../seeded-random';
import { SimulatedWorld } from '../world/simulated-world';
import { type FaultCounters, FaultInjector, type TransportFaults } from './fault-injector';

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
   * run (every group of the batch already claimed) and times out; SQS then redelivers the batch.
   */
  readonly workerTimeoutTicks?: readonly number[];
  /**
   * On these ticks (0-based) the worker's batched GetMetricData fails once, non-retryably, after
   * every group of the batch was claimed; the batch is redelivered with the next tick.
   */
  readonly historyFailureTicks?: readonly number[];
  /** At this hour an instance refresh of the first group starts to a launch-template version whose instances never pass health checks, with AutoRollback. */
  readonly failingRefreshAtHour?: number;
}

/** One invariant after a run: whether it held, and the first violation. */
export interface InvariantResult {
  readonly name: string;
  readonly held: boolean;
  readonly detail: string;
}

export interface FaultScenarioResult {
  readonly invariants: readonly InvariantResult[];
  readonly counters: FaultCounters;
  readonly failedLaunches: number;
  readonly ticks: number;
  readonly handlerErrors: readonly string[];
  /** Work items the worker reported failed (the `GroupRunFailed` count). */
  readonly failedItems: number;
  readonly refreshStatuses: readonly string[];
  /** (group, tick) pairs without a run record, as `group@ISO time`. */
  readonly missingRuns: readonly string[];
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

function terminal(status: string): boolean {
  return !['Pending', 'InProgress', 'Cancelling', 'RollbackInProgress', 'Baking'].includes(status);
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
  const world = new SimulatedWorld({ startMs, seed: scenario.seed, faults: injector });
  const names = GROUP_NAMES.slice(0, options.groups ?? 1);
  const first = names[0] as string;
  const loadFactor = (g: number) => 1 - 0.15 * g;
  const launchRandom = random.fork('launches');
  let failedLaunches = 0;
  const ice = options.launchFailures;
  names.forEach((name, g) => {
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
              if (fails) failedLaunches += 1;
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
  await prescale.attach(world);

  const originalMax = new Map(names.map((n) => [n, world.autoScaling.counts(n).maxSize]));
  let boundsViolation = '';
  const handlerErrors: string[] = [];
  let failedItems = 0;
  const tickTimes: number[] = [];
  const timeouts = new Set(options.workerTimeoutTicks ?? []);
  let refreshStarted = false;

  for (let t = startMs; t < endMs; t += MINUTE_MS) {
    world.advanceTo(t);
    if (
      options.failingRefreshAtHour !== undefined &&
      !refreshStarted &&
      t >= startMs + options.failingRefreshAtHour * HOUR_MS
    ) {
      refreshStarted = true;
      world.autoScaling.startInstanceRefresh({
        AutoScalingGroupName: first,
        DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
        Preferences: { MinHealthyPercentage: 90, AutoRollback: true, InstanceWarmup: 60 },
      });
    }
    if (t % TICK_MS === 0) {
      const tickIndex = tickTimes.length;
      tickTimes.push(t);
      injector.marker = String(t);
      const deliveries: { workerDeadline?: Promise<void> }[] = [{}];
      if (timeouts.has(tickIndex)) {
        let seen = 0;
        // The worker's own per-group calls start with DescribeScalingActivities (lead time).
        const deadline = injector.hangOn((_s, command) => {
          if (command !== 'DescribeScalingActivitiesCommand') return false;
          seen += 1;
          return seen === 2;
        });
        deliveries[0] = { workerDeadline: deadline };
        deliveries.push({});
      }
      if (options.duplicateDeliveries) deliveries.push({});
      if (options.historyFailureTicks?.includes(tickIndex))
        injector.failOnce((_s, command) => command === 'GetMetricDataCommand');
      for (const delivery of deliveries) {
        const tick = await prescale.tick(delivery);
        failedItems += tick.failedItems;
        handlerErrors.push(...tick.handlerErrors);
      }
    }
    names.forEach((name, g) => {
      world.recordMinute(name, t, loadTraceAt(scenario.trace, t) * loadFactor(g));
      const c = world.autoScaling.counts(name);
      const ceiling = (originalMax.get(name) as number) + MAX_RAISE;
      const ok =
        [c.minSize, c.desiredCapacity, c.maxSize].every(Number.isInteger) &&
        FLOOR <= c.minSize &&
        c.minSize <= c.desiredCapacity &&
        c.desiredCapacity <= c.maxSize &&
        c.maxSize <= ceiling;
      if (!ok && !boundsViolation)
        boundsViolation = `${name} at ${new Date(t).toISOString()}: min ${c.minSize}, desired ${c.desiredCapacity}, max ${c.maxSize}, floor ${FLOOR}, ceiling ${ceiling}`;
    });
  }

  const invariants: InvariantResult[] = [];
  invariants.push({
    name: 'capacity within [floor, MaxSize + raise] every minute',
    held: boundsViolation === '',
    detail: boundsViolation,
  });
  const raised = names.filter((n) => world.autoScaling.counts(n).maxSize !== originalMax.get(n));
  invariants.push({
    name: 'every temporary MaxSize raise restored',
    held: raised.length === 0,
    detail: raised.join(', '),
  });
  const twice = [...injector.counters.updatesByGroupAndMarker].filter(([, n]) => n > 1);
  invariants.push({
    name: 'no group applied twice for one tick',
    held: twice.length === 0,
    detail: twice.map(([k, n]) => `${k}: ${n} updates`).join(', '),
  });
  const missing: string[] = [];
  for (const name of names) {
    const recorded = new Set((await prescale.runRecords(name, startMs)).map((r) => r.tickMs));
    for (const tickMs of tickTimes)
      if (!recorded.has(tickMs)) missing.push(`${name}@${new Date(tickMs).toISOString()}`);
  }
  invariants.push({
    name: 'every (group, tick) ran and was recorded',
    held: missing.length === 0,
    detail: missing.slice(0, 5).join(', '),
  });

  const refreshStatuses: string[] = [];
  if (options.failingRefreshAtHour !== undefined) {
    const out = world.autoScaling.describeInstanceRefreshes({ AutoScalingGroupName: first }) as {
      InstanceRefreshes?: { Status?: string }[];
    };
    refreshStatuses.push(...(out.InstanceRefreshes ?? []).map((r) => r.Status ?? ''));
    invariants.push({
      name: 'no workflow stuck: every refresh ended',
      held: refreshStatuses.length > 0 && refreshStatuses.every(terminal),
      detail: refreshStatuses.join(', '),
    });
    const groups = world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [first] }) as {
      AutoScalingGroups?: {
        DesiredCapacity?: number;
        Instances?: { LifecycleState?: string; LaunchTemplate?: { Version?: string } }[];
      }[];
    };
    const g = groups.AutoScalingGroups?.[0];
    const healthy = (g?.Instances ?? []).filter(
      (i) => i.LifecycleState === 'InService' && i.LaunchTemplate?.Version === '1',
    ).length;
    invariants.push({
      name: 'failed refresh rolled back, capacity restored',
      held:
        refreshStatuses[0] === 'RollbackSuccessful' &&
        healthy >= (g?.DesiredCapacity ?? Number.POSITIVE_INFINITY),
      detail: `status ${refreshStatuses[0]}, ${healthy} healthy v1 of ${g?.DesiredCapacity} desired`,
    });
  }
  if (ice) {
    const short = names.filter((n) => {
      const c = world.autoScaling.counts(n);
      return c.pending + c.inService < c.desiredCapacity;
    });
    invariants.push({
      name: 'capacity arrives once launches succeed again',
      held: short.length === 0,
      detail: short.join(', '),
    });
  }

  const c = injector.counters;
  const visible: [boolean, string][] = [];
  if ((options.transport?.throttleShare ?? 0) > 0)
    visible.push([c.throttlesInjected > 0, `${c.throttlesInjected} ThrottlingException injected`]);
  if ((options.transport?.metricGapShare ?? 0) + (options.transport?.metricNaNShare ?? 0) > 0)
    visible.push([
      c.metricPointsDropped + c.metricPointsNaN > 0,
      `${c.metricPointsDropped} datapoints dropped, ${c.metricPointsNaN} NaN`,
    ]);
  if (ice) visible.push([failedLaunches > 0, `${failedLaunches} launches failed`]);
  if (timeouts.size > 0)
    visible.push([
      c.hangs === timeouts.size && handlerErrors.some((e) => e.includes('Sandbox.Timedout')),
      `${c.hangs} worker timeout(s), ${handlerErrors.length} handler error(s)`,
    ]);
  if ((options.historyFailureTicks ?? []).length > 0)
    visible.push([
      c.failuresInjected === options.historyFailureTicks?.length && failedItems > 0,
      `${c.failuresInjected} GetMetricData failure(s), ${failedItems} work item(s) failed`,
    ]);
  if (options.duplicateDeliveries)
    visible.push([
      (c.answered.get('sqs:SendMessageBatchCommand') ?? 0) >= 2 * tickTimes.length,
      `${c.answered.get('sqs:SendMessageBatchCommand') ?? 0} dispatches for ${tickTimes.length} ticks`,
    ]);
  if (options.failingRefreshAtHour !== undefined)
    visible.push([refreshStatuses.length > 0, `refresh ${refreshStatuses.join(', ')}`]);
  if (visible.length > 0)
    invariants.push({
      name: 'fault visible in counters',
      held: visible.every(([ok]) => ok),
      detail: visible.map(([, text]) => text).join('; '),
    });

  // The frozen invocations end only now, after every check, before the world is discarded.
  injector.releaseHangs();
  await prescale.settleAbandoned();

  return {
    invariants,
    counters: c,
    failedLaunches,
    ticks: tickTimes.length,
    handlerErrors,
    failedItems,
    refreshStatuses,
    missingRuns: missing,
  };
}
