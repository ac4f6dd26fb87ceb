import { demandInstances } from '../policies/oracle-capacity';
import { failedLookAheadActions } from '../run/failed-look-ahead-actions';
import type { PrescaleLambdas } from '../run/prescale-lambdas';
import { worldMetricDelay } from '../world/metric-publication';
import type { GroupSpec } from '../world/simulated-auto-scaling';
import { SimulatedWorld } from '../world/simulated-world';

/** One group of a multi-group scenario. */
export interface ScenarioGroup {
  readonly name: string;
  /** Offered load at an instant, percent-of-one-instance units. */
  readonly loadAt: (ms: number) => number;
  /** In instances (the group's own sizes are in units when it has a `weight`). */
  readonly minSize: number;
  readonly maxSize: number;
  /**
   * Capacity units per instance: the group runs a mixed instances policy of the scenario's type
   * with this `WeightedCapacity`, its sizes in units. Absent: no weights.
   */
  readonly weight?: number;
  /**
   * A mixed instances policy over these types, in priority order (Auto Scaling's default
   * `prioritized` strategy launches the first EC2 has capacity for). Absent: the scenario's type.
   */
  readonly instanceTypes?: readonly string[];
}

/** A world of several groups sharing one clock: history first, then the evaluated window. */
export interface GroupsScenario {
  readonly groups: readonly ScenarioGroup[];
  /** History (seeded as if served well) starts here. */
  readonly historyStartMs: number;
  /** Aligned to five minutes (the loop's schedule). */
  readonly evalStartMs: number;
  readonly evalEndMs: number;
  readonly targetLoadPerInstance: number;
  readonly instanceType: string;
  readonly launchDelaySeconds: number;
  readonly launchJitterSeconds: number;
  readonly warmupSeconds: number;
  readonly seed: number;
  /** When true, EC2 has no capacity for a new `instanceType` at `nowMs`, for every group. */
  readonly capacityShortage?: (nowMs: number, instanceType: string) => boolean;
  /**
   * Minutes late CloudWatch returns the world's AWS metrics, for every group
   * (`Scenario.metricDelayMinutes`); @default none, each readable as its minute ends
   */
  readonly metricDelayMinutes?: number;
}

/** Per-minute samples of one group. */
export interface GroupRun {
  readonly load: number[];
  readonly demand: number[];
  /** Ready instances (InService, warmed). */
  readonly supply: number[];
  /** DesiredCapacity: in capacity units for a group with a `weight`. */
  readonly desired: number[];
  /** MaxSize, as the group's own setting or Prescale's raise left it (`maxRaiseOverMaxSize`). */
  readonly maxSize: number[];
  /** Minutes in which load exceeded ready instances × target load per instance. */
  readonly sloViolationMinutes: number;
  readonly instanceHours: number;
}

/** The result of one policy over every group. */
export interface GroupsRun {
  readonly groups: Readonly<Record<string, GroupRun>>;
  readonly handlerErrors: readonly string[];
  /** `failedLookAheadActions`: Prescale's scheduled actions that failed when they fired (none for `reactive`). */
  readonly failedActions: readonly string[];
}

/** How the groups are scaled and what happens before the first minute. */
export interface RunGroupsOptions {
  /** `prescale`: the real handlers every 5 min plus target tracking; `reactive`: target tracking alone. */
  readonly policy: 'prescale' | 'reactive';
  readonly lambdas?: PrescaleLambdas;
  /** Runs after the world is built and attached, before the first minute (e.g. send a campaign event). */
  readonly beforeRun?: (world: SimulatedWorld) => Promise<void>;
  /**
   * Runs every minute after Prescale's tick, before the minute's load is recorded (e.g. deliver
   * what Scheduler fired); returns the handler errors it met.
   */
  readonly everyMinute?: (world: SimulatedWorld) => Promise<readonly string[]>;
}

const MINUTE_MS = 60_000;
const TICK_MS = 5 * MINUTE_MS;

/**
 * Runs several groups in one simulated world, minute by minute, as `runPolicy` does for one:
 * lifecycles advance, Prescale's handlers tick every five minutes (for `prescale`), each group's
 * load becomes its metrics, and supply and demand are sampled.
 * @throws Error when `prescale` is asked for without `lambdas`.
 */
