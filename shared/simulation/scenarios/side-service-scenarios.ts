import { ENV } from '../../contracts/env';
import type { UserConfigInput } from '../../contracts/user-config';
import { groupInstanceRole, groupLaunchTemplateId } from '../aws-checks/group-launch-template';
import { invokeLambda } from '../run/invoke-lambda';
import type { PrescaleLambdas, PrescaleTick } from '../run/prescale-lambdas';
import { groupImageId } from '../world/ec2-side-services';
import { groupMetrics } from '../world/group-metric-ids';
import type { StartedExecution } from '../world/simulated-step-functions';
import { SimulatedWorld } from '../world/simulated-world';
import { dailyLoad } from './campaign-scenario';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const EPOCH_MS = Date.UTC(2024, 0, 1);

/** The rolling-update state machine the simulated handlers start (registered in the world). */
export const ROLLING_UPDATE_STATE_MACHINE_ARN =
  'arn:aws:states:us-east-1:123456789012:stateMachine:prescale-rolling-update';

/** The Lambda environment the side-service handlers load with, beyond `PrescaleLambdas.start`'s. */
export const SIDE_SERVICE_ENVIRONMENT: Readonly<Record<string, string>> = {
  [ENV.rollingUpdateStateMachineArn]: ROLLING_UPDATE_STATE_MACHINE_ARN,
};

/**
 * One deployment with every option that reaches EC2, Pricing, X-Ray or Timestream: groups by the
 * default enrolment tag, Timestream history, web → api with X-Ray discovery, `pricing.apply` with
 * Prescale starting the refresh, and the scheduled-maintenance scan.
 */
export const SIDE_SERVICE_CONFIG: UserConfigInput = {
  groups: { names: [], tag: { key: 'prescale:enabled', value: 'true' } },
  mode: 'forecast-and-scale',
  scheduleRateMinutes: 5,
  defaults: { metric: { kind: 'cpu' }, targetLoadPerInstance: 60, historyDays: 14, horizonHours: 24 },
  historySource: 'timestream',
  timestream: { database: 'telemetry', table: 'groups', measureName: 'load' },
  dependencies: {
    edges: [{ from: 'web', to: 'api', loadRatio: 0.8 }],
    xray: { enabled: true, serviceToGroup: { 'web-frontend': 'web', 'api-backend': 'api' } },
  },
  pricing: { apply: true },
  rollingUpdate: { autoStartOnScheduledEvents: true, autoStartOnInstanceTypeChange: true },
  // The tag-enrolled groups' instance roles sit under this path (PassRole is never granted by tag).
  launchPermissions: { instanceRolePathPrefix: 'prescale-instances' },
};

/** The two groups of the scenario, enrolled as `config` enrolls groups. */
export interface SideServiceGroups {
  /** On m5.large (x86_64) at launch template version 1: a cheaper type exists (instance-type selection). */
  readonly web: string;
  /** On m7g.large (arm64) naming `$Default`: resolving it reads the template and its AMI. */
  readonly api: string;
}

/** Group names for `config`: its first two named groups, else `web` and `api` carrying its enrolment tag. */
export function sideServiceGroups(config: UserConfigInput): SideServiceGroups {
  const names = config.groups.names ?? [];
  return { web: names[0] ?? 'web', api: names[1] ?? 'api' };
}

/**
 * Groups enrolled by name run on a template the configuration lists (others get the world's own
 * id), whose instances get the role `groupInstanceRole` names for the group, if any.
 */
function groupLaunch(
  name: string,
  tags: Readonly<Record<string, string>>,
  config: UserConfigInput,
): { launchTemplateId?: string; instanceRole?: { name: string; tags: Readonly<Record<string, string>> } } {
  const role = groupInstanceRole(name, tags, config);
  return {
    ...((config.groups.names ?? []).includes(name)
      ? { launchTemplateId: groupLaunchTemplateId(name, config) }
      : {}),
    ...(role ? { instanceRole: role } : {}),
  };
}

/** The launch template the group runs (a mixed-instances group's own), as Auto Scaling reports it. */
export function launchTemplateOf(world: SimulatedWorld, group: string): string {
  type Spec = { LaunchTemplateId: string };
  const out = world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [group] }) as {
    AutoScalingGroups: {
      LaunchTemplate?: Spec;
      MixedInstancesPolicy?: { LaunchTemplate: { LaunchTemplateSpecification: Spec } };
    }[];
  };
  const described = out.AutoScalingGroups[0];
  const id = (
    described?.LaunchTemplate ?? described?.MixedInstancesPolicy?.LaunchTemplate.LaunchTemplateSpecification
  )?.LaunchTemplateId;
  if (!id) throw new Error(`group ${group} has no launch template`);
  return id;
}

