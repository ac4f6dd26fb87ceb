import type { UserConfigInput } from '../../../shared/contracts/user-config';
import type { DeployedAccount } from '../../../shared/simulation/aws-checks/deployed-account';
import { launchTemplateOf } from '../../../shared/simulation/scenarios/side-service-scenarios';
import { groupImageId } from '../../../shared/simulation/world/ec2-side-services';
import type { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';
import { EXECUTION_NAME } from '../rolling-update-harness';
import { TICK_MS } from './configuration-clock';
import {
  executeRollingUpdate,
  type RealLambdaTasks,
  type RollingUpdateExecution,
} from './rolling-update-execution';

export { type RealLambdaTasks, ROLLING_UPDATE_FUNCTIONS } from './rolling-update-execution';

/** A group after a run: sizes, its refreshes' statuses (newest first), its InService instances' versions and types. */
export interface GroupOnWorld {
  readonly sizes: string;
  readonly refreshes: readonly string[];
  readonly versions: readonly string[];
  readonly types: readonly string[];
}

/**
 * How a run's refresh goes (`prepareRun`): it succeeds; it fails and Auto Scaling rolls it back;
 * it fails and Prescale reverts it; it runs past the request's deadline and Prescale rolls it back
 * (`overrun`), or cancels and reverts it (`overrun-cancel`); an operator's refresh starts first
 * (`contended`); an operator suspended the group's InstanceRefresh process before it (`paused`) or
 * once it started (`paused-midway`).
 */
export const ROLLING_UPDATE_KINDS = [
  'rollout',
  'rollback',
  'overrun',
  'revert',
  'overrun-cancel',
  'contended',
  'paused',
  'paused-midway',
] as const;

/** One run of the deployed rolling-update state machine: how it ended and what its Task checks saw. */
export interface RollingUpdateRun extends Omit<RollingUpdateExecution, 'output' | 'error'> {
  readonly kind: (typeof ROLLING_UPDATE_KINDS)[number];
  /** The enrolled group updated (its launch template gets a new version). */
  readonly groupName: string;
  /** The launch template version rolled out. */
  readonly version: string;
  /** The version every instance should end on: the rolled-out one, or the one the run returned to. */
  readonly endsOn: string;
  /** The run's simulated minutes. */
  readonly minutes: number;
  /** The group's sizes before the run, as `min … desired … max …`. */
  readonly sizesBefore: string;
  /** The group's highest desired capacity after any of the run's Waits (headroom, its own scaling policy). */
  readonly peakDesired: number;
  /**
   * Service errors the run staged on purpose (an operator's refresh meeting Prescale's start), as
   * `raised` lists them; `raised` keeps only the others.
   */
  readonly staged: readonly string[];
  readonly group: GroupOnWorld;
  /** The scaling loop's run outcomes for the group while the update ran, as `kind: reason`. */
  readonly loopDuring: readonly string[];
  /** The loop's run outcomes for the group in the five minutes after the run, as `kind: reason`. */
  readonly loopAfter: readonly string[];
}

/** Adds a launch template version on a new AMI to the group's template, as an operator would; returns it. */
function addNewImageVersion(world: SimulatedWorld, group: string, run: number): string {
  const ec2 = world.services.ec2;
  const image = ec2.registerImage({
    imageId: `${groupImageId(group).slice(0, -4)}${String(run + 10).padStart(4, '0')}`,
    name: `${group}-al2023-patched-${run}`,
    architecture: 'x86_64',
  });
  return String(ec2.addLaunchTemplateVersion(launchTemplateOf(world, group), { ImageId: image }, 1));
}

/** The SSM parameter of Amazon Linux 2023's latest AMI, as a launch template names it. */
const SSM_AMI_ALIAS = 'resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64';

/**
 * Moves the group to a new launch template version whose AMI is an SSM parameter alias, as an
 * operator would (no refresh: new instances launch from it), so no rollback to it is native and
 * a failed refresh is undone by cancelling and reverting; a group already on one stays on it.
 * @returns that version.
 */
function moveToSsmAliasVersion(world: SimulatedWorld, group: string): string {
  const templateId = launchTemplateOf(world, group);
  const current = groupVersion(world, group);
  if (
    world.services.ec2.launchTemplateData({ LaunchTemplateId: templateId }, current)?.ImageId ===
    SSM_AMI_ALIAS
  )
    return current;
  const version = String(
    world.services.ec2.addLaunchTemplateVersion(templateId, { ImageId: SSM_AMI_ALIAS }, 1),
  );
  const spec = { LaunchTemplateId: templateId, Version: version };
  const [described] = (
    world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [group] }) as {
      AutoScalingGroups: { MixedInstancesPolicy?: unknown }[];
    }
  ).AutoScalingGroups;
  world.autoScaling.updateAutoScalingGroup({
    AutoScalingGroupName: group,
    ...(described?.MixedInstancesPolicy
      ? { MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: spec } } }
      : { LaunchTemplate: spec }),
  });
  return version;
}

