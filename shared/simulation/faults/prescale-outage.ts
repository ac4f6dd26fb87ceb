import { loadTraceAt } from '../load/load-trace';
import { buildScenario } from '../run/build-scenario';
import type { PrescaleLambdas } from '../run/prescale-lambdas';
import type { Scenario } from '../run/scenario';
import { worldMetricDelay } from '../world/metric-publication';
import { SimulatedWorld } from '../world/simulated-world';

/**
 * How the group is run through the outage:
 * - `running`: Prescale never goes down (the baseline);
 * - `down-with-look-ahead`: every Prescale Lambda stops at the outage instant; the scheduled
 *   look-ahead the loop kept on the group carries the plan on;
 * - `down-without-look-ahead`: the same, with the look-ahead removed at the outage instant, which
 *   is today's behaviour (a live loop's look-ahead never runs: the first action is always at least
 *   two loop intervals away and rewritten every tick, checked by `lookAheadRunWhileAlive`);
 * - `reactive`: no Prescale at all, the group's target tracking alone.
 */
export type OutageVariant = 'running' | 'down-with-look-ahead' | 'down-without-look-ahead' | 'reactive';

export const OUTAGE_VARIANTS: readonly OutageVariant[] = [
  'running',
  'down-with-look-ahead',
  'down-without-look-ahead',
  'reactive',
];

/** One outage run: the seed, when Prescale stops and how long is measured after it. */
export interface PrescaleOutageOptions {
  readonly seed: number;
  readonly variant: OutageVariant;
  /** Hour of the evaluated day (UTC) at which every Prescale Lambda stops. @default 2 */
  readonly downAtHourUtc?: number;
  /** Hours Prescale runs before the outage (it writes its look-ahead then). @default 1 */
  readonly runningHoursBefore?: number;
  /** Hours measured from the outage instant. @default 24 */
  readonly measuredHours?: number;
  /**
   * Minutes late CloudWatch returns the world's AWS metrics (`Scenario.metricDelayMinutes`);
   * @default none, each readable as its minute ends
   */
  readonly metricDelayMinutes?: number;
}