/**
 * A world consistent with `config`: the two groups (tagged with the enrolment tag; a group
 * enrolled by name runs on a launch template the configuration lists), 14 days of daily-cycle history, X-Ray services on
 * the groups as `dependencies.xray.serviceToGroup` maps them (calls along `dependencies.edges`),
 * a Timestream table mirroring each group's load when `historySource` is `timestream` (in a BIGINT
 * column of multi-measure records beside a DOUBLE one when `timestream.measureColumn` is set), and the
 * rolling-update state machine.
 */
export function sideServiceWorld(config: UserConfigInput, seed = 1): SimulatedWorld {
  const historyStartMs = EPOCH_MS;
  const startMs = historyStartMs + 14 * DAY_MS + 9 * HOUR_MS;
  const world = new SimulatedWorld({ startMs, seed });
  const tags = config.groups.tag ? { [config.groups.tag.key]: config.groups.tag.value } : {};
  const { web, api } = sideServiceGroups(config);
  const common = {
    minSize: 2,
    maxSize: 20,
    desiredCapacity: 4,
    tags,
    launchDelaySeconds: 60,
    launchJitterSeconds: 0,
    warmupSeconds: 60,
    warmPoolLaunchSeconds: 30,
  };
  world.createGroup({
    ...common,
    name: web,
    instanceType: 'm5.large',
    ...groupLaunch(web, tags, config),
  });
  world.createGroup({
    ...common,
    name: api,
    instanceType: 'm7g.large',
    ...groupLaunch(api, tags, config),
    launchTemplateVersion: '$Default',
  });
  for (const [name, base] of [
    [web, 150],
    [api, 120],
  ] as const)
    world.seedHistory(name, historyStartMs, startMs, dailyLoad(base), 60);
  const xray = config.dependencies?.xray;
  if (xray?.enabled) {
    const serviceOf = new Map<string, string>();
    for (const [service, group] of Object.entries(xray.serviceToGroup ?? {})) {
      world.services.xray.addService(service, group);
      serviceOf.set(group, service);
    }
    for (const edge of config.dependencies?.edges ?? []) {
      const from = serviceOf.get(edge.from);
      const to = serviceOf.get(edge.to);
      if (from && to) world.services.xray.addCall(from, to);
    }
  }
  const timestream = config.timestream;
  if (config.historySource === 'timestream' && timestream)
    world.services.timestream.createTable({
      ...timestream,
      metricOf: (group) => groupMetrics(group).offeredLoad,
      ...(timestream.measureColumn === undefined
        ? {}
        : {
            multiMeasure: {
              loadColumn: timestream.measureColumn,
              columns: { [timestream.measureColumn]: 'BIGINT', memory_used_pct: 'DOUBLE' },
            },
          }),
    });
  world.services.stepFunctions.createStateMachine(ROLLING_UPDATE_STATE_MACHINE_ARN);
  return world;
}

/** What the side-service scenarios did. */
export interface SideServiceScenarioResult {
  readonly world: SimulatedWorld;
  readonly groups: SideServiceGroups;
  /** The scaling loop's ticks (X-Ray discovery and Timestream history run in its worker). */
  readonly ticks: readonly PrescaleTick[];
  /** validate-rolling-update's answer for web's new version 2 (a new AMI id), rolled back to version 1. */
  readonly validation: unknown;
  /** validate-rolling-update's answer for api's new version 2; api runs `$Default`, resolved to 1. */
  readonly resolvedRollbackValidation: unknown;
  /**
   * find-scheduled-maintenance's answer, with a retirement notice on one instance of each group;
   * undefined when the configuration does not deploy the scan (`autoStartOnScheduledEvents` off).
   */
  readonly maintenance: unknown;
  /**
   * select-instance-types' answer for web while the scan's rolling update of web still runs
   * (waiting for its window); undefined when the scan is not deployed.
   */
  readonly heldSelection: unknown;
  /** select-instance-types' answer for web, once every rolling update the scan started has closed. */
  readonly selection: unknown;
  /** Executions the handlers started on the rolling-update state machine. */
  readonly executions: readonly StartedExecution[];
}

/**
 * Attaches `world` to `lambdas` and runs two scaling-loop ticks five minutes apart (X-Ray
 * discovery and Timestream history run in the worker; the run records feed instance-type selection).
 */