/**
 * The rollout's load for a while once its refresh started, as a multiple of the trace's: above
 * what the headroom planned for the forecast carries, so the watch must raise it
 * (`needs-headroom`); short, so the runs after it start from the trace's load.
 */
const ROLLOUT_SURGE = { factor: 2, minutes: 20 };

/** The shortest `maxRefreshMinutes` a request may give; every matrix group's refresh takes longer. */
const SHORTEST_REFRESH_MINUTES = 5;

/**
 * What an operator does around a run: `contended`, they start a refresh of their own between
 * Prescale's checks and its start (and cancel it once the run ended, unless it is no longer
 * active, which the expectations catch); `paused`, they suspend the group's InstanceRefresh
 * process before it (and resume it after); `paused-midway`, they suspend it once Prescale's
 * refresh started, and after the run cancel that refresh, now theirs, and resume the process.
 * @returns the hooks for just before and after the refresh's start and what to do once the run
 * ended.
 */
function operatorActions(world: SimulatedWorld, groupName: string, kind: RollingUpdateRun['kind']) {
  const theirRefresh = { AutoScalingGroupName: groupName };
  const refreshProcess = { AutoScalingGroupName: groupName, ScalingProcesses: ['InstanceRefresh'] };
  let started = false;
  if (kind === 'paused') world.autoScaling.suspendProcesses(refreshProcess);
  return {
    beforeStart: () => {
      if (kind !== 'contended' || started) return;
      world.autoScaling.startInstanceRefresh(theirRefresh);
      started = true;
    },
    afterStart: () => {
      if (kind === 'paused-midway') world.autoScaling.suspendProcesses(refreshProcess);
    },
    afterRun: () => {
      const newest = groupAfter(world, groupName).refreshes[0];
      const theirsNow = started || kind === 'paused-midway';
      if (theirsNow && (newest === 'Pending' || newest === 'InProgress'))
        world.autoScaling.cancelInstanceRefresh(theirRefresh);
      if (kind === 'paused' || kind === 'paused-midway') world.autoScaling.resumeProcesses(refreshProcess);
    },
  };
}

/**
 * How a run's refresh goes: `rollout`, it succeeds, the load doubled for a while once it started;
 * `rollback`, the configuration's first watched alarm goes into ALARM once the refresh started
 * (where it watches one), else the new version's instances fail their health checks; `revert`,
 * the group first moves to a version on an SSM AMI alias (no native rollback), then the new
 * version fails its health checks; `overrun` and `overrun-cancel`, the request gives the refresh
 * less time than it takes, so Prescale undoes it itself, the second after the same move to an SSM
 * alias; `contended`, `paused` and `paused-midway`, an operator acts (`operatorActions`). @returns the version the
 * run should end on, the request's extra fields, what to do around the refresh's start and once
 * the run ended.
 */