/** What the group went through in the measured window. */
export interface PrescaleOutageResult {
  readonly variant: OutageVariant;
  /** Minutes in which the load exceeded what the ready instances serve at the target. */
  readonly sloViolationMinutes: number;
  /** Running instances (pending and in service), in instance-hours. */
  readonly instanceHours: number;
  /** `prescale-` scheduled actions on the group at the outage instant. */
  readonly lookAheadActionsAtOutage: number;
  /** Scaling activities caused by a `prescale-` action while Prescale was still running (expected 0). */
  readonly lookAheadRunWhileAlive: number;
  /** MinSize at the end of the measured window, and the group's own MinSize. */
  readonly finalMinSize: number;
  readonly userMinSize: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const TICK_MS = 5 * MINUTE_MS;
const GROUP = 'web';

/** The outage scenario: the built-in workload, 8 days of history, two evaluated days. */
export function outageScenario(seed: number): Scenario {
  return buildScenario({ seed, warmupDays: 8, days: 2 });
}

interface ScheduledList {
  ScheduledUpdateGroupActions?: { ScheduledActionName?: string }[];
}

function lookAheadNames(world: SimulatedWorld): string[] {
  const out = world.autoScaling.describeScheduledActions({
    AutoScalingGroupName: GROUP,
    MaxRecords: 100,
  }) as ScheduledList;
  return (out.ScheduledUpdateGroupActions ?? [])
    .map((a) => a.ScheduledActionName ?? '')
    .filter((n) => n.startsWith('prescale-'));
}

function lookAheadActivitiesBefore(world: SimulatedWorld, beforeMs: number): number {
  const out = world.autoScaling.describeScalingActivities({
    AutoScalingGroupName: GROUP,
    MaxRecords: 100,
  }) as {
    Activities?: { Cause?: string; StartTime?: Date }[];
  };
  return (out.Activities ?? []).filter(
    (a) => (a.Cause ?? '').includes('scheduled action prescale-') && (a.StartTime?.getTime() ?? 0) < beforeMs,
  ).length;
}

/** The world at `startMs`: the scenario's group sized for its load then, with its history seeded. */
function outageWorld(scenario: Scenario, startMs: number, usesPrescale: boolean): SimulatedWorld {
  const world = new SimulatedWorld({
    startMs,
    seed: scenario.seed,
    ...worldMetricDelay(scenario.metricDelayMinutes),
  });
  const load = (ms: number) => loadTraceAt(scenario.trace, ms);
  world.createGroup({
    name: GROUP,
    minSize: scenario.minSize,
    maxSize: scenario.maxSize,
    desiredCapacity: Math.min(
      scenario.maxSize,
      Math.max(scenario.minSize, Math.ceil(load(startMs) / scenario.targetLoadPerInstance)),
    ),
    instanceType: scenario.instanceType,
    tags: usesPrescale ? { 'prescale:enabled': 'true' } : {},
    launchDelaySeconds: scenario.launchDelaySeconds,
    launchJitterSeconds: scenario.launchJitterSeconds,
    warmupSeconds: scenario.warmupSeconds,
    warmPoolLaunchSeconds: scenario.warmPoolLaunchSeconds,
    targetTrackingCpu: scenario.targetLoadPerInstance,
  });
  world.seedHistory(GROUP, scenario.trace.startMs, startMs, load, scenario.targetLoadPerInstance);
  return world;
}

/**
 * "Prescale down for 24 h": Prescale's real handlers (`prescale`, started with
 * `prescaleConfig(outageScenario(…))`) run the group for `runningHoursBefore`, then every Lambda
 * stops at `downAtHourUtc` (no more schedule ticks) except in the `running` variant. Measures
 * SLO-violation minutes and instance-hours over the following `measuredHours`, minute by minute.
 */
export async function runPrescaleOutage(
  prescale: PrescaleLambdas | undefined,
  options: PrescaleOutageOptions,
): Promise<PrescaleOutageResult> {
  const scenario: Scenario = {
    ...outageScenario(options.seed),
    ...(options.metricDelayMinutes !== undefined ? { metricDelayMinutes: options.metricDelayMinutes } : {}),
  };
  const downMs = scenario.evalStartMs + (options.downAtHourUtc ?? 2) * HOUR_MS;
  const startMs = downMs - (options.runningHoursBefore ?? 1) * HOUR_MS;
  const endMs = downMs + (options.measuredHours ?? 24) * HOUR_MS;
  const usesPrescale = options.variant !== 'reactive';
  if (usesPrescale && !prescale) throw new Error(`variant ${options.variant} needs the Prescale handlers`);
  const load = (ms: number) => loadTraceAt(scenario.trace, ms);
  const world = outageWorld(scenario, startMs, usesPrescale);
  if (usesPrescale) await prescale?.attach(world);

  let sloViolationMinutes = 0;
  let runningMinutes = 0;
  let lookAheadActionsAtOutage = 0;
  let lookAheadRunWhileAlive = 0;
  for (let t = startMs; t < endMs; t += MINUTE_MS) {
    world.advanceTo(t);
    if (t === downMs && usesPrescale) {
      lookAheadRunWhileAlive = lookAheadActivitiesBefore(world, downMs);
      const names = lookAheadNames(world);
      lookAheadActionsAtOutage = names.length;
      if (options.variant === 'down-without-look-ahead' && names.length > 0)
        world.autoScaling.batchDeleteScheduledAction({
          AutoScalingGroupName: GROUP,
          ScheduledActionNames: names,
        });
    }
    const alive = usesPrescale && (options.variant === 'running' || t < downMs);
    if (alive && t % TICK_MS === 0) await prescale?.tick();
    world.recordMinute(GROUP, t, load(t));
    if (t >= downMs) {
      const c = world.autoScaling.counts(GROUP);
      if (load(t) > c.ready * scenario.targetLoadPerInstance) sloViolationMinutes += 1;
      runningMinutes += c.pending + c.inService;
    }
  }
  return {
    variant: options.variant,
    sloViolationMinutes,
    instanceHours: runningMinutes / 60,
    lookAheadActionsAtOutage,
    lookAheadRunWhileAlive,
    finalMinSize: world.autoScaling.counts(GROUP).minSize,
    userMinSize: scenario.minSize,
  };
}