export async function runLoopTicks(
  lambdas: PrescaleLambdas,
  world: SimulatedWorld,
  groups: SideServiceGroups,
): Promise<PrescaleTick[]> {
  await lambdas.attach(world);
  const ticks: PrescaleTick[] = [];
  const startMs = world.clock.nowMs();
  ticks.push(await lambdas.tick());
  for (let t = startMs; t < startMs + 5 * MINUTE_MS; t += MINUTE_MS) {
    world.advanceTo(t);
    world.recordMinute(groups.web, t, dailyLoad(150)(t));
    world.recordMinute(groups.api, t, dailyLoad(120)(t));
  }
  world.advanceTo(startMs + 5 * MINUTE_MS);
  ticks.push(await lambdas.tick());
  return ticks;
}

/**
 * Adds a launch template version on a new AMI (same architecture) to the group's template, as an
 * operator would, and asks `validate-rolling-update` about rolling it out.
 */
export async function validateNewImage(
  lambdas: PrescaleLambdas,
  world: SimulatedWorld,
  group: string,
  architecture: 'x86_64' | 'arm64',
): Promise<unknown> {
  const ec2 = world.services.ec2;
  const image = ec2.registerImage({
    imageId: `${groupImageId(group).slice(0, -4)}0002`,
    name: `${group}-al2023-${architecture}-patched`,
    architecture,
  });
  const version = ec2.addLaunchTemplateVersion(launchTemplateOf(world, group), { ImageId: image }, 1);
  return invokeLambda(
    lambdas,
    'validate-rolling-update',
    {
      request: { groupName: group, launchTemplateVersion: String(version) },
      executionName: `manual-${group}-v${version}`,
    },
    SIDE_SERVICE_ENVIRONMENT,
  );
}

/** Puts a retirement notice on the first instance of each group and runs `find-scheduled-maintenance`. */
export async function scanScheduledMaintenance(
  lambdas: PrescaleLambdas,
  world: SimulatedWorld,
  groups: readonly string[],
): Promise<unknown> {
  for (const group of groups) {
    const out = world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [group] }) as {
      AutoScalingGroups: { Instances: { InstanceId: string }[] }[];
    };
    const instanceId = out.AutoScalingGroups[0]?.Instances[0]?.InstanceId;
    if (instanceId)
      world.services.ec2.scheduleInstanceEvent({
        instanceId,
        code: 'instance-retirement',
        notBeforeMs: world.clock.nowMs() + 3 * DAY_MS,
      });
  }
  return invokeLambda(lambdas, 'find-scheduled-maintenance', {}, SIDE_SERVICE_ENVIRONMENT);
}

/** Runs `select-instance-types` for the named groups. */
export function selectInstanceTypesFor(
  lambdas: PrescaleLambdas,
  groups: readonly string[],
): Promise<unknown> {
  return invokeLambda(
    lambdas,
    'select-instance-types',
    { groupNames: [...groups] },
    SIDE_SERVICE_ENVIRONMENT,
  );
}

/**
 * Runs Prescale's real handlers that reach EC2, Pricing, X-Ray and Timestream against
 * `sideServiceWorld(config)`: the loop's ticks (`runLoopTicks`), rolling-update validation of a
 * new launch template version on a new AMI for each group (web's rollback target is version 1 on
 * an AMI id; api's is `$Default`, resolved through EC2), the scheduled-maintenance scan (when the
 * configuration deploys it), and instance-type selection for web: held while the scan's rolling
 * update of web runs, applied once it has closed. `lambdas` must have been
 * started with `config`; with request checks installed, every request is authorized as the
 * calling function's deployed role and validated against the API models.
 */
export async function runSideServiceScenarios(
  lambdas: PrescaleLambdas,
  config: UserConfigInput,
  seed = 1,
): Promise<SideServiceScenarioResult> {
  const world = sideServiceWorld(config, seed);
  const groups = sideServiceGroups(config);
  const ticks = await runLoopTicks(lambdas, world, groups);
  const validation = await validateNewImage(lambdas, world, groups.web, 'x86_64');
  const resolvedRollbackValidation = await validateNewImage(lambdas, world, groups.api, 'arm64');
  const maintenance = config.rollingUpdate?.autoStartOnScheduledEvents
    ? await scanScheduledMaintenance(lambdas, world, [groups.web, groups.api])
    : undefined;
  const heldSelection = maintenance ? await selectInstanceTypesFor(lambdas, [groups.web]) : undefined;
  // The scan's rolling updates end (their windows open and refreshes finish, elsewhere).
  const { stepFunctions } = world.services;
  for (const e of [...stepFunctions.executions]) if (!e.status) stepFunctions.closeExecution(e.executionArn);
  const selection = await selectInstanceTypesFor(lambdas, [groups.web]);
  return {
    world,
    groups,
    ticks,
    validation,
    resolvedRollbackValidation,
    maintenance,
    heldSelection,
    selection,
    executions: [...world.services.stepFunctions.executions],
  };
}