export async function runGroups(scenario: GroupsScenario, options: RunGroupsOptions): Promise<GroupsRun> {
  const { targetLoadPerInstance: target, evalStartMs, evalEndMs } = scenario;
  const world = scenarioWorld(scenario, options.policy);
  if (options.policy === 'prescale') {
    if (!options.lambdas)
      throw new Error('runGroups("prescale") needs options.lambdas (PrescaleLambdas.start)');
    await options.lambdas.attach(world);
  }
  if (options.beforeRun) await options.beforeRun(world);

  const samples = new Map(scenario.groups.map((g) => [g.name, emptySamples()]));
  const handlerErrors: string[] = [];
  for (let t = evalStartMs; t < evalEndMs; t += MINUTE_MS) {
    world.advanceTo(t);
    if (options.policy === 'prescale' && options.lambdas && t % TICK_MS === 0) {
      const tick = await options.lambdas.tick();
      handlerErrors.push(...tick.handlerErrors);
    }
    if (options.everyMinute) handlerErrors.push(...(await options.everyMinute(world)));
    for (const g of scenario.groups) {
      const load = g.loadAt(t);
      world.recordMinute(g.name, t, load);
      const c = world.autoScaling.counts(g.name);
      const s = samples.get(g.name);
      if (!s) continue;
      s.load.push(load);
      s.demand.push(demandInstances(load, target));
      s.supply.push(c.ready);
      s.desired.push(c.desiredCapacity);
      s.maxSize.push(c.maxSize);
      s.billed += c.pending + c.inService;
    }
  }
  const groups: Record<string, GroupRun> = {};
  for (const [name, s] of samples) groups[name] = groupRun(s, target);
  const failedActions =
    options.policy === 'prescale'
      ? failedLookAheadActions(
          world,
          scenario.groups.map((g) => g.name),
        )
      : [];
  return { groups, handlerErrors, failedActions };
}

interface GroupSamples {
  readonly load: number[];
  readonly demand: number[];
  readonly supply: number[];
  readonly desired: number[];
  readonly maxSize: number[];
  /** Instance-minutes billed (pending and in service). */
  billed: number;
}

const emptySamples = (): GroupSamples => ({
  load: [],
  demand: [],
  supply: [],
  desired: [],
  maxSize: [],
  billed: 0,
});

function groupRun(s: GroupSamples, target: number): GroupRun {
  const sloViolationMinutes = s.load.filter((load, k) => load > (s.supply[k] as number) * target).length;
  return {
    load: s.load,
    demand: s.demand,
    supply: s.supply,
    desired: s.desired,
    maxSize: s.maxSize,
    sloViolationMinutes,
    instanceHours: s.billed / 60,
  };
}

/** The group's mixed instances policy: its types (or the scenario's), each weighing its `weight`. */
function mixedInstancesOf(g: ScenarioGroup, scenarioType: string): Pick<GroupSpec, 'mixedInstances'> {
  if (g.weight === undefined && g.instanceTypes === undefined) return {};
  const instanceTypes = g.instanceTypes ?? [scenarioType];
  const { weight } = g;
  return {
    mixedInstances: {
      instanceTypes,
      ...(weight === undefined ? {} : { weights: Object.fromEntries(instanceTypes.map((t) => [t, weight])) }),
    },
  };
}

/** A world at the window's start with every group sized for its load then and its history seeded. */
function scenarioWorld(scenario: GroupsScenario, policy: RunGroupsOptions['policy']): SimulatedWorld {
  const { targetLoadPerInstance: target, evalStartMs } = scenario;
  const world = new SimulatedWorld({
    startMs: evalStartMs,
    seed: scenario.seed,
    ...worldMetricDelay(scenario.metricDelayMinutes),
  });
  for (const g of scenario.groups) {
    const units = g.weight ?? 1;
    world.createGroup({
      name: g.name,
      minSize: g.minSize * units,
      maxSize: g.maxSize * units,
      desiredCapacity:
        units * Math.min(g.maxSize, Math.max(g.minSize, demandInstances(g.loadAt(evalStartMs), target))),
      instanceType: scenario.instanceType,
      ...mixedInstancesOf(g, scenario.instanceType),
      ...(scenario.capacityShortage ? { launchFails: scenario.capacityShortage } : {}),
      tags: policy === 'prescale' ? { 'prescale:enabled': 'true' } : {},
      launchDelaySeconds: scenario.launchDelaySeconds,
      launchJitterSeconds: scenario.launchJitterSeconds,
      warmupSeconds: scenario.warmupSeconds,
      warmPoolLaunchSeconds: 30,
      targetTrackingCpu: target,
    });
    world.seedHistory(g.name, scenario.historyStartMs, evalStartMs, g.loadAt, target);
  }
  return world;
}
