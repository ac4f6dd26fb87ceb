import type { UserConfigInput } from '../../../shared/contracts/user-config';
import { strayGroups } from '../../../shared/simulation/aws-checks/enrolment';
import { groupInstanceRole } from '../../../shared/simulation/aws-checks/group-launch-template';
import { loadTraceAt } from '../../../shared/simulation/load/load-trace';
import { buildScenario } from '../../../shared/simulation/run/build-scenario';
import type { Scenario } from '../../../shared/simulation/run/scenario';
import type { ExtractedMetric } from '../../../shared/simulation/world/embedded-metric-format';
import { groupMetrics } from '../../../shared/simulation/world/group-metric-ids';
import type { MetricId } from '../../../shared/simulation/world/metric-store';
import { UnsupportedCommandError } from '../../../shared/simulation/world/simulated-aws-error';
import { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';

const HOUR_MS = 3_600_000;

/** A simulated world built for one configuration: who it enrols, who it does not, and what it saw. */
export interface ConfigurationWorld {
  readonly world: SimulatedWorld;
  readonly scenario: Scenario;
  readonly startMs: number;
  /** Groups enrolled the way the configuration enrols them (its tag, or its names), with their load share. */
  readonly enrolled: readonly { readonly name: string; readonly loadFactor: number }[];
  /** Groups it does not enrol: no tag and not named, its tag key with value `false`, another key. */
  readonly strays: readonly string[];
  /** Step Functions executions started (`sfn:StartExecution`), by state machine ARN. */
  readonly executions: { readonly stateMachineArn: string; readonly name: string; readonly input: string }[];
  /** Calls the world does not simulate (`UnsupportedCommandError`), as `service:Command`, by scenario. */
  readonly unsimulated: Map<string, Set<string>>;
  /** The metrics CloudWatch would extract from what the loop's runs printed (`emittedDuring`). */
  readonly emittedMetrics: ExtractedMetric[];
  /** The scenario running now (unsimulated calls are filed under it). */
  current: string;
  /** The scaling loop's deployed rate (`deployedTickMs`), set once the template is read; five minutes without. */
  tickMs?: number;
  /** A surge a scenario stages: the enrolled groups' offered load is `factor` times their trace's until `untilMs`. */
  loadSurge?: { readonly factor: number; readonly untilMs: number };
  /**
   * The instance a scheduled retirement was announced for (the maintenance scan's scenario), and
   * whether it was still InService once the rolling updates the scan started had run.
   */
  retiring?: { readonly instanceId: string; inServiceAfterUpdates?: boolean };
}

const optionalInstanceRole = (role: ReturnType<typeof groupInstanceRole>) =>
  role ? { instanceRole: role } : {};

/** The configuration's enrolled group names: `web` with its tag, and its named groups (at most two). */
function enrolledNames(groups: UserConfigInput['groups']): string[] {
  const out = groups.tag ? ['web'] : [];
  for (const name of (groups.names ?? []).slice(0, 2)) if (!out.includes(name)) out.push(name);
  if (out.length === 0) throw new Error('the configuration enrols no group by tag or by name');
  return out;
}

/**
 * A world for `config` (the configuration the deployed functions read): the built-in workload
 * (seed 1, eight days of history), at 08:00 UTC of the evaluated day, with each enrolled group
 * tagged as the configuration's tag asks (groups enrolled by name carry no tag), its launch
 * template giving instances the role `groupInstanceRole` names, and one
 * non-enrolled group of each kind (`strayGroups`), and the CloudWatch alarms its rolling update
 * watches (in OK); with `mixedInstancesGroups`, the enrolled
 * groups run a mixed instances policy (the scenario's type first), and with `groupWeight` every
 * type of it weighs that many units (the groups' sizes in units, no warm pool: not modeled beside weights). Step Functions `StartExecution` is answered
 * by the simulated Step Functions' naming rules (recorded, not run); calls the world does not simulate are recorded before they throw.
 */
export function configurationWorld(
  config: UserConfigInput,
  {
    mixedInstancesGroups = false,
    groupWeight,
  }: { readonly mixedInstancesGroups?: boolean; readonly groupWeight?: number } = {},
): ConfigurationWorld {
  const scenario = buildScenario({ seed: 1, warmupDays: 8, days: 1 });
  const startMs = scenario.evalStartMs + 8 * HOUR_MS;
  const world = new SimulatedWorld({ startMs, seed: scenario.seed });
  const target = config.defaults?.targetLoadPerInstance ?? scenario.targetLoadPerInstance;
  const tag = config.groups.tag;
  const units = groupWeight ?? 1;
  const spec = (name: string, tags: Readonly<Record<string, string>>, desiredCapacity: number) =>
    groupSpec(config, scenario, { name, tags, desiredCapacity, target });
  const enrolled = enrolledNames(config.groups).map((name, g) => ({ name, loadFactor: 1 - 0.2 * g }));
  for (const [g, { name, loadFactor }] of enrolled.entries()) {
    const loadAt = (ms: number) => loadTraceAt(scenario.trace, ms) * loadFactor;
    const initial = Math.max(1, Math.ceil(loadAt(startMs) / target));
    const tags = tag && name === 'web' ? { [tag.key]: tag.value } : {};
    const sized = spec(name, tags, Math.min(scenario.maxSize, initial));
    world.createGroup({
      ...sized,
      minSize: sized.minSize * units,
      maxSize: sized.maxSize * units,
      desiredCapacity: sized.desiredCapacity * units,
      ...enrolledGroupLaunch(g === 0, scenario, { mixedInstancesGroups, groupWeight }),
    });
    world.seedHistory(name, scenario.trace.startMs, startMs, loadAt, target);
  }
  const strays = strayGroups(config.groups);
  for (const stray of strays) world.createGroup(spec(stray.name, stray.tags, 2));
  const built: ConfigurationWorld = {
    world,
    scenario,
    startMs,
    enrolled,
    strays: strays.map((s) => s.name),
    executions: [],
    unsimulated: new Map(),
    emittedMetrics: [],
    current: 'setup',
  };
  // The alarms a rolling update watches exist, in OK (a scenario may set them off).
  for (const alarm of config.rollingUpdate?.alarmNames ?? []) world.alarms.put(alarm, startMs);
  provisionSideServices(world, config);
  answerStepFunctionsAndRecord(built);
  return built;
}

/** A group of the matrix's world: the scenario's type, timings and bounds, the role its template gives instances. */
function groupSpec(
  config: UserConfigInput,
  scenario: Scenario,
  group: {
    readonly name: string;
    readonly tags: Readonly<Record<string, string>>;
    readonly desiredCapacity: number;
    readonly target: number;
  },
) {
  const { name, tags, desiredCapacity, target } = group;
  return {
    name,
    minSize: scenario.minSize,
    maxSize: scenario.maxSize,
    desiredCapacity,
    instanceType: scenario.instanceType,
    // The groups' images are billed as the configuration prices them.
    ...(config.pricing?.operatingSystem ? { imagePlatform: config.pricing.operatingSystem } : {}),
    tags,
    ...optionalInstanceRole(groupInstanceRole(name, tags, config)),
    launchDelaySeconds: scenario.launchDelaySeconds,
    launchJitterSeconds: scenario.launchJitterSeconds,
    warmupSeconds: scenario.warmupSeconds,
    warmPoolLaunchSeconds: scenario.warmPoolLaunchSeconds,
    // Predictive scale-in alone acts only on a group with its own policy.
    ...(config.defaults?.forecastFloor === false ? { targetTrackingCpu: target } : {}),
  };
}

/**
 * How an enrolled group launches beyond its template: the first one has a warm pool capped below
 * its room under MaxSize, the one kind Prescale sizes (PutWarmPool), so every configuration runs
 * that call through its deployed IAM (none beside weights: not modeled); a mixed group lists the
 * scenario's type first (it launches that), then another, each weighing `groupWeight` when given.
 */
function enrolledGroupLaunch(
  first: boolean,
  scenario: Scenario,
  {
    mixedInstancesGroups,
    groupWeight,
  }: { readonly mixedInstancesGroups: boolean; readonly groupWeight?: number },
) {
  const warmPool =
    first && groupWeight === undefined
      ? { warmPool: { minSize: 0, maxGroupPreparedCapacity: scenario.maxSize - 10 } }
      : {};
  const types = [scenario.instanceType, 'm6i.large'];
  const weights =
    groupWeight === undefined ? {} : { weights: Object.fromEntries(types.map((t) => [t, groupWeight])) };
  return {
    ...warmPool,
    ...(mixedInstancesGroups ? { mixedInstances: { instanceTypes: types, ...weights } } : {}),
  };
}

/**
 * The X-Ray and Timestream parts of the simulated world, where the world has them (`services`,
 * added beside this matrix): read structurally, so this file compiles with or without them.
 */
interface SideServicesLike {
  readonly xray?: { addService(name: string, group: string): void; addCall(from: string, to: string): void };
  readonly timestream?: {
    createTable(spec: {
      database: string;
      table: string;
      measureName: string;
      groupDimension?: string;
      metricOf: (group: string) => MetricId;
    }): void;
  };
}

/**
 * Where the world simulates X-Ray and Timestream: X-Ray services on the groups as
 * `dependencies.xray.serviceToGroup` maps them, calling along `dependencies.edges`; a Timestream
 * table whose measure mirrors each group's offered load when `historySource` is `timestream`.
 */
function provisionSideServices(world: SimulatedWorld, config: UserConfigInput): void {
  const services = (world as unknown as { services?: SideServicesLike }).services;
  const xray = config.dependencies?.xray;
  if (services?.xray && xray?.enabled) {
    const serviceOf = new Map<string, string>();
    for (const [service, group] of Object.entries(xray.serviceToGroup ?? {})) {
      services.xray.addService(service, group);
      serviceOf.set(group, service);
    }
    for (const edge of config.dependencies?.edges ?? []) {
      const from = serviceOf.get(edge.from);
      const to = serviceOf.get(edge.to);
      if (from && to) services.xray.addCall(from, to);
    }
  }
  const timestream = config.timestream;
  if (services?.timestream && config.historySource === 'timestream' && timestream)
    services.timestream.createTable({ ...timestream, metricOf: (group) => groupMetrics(group).offeredLoad });
}

/**
 * Wraps the world's answer (on this instance only): StartExecution and ListExecutions answered by the
 * world's simulated Step Functions, as AWS would (the same name and input while it runs is the
 * same execution, another input or a closed name `ExecutionAlreadyExists`), and each execution it
 * created recorded; unsimulated calls filed.
 */
function answerStepFunctionsAndRecord(built: ConfigurationWorld): void {
  const { world } = built;
  const inner = world.answer;
  const stepFunctions = world.services.stepFunctions;
  const answer = async (service: string, commandName: string, input: unknown): Promise<unknown> => {
    try {
      const { stateMachineArn } = input as { stateMachineArn?: string };
      // Whichever state machine the deployed function starts or lists exists: the stack deployed it.
      if (service === 'sfn' && stateMachineArn) stepFunctions.createStateMachine(stateMachineArn);
      if (service === 'sfn' && commandName === 'StartExecutionCommand') {
        const before = stepFunctions.executions.length;
        const out = await inner(service, commandName, input);
        for (const e of stepFunctions.executions.slice(before))
          built.executions.push({ stateMachineArn: e.stateMachineArn, name: e.name, input: e.input });
        return out;
      }
      return await inner(service, commandName, input);
    } catch (error) {
      if (error instanceof UnsupportedCommandError || (error as Error).name === 'UnsupportedCommandError') {
        const seen = built.unsimulated.get(built.current) ?? new Set<string>();
        seen.add(`${service}:${commandName}`);
        built.unsimulated.set(built.current, seen);
      }
      throw error;
    }
  };
  Object.defineProperty(world, 'answer', { value: answer });
}

/** The world's group counts, by group name (to show non-enrolled groups were left alone). */
export function groupCounts(world: SimulatedWorld, names: readonly string[]): Map<string, string> {
  return new Map(
    names.map((n) => {
      const c = world.autoScaling.counts(n);
      return [n, `min ${c.minSize} desired ${c.desiredCapacity} max ${c.maxSize}`];
    }),
  );
}

/** The first enrolled group's instance EC2 will retire in three days, as EC2 announces it. */
export function scheduleRetirement(built: ConfigurationWorld): void {
  const group = built.enrolled[0]?.name as string;
  const [instance] = inServiceInstances(built.world, group);
  if (!instance) throw new Error(`group ${group} has no instance to retire`);
  built.world.services.ec2.scheduleInstanceEvent({
    instanceId: instance,
    code: 'instance-retirement',
    notBeforeMs: built.world.clock.nowMs() + 3 * 24 * HOUR_MS,
  });
  built.retiring = { instanceId: instance };
}

/** The group's InService instances' IDs. */
export function inServiceInstances(world: SimulatedWorld, group: string): string[] {
  const out = world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [group] }) as {
    AutoScalingGroups: { Instances?: { InstanceId: string; LifecycleState?: string }[] }[];
  };
  return (out.AutoScalingGroups[0]?.Instances ?? [])
    .filter((i) => i.LifecycleState === 'InService')
    .map((i) => i.InstanceId);
}
