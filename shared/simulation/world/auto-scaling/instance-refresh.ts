import { SimulatedAwsError } from '../simulated-aws-error';
import type { AutoScalingContext } from './auto-scaling-context';
import { autoScalingFault } from './auto-scaling-fault';
import { type InstanceRefresh, launchTemplateIdOf, type SimGroup } from './group-state';
import { updatedMixedInstances } from './mixed-instances';
import { ACTIVE_REFRESH, outdated, startRollback } from './refresh-progress';
import { checkTemplateVersionExists } from './template-version-check';

/** StartInstanceRefresh input, as the SDK sends it. */
export interface StartInstanceRefreshInput {
  AutoScalingGroupName?: string;
  DesiredConfiguration?: {
    LaunchTemplate?: { LaunchTemplateId?: string; Version?: string };
    // biome-ignore lint/suspicious/noExplicitAny: the SDK's MixedInstancesPolicy, validated against the model.
    MixedInstancesPolicy?: Record<string, any>;
  };
  Preferences?: {
    MinHealthyPercentage?: number;
    MaxHealthyPercentage?: number;
    InstanceWarmup?: number;
    CheckpointPercentages?: number[];
    CheckpointDelay?: number;
    AutoRollback?: boolean;
    SkipMatching?: boolean;
    ScaleInProtectedInstances?: 'Refresh' | 'Ignore' | 'Wait';
    AlarmSpecification?: { Alarms?: string[] };
    BakeTime?: number;
  };
}

/**
 * StartInstanceRefresh: validates the preferences, launches new instances from the desired
 * configuration while the group keeps its own settings (`savedSettings`, until it succeeds) and
 * queues the refresh (it progresses on `progressRefresh`).
 * @throws SimulatedAwsError InstanceRefreshInProgress when one is active; ValidationError on bad
 * preferences (`checkedPreferences`) or an AutoRollback Auto Scaling cannot do.
 */
export function startInstanceRefresh(
  ctx: AutoScalingContext,
  group: SimGroup,
  input: StartInstanceRefreshInput,
): { InstanceRefreshId: string } {
  if (group.refreshes.some((r) => ACTIVE_REFRESH.has(r.status))) {
    throw autoScalingFault(
      'InstanceRefreshInProgress',
      `An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.`,
    );
  }
  const p = input.Preferences ?? {};
  const { minHealthy, maxHealthy, checkpoints, alarms } = checkedPreferences(p);
  if (p.AutoRollback) {
    const why = rollbackRefusal(
      ctx,
      group.version,
      input.DesiredConfiguration !== undefined,
      launchTemplateIdOf(group),
    );
    if (why) throw new SimulatedAwsError('ValidationError', `AutoRollback is not available: ${why}.`);
  }
  const { targetVersion, targetMixed } = refreshTarget(ctx, group, input.DesiredConfiguration);
  const refresh: InstanceRefresh = {
    id: ctx.uuid(),
    status: 'Pending',
    startMs: ctx.nowMs,
    minHealthyPercentage: minHealthy,
    maxHealthyPercentage: maxHealthy,
    instanceWarmupSeconds: p.InstanceWarmup ?? group.spec.warmupSeconds,
    checkpointPercentages: checkpoints,
    checkpointDelaySeconds: p.CheckpointDelay ?? 3600,
    bakeTimeSeconds: p.BakeTime ?? 0,
    autoRollback: p.AutoRollback ?? false,
    hasDesiredConfiguration: input.DesiredConfiguration !== undefined,
    skipMatching: p.SkipMatching ?? false,
    scaleInProtectedInstances: p.ScaleInProtectedInstances ?? 'Wait',
    alarms,
    targetVersion,
    previousVersion: group.version,
    instancesToUpdate: 0,
    replaced: 0,
    inFlight: new Set(),
    leaving: new Set(),
    nextCheckpoint: 0,
    ...(targetMixed
      ? { mixedPolicies: { target: targetMixed, ...(group.mixed ? { previous: group.mixed } : {}) } }
      : {}),
  };
  if (input.DesiredConfiguration)
    group.savedSettings = { version: group.version, ...(group.mixed ? { mixed: group.mixed } : {}) };
  group.version = targetVersion;
  if (targetMixed) group.mixed = targetMixed;
  refresh.instancesToUpdate = outdated(group, refresh).length;
  group.refreshes.unshift(refresh);
  return { InstanceRefreshId: refresh.id };
}

/**
 * The preferences' healthy percentages (defaults 90 and 100), checkpoints and watched alarms, as
 * StartInstanceRefresh accepts them.
 * @throws SimulatedAwsError ValidationError on MaxHealthyPercentage without MinHealthyPercentage,
 * healthy percentages out of range or more than 100 apart, checkpoints not increasing within 1–100, more than 10 alarms.
 */