function prepareRun(
  real: RealLambdaTasks,
  enrolment: UserConfigInput,
  kind: RollingUpdateRun['kind'],
  version: string,
) {
  const { world, groupName } = real;
  const [alarm] = enrolment.rollingUpdate?.alarmNames ?? [];
  const alarmGoesOff = kind === 'rollback' && alarm !== undefined;
  const operator = operatorActions(world, groupName, kind);
  const before = groupVersion(world, groupName);
  const endsOn =
    kind === 'rollout'
      ? version
      : kind === 'revert' || kind === 'overrun-cancel'
        ? moveToSsmAliasVersion(world, groupName)
        : before;
  if ((kind === 'rollback' && !alarmGoesOff) || kind === 'revert')
    world.autoScaling.failHealthChecksOf(groupName, version);
  const setAlarm = (state: 'ALARM' | 'OK') => {
    if (alarmGoesOff) world.alarms.setState(alarm, state, world.clock.nowMs());
  };
  const overrun = kind === 'overrun' || kind === 'overrun-cancel';
  return {
    endsOn,
    // The only service error a run stages: Prescale's start meeting the operator's refresh.
    staged: (raised: string) =>
      kind === 'contended' &&
      /^Start instance refresh: AutoScaling\.InstanceRefreshInProgressException: /.test(raised),
    request: overrun ? { maxRefreshMinutes: SHORTEST_REFRESH_MINUTES } : {},
    hooks: {
      beforeStart: operator.beforeStart,
      started: () => {
        setAlarm('ALARM');
        if (kind === 'rollout') real.surgeLoad(ROLLOUT_SURGE.factor, ROLLOUT_SURGE.minutes);
        operator.afterStart();
      },
    },
    onEnded: () => {
      setAlarm('OK');
      operator.afterRun();
    },
  };
}

/** The launch template version the group launches from now. */
function groupVersion(world: SimulatedWorld, group: string): string {
  type Spec = { LaunchTemplateSpecification?: { Version?: string } };
  const [described] = (
    world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [group] }) as {
      AutoScalingGroups: {
        LaunchTemplate?: { Version?: string };
        MixedInstancesPolicy?: { LaunchTemplate?: Spec };
      }[];
    }
  ).AutoScalingGroups;
  return String(
    described?.LaunchTemplate?.Version ??
      described?.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification?.Version,
  );
}

/** What a run left on the group: its sizes, its refreshes (newest first), its instances' versions. */
function groupAfter(world: SimulatedWorld, groupName: string): GroupOnWorld {
  const { minSize, desiredCapacity, maxSize } = world.autoScaling.counts(groupName);
  const refreshes = world.autoScaling.describeInstanceRefreshes({ AutoScalingGroupName: groupName }) as {
    InstanceRefreshes: { Status: string }[];
  };
  const [group] = (
    world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: [groupName] }) as {
      AutoScalingGroups: {
        Instances?: {
          LifecycleState?: string;
          InstanceType?: string;
          LaunchTemplate?: { Version?: string };
        }[];
      }[];
    }
  ).AutoScalingGroups;
  const inService = (group?.Instances ?? []).filter((i) => i.LifecycleState === 'InService');
  return {
    sizes: `min ${minSize} desired ${desiredCapacity} max ${maxSize}`,
    refreshes: refreshes.InstanceRefreshes.map((r) => r.Status),
    versions: [...new Set(inService.map((i) => i.LaunchTemplate?.Version ?? '?'))].sort(),
    types: [...new Set(inService.map((i) => i.InstanceType ?? '?'))].sort(),
  };
}

/** A rolling update a Prescale function started (`StartExecution`), run to its end on the world. */
export interface StartedUpdateRun {
  readonly name: string;
  /** Why it was started (`instance-type-change`, `scheduled-maintenance`). */
  readonly reason: string;
  readonly groupName: string;
  readonly version: string;
  /** The instance type that launch template version launches, when it names one. */
  readonly versionType?: string;
  readonly outcome: string;
  /** Its Task checks' refusals, the world's service errors and handler errors, as text. */
  readonly problems: readonly string[];
  readonly group: GroupOnWorld;
}

/**
 * Runs an execution a Prescale function started on the rolling-update state machine (the
 * selector after applying a cheaper type, the maintenance scan) to its end on the world, as the
 * deployed state machine (`executeRollingUpdate`).
 */