function checkedPreferences(p: NonNullable<StartInstanceRefreshInput['Preferences']>) {
  // "If you specify MaxHealthyPercentage, you must also specify MinHealthyPercentage" (RefreshPreferences).
  if (p.MaxHealthyPercentage !== undefined && p.MinHealthyPercentage === undefined)
    throw new SimulatedAwsError(
      'ValidationError',
      `MinHealthyPercentage must be specified with MaxHealthyPercentage ${p.MaxHealthyPercentage}.`,
    );
  const minHealthy = p.MinHealthyPercentage ?? 90;
  const maxHealthy = p.MaxHealthyPercentage ?? 100;
  if (
    minHealthy < 0 ||
    minHealthy > 100 ||
    maxHealthy < 100 ||
    maxHealthy > 200 ||
    maxHealthy - minHealthy > 100
  ) {
    throw new SimulatedAwsError(
      'ValidationError',
      `Invalid MinHealthyPercentage ${minHealthy} / MaxHealthyPercentage ${maxHealthy}`,
    );
  }
  const checkpoints = [...(p.CheckpointPercentages ?? [])];
  if (checkpoints.some((c, i) => c < 1 || c > 100 || (i > 0 && c <= (checkpoints[i - 1] as number)))) {
    throw new SimulatedAwsError(
      'ValidationError',
      'CheckpointPercentages must be increasing values between 1 and 100.',
    );
  }
  const alarms = [...(p.AlarmSpecification?.Alarms ?? [])];
  if (alarms.length > 10)
    throw new SimulatedAwsError(
      'ValidationError',
      `AlarmSpecification may name at most 10 alarms, got ${alarms.length}.`,
    );
  return { minHealthy, maxHealthy, checkpoints, alarms };
}

/**
 * Why Auto Scaling cannot roll a refresh back to `version` (user guide, "Undo changes with a manual
 * or auto rollback"; RollbackInstanceRefresh): it needs a desired configuration, and a numbered
 * launch template version whose AMI is no SSM alias. @returns undefined when it can.
 */
function rollbackRefusal(
  ctx: AutoScalingContext,
  version: string,
  hasDesiredConfiguration: boolean,
  templateId: string,
): string | undefined {
  if (!hasDesiredConfiguration) return 'the instance refresh has no DesiredConfiguration';
  if (!/^\d+$/.test(version)) return `the group uses launch template version ${version}`;
  if (ctx.templateData(templateId, version)?.ImageId?.startsWith('resolve:ssm:'))
    return `launch template version ${version} takes its AMI from a Systems Manager parameter`;
  return undefined;
}

/**
 * The version (and mixed instances policy, if any) a refresh's desired configuration moves the group to.
 * @throws SimulatedAwsError ValidationError when it names a version its template does not have.
 */
function refreshTarget(
  ctx: AutoScalingContext,
  group: SimGroup,
  desired: StartInstanceRefreshInput['DesiredConfiguration'],
) {
  // A desired mixed instances policy replaces the group's whole policy (API reference, DesiredConfiguration).
  const targetMixed = desired?.MixedInstancesPolicy
    ? updatedMixedInstances(group, desired.MixedInstancesPolicy)
    : undefined;
  const spec: { LaunchTemplateId?: string; Version?: string } | undefined =
    desired?.LaunchTemplate ?? desired?.MixedInstancesPolicy?.LaunchTemplate?.LaunchTemplateSpecification;
  const targetVersion: string = spec?.Version ?? group.version;
  if (spec)
    checkTemplateVersionExists(ctx, spec.LaunchTemplateId ?? launchTemplateIdOf(group), targetVersion);
  return { targetVersion, targetMixed };
}

/**
 * CancelInstanceRefresh: "Cancels an instance refresh or rollback that is in progress" (API
 * reference), a rollback too. The group keeps its own settings (a refresh changes them only on
 * success, `finish`).
 * @throws SimulatedAwsError ActiveInstanceRefreshNotFound when none is Pending, InProgress, Baking
 * or RollbackInProgress.
 */
export function cancelInstanceRefresh(group: SimGroup): { InstanceRefreshId: string } {
  const active = group.refreshes.find((r) => r.status === 'RollbackInProgress') ?? activeRefresh(group);
  active.status = 'Cancelling';
  active.statusReason = 'Cancelled by user request';
  return { InstanceRefreshId: active.id };
}

/**
 * RollbackInstanceRefresh.
 * @throws SimulatedAwsError ValidationError when a rollback is in progress already: the API
 * reference defines ActiveInstanceRefreshNotFound as no active "instance refresh or rollback", so
 * it is not that one, and which error AWS answers is not documented: the simulation answers the
 * generic one, which a caller must not take for the rollback failing (an assumption, not AWS's
 * documented answer); ActiveInstanceRefreshNotFound when none is Pending, InProgress or Baking;
 * IrreversibleInstanceRefresh when the refresh had no desired configuration or the version it
 * replaced is `$Latest`/`$Default` or takes its AMI from SSM (API reference).
 */
export function rollbackInstanceRefresh(
  ctx: AutoScalingContext,
  group: SimGroup,
): { InstanceRefreshId: string } {
  if (group.refreshes.some((r) => r.status === 'RollbackInProgress'))
    throw new SimulatedAwsError('ValidationError', 'An instance refresh rollback is already in progress.');
  const active = activeRefresh(group);
  const why = rollbackRefusal(
    ctx,
    active.previousVersion,
    active.hasDesiredConfiguration,
    launchTemplateIdOf(group),
  );
  if (why)
    throw autoScalingFault(
      'IrreversibleInstanceRefresh',
      `The instance refresh cannot be rolled back: ${why}.`,
    );
  startRollback(ctx, group, active, 'Rollback requested by user');
  return { InstanceRefreshId: active.id };
}

/**
 * The Pending, InProgress or Baking refresh, as Cancel/Rollback find it (a baking refresh has not
 * finished: "You can roll back an instance refresh that is still in progress. You can't roll it
 * back after it's finished"); AWS's error when there is none.
 */
function activeRefresh(group: SimGroup): InstanceRefresh {
  const active = group.refreshes.find(
    (r) => r.status === 'Pending' || r.status === 'InProgress' || r.status === 'Baking',
  );
  if (!active) {
    throw autoScalingFault(
      'ActiveInstanceRefreshNotFound',
      'No in progress or pending Instance Refresh found for this Auto Scaling group.',
    );
  }
  return active;
}