export async function runStartedUpdate(
  account: DeployedAccount,
  enrolment: UserConfigInput,
  worldTasks: Omit<RealLambdaTasks, 'groupName'>,
  started: { readonly name: string; readonly input: string },
): Promise<StartedUpdateRun> {
  const input = JSON.parse(started.input) as Record<string, unknown>;
  const groupName = String(input.groupName);
  const version = String(input.launchTemplateVersion);
  const { world } = worldTasks;
  const execution = await executeRollingUpdate(
    account,
    enrolment,
    { ...worldTasks, groupName },
    {
      name: started.name,
      input,
    },
  );
  const versionType = world.services.ec2.launchTemplateData(
    { LaunchTemplateId: launchTemplateOf(world, groupName) },
    version,
  )?.InstanceType;
  return {
    name: started.name,
    reason: String(input.reason),
    groupName,
    version,
    ...(versionType ? { versionType } : {}),
    outcome: execution.outcome,
    problems: [
      ...execution.refusals.map((r) => `refused ${r.state}: ${r.error}: ${r.cause}`),
      ...execution.raised,
      ...execution.lambdaErrors,
    ],
    group: groupAfter(world, groupName),
  };
}

/**
 * Runs the deployed rolling-update definition (every ARN concrete) in aws-local-stepfunctions on
 * a new launch template version (new AMI) of `real.groupName`: every Task call the state machine
 * makes is validated against its API model and authorized as the deployed state machine's role;
 * its Lambda tasks run the real bundled handlers against the configuration's simulated world, as
 * each function's deployed role (their requests land in the run's request checks); its Auto
 * Scaling tasks act on that world's group, whose refresh replaces instances as time passes; its
 * DynamoDB tasks go to the functions' state table; its Wait states move the world's clock
 * (load recorded, the scaling loop ticking); its SNS notification goes to the world's SNS. The
 * group is enrolled as `enrolment` enrols groups: it carries the enrolment tag, or it is a named
 * group with its listed launch template. How each kind's refresh goes: `prepareRun`.
 */
export async function runRollingUpdate(
  account: DeployedAccount,
  enrolment: UserConfigInput,
  kind: RollingUpdateRun['kind'],
  real: RealLambdaTasks,
): Promise<RollingUpdateRun> {
  const { groupName } = real;
  const version = addNewImageVersion(real.world, groupName, ROLLING_UPDATE_KINDS.indexOf(kind) + 1);
  const prepared = prepareRun(real, enrolment, kind, version);
  const sizesBefore = groupAfter(real.world, groupName).sizes;
  const startedMs = real.world.clock.nowMs();
  let peakDesired = real.world.autoScaling.counts(groupName).desiredCapacity;
  // Each Wait moves the world; the desired capacity after it, whoever set it.
  const advanceTo = async (ms: number) => {
    await real.advanceTo(ms);
    peakDesired = Math.max(peakDesired, real.world.autoScaling.counts(groupName).desiredCapacity);
  };
  const execution = await executeRollingUpdate(
    account,
    enrolment,
    { ...real, advanceTo },
    { name: EXECUTION_NAME, input: { groupName, launchTemplateVersion: version, ...prepared.request } },
    prepared.hooks,
  );
  const endedMs = real.world.clock.nowMs();
  const group = groupAfter(real.world, groupName);
  prepared.onEnded();
  const loopRuns = await real.runRecords(groupName, startedMs + 1);
  // The loop's next tick, its group free again.
  await real.advanceTo(endedMs + (real.tickMs ?? TICK_MS));
  const loopAfter = (await real.runRecords(groupName, endedMs + 1)).map(
    (r) => `${r.outcome.kind}: ${r.outcome.reason}`,
  );
  const { output: _, error: __, raised, ...ended } = execution;
  return {
    ...ended,
    kind,
    groupName,
    version,
    endsOn: prepared.endsOn,
    minutes: Math.round((endedMs - startedMs) / 60_000),
    sizesBefore,
    peakDesired,
    raised: raised.filter((r) => !prepared.staged(r)),
    staged: raised.filter(prepared.staged),
    group,
    loopDuring: loopRuns.map((r) => `${r.outcome.kind}: ${r.outcome.reason}`),
    loopAfter,
  };
}
