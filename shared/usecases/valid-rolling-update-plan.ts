import { mixedInstancesPolicy } from '../contracts/mixed-instances-policy';
import {
  type RefreshPreferences,
  ROLLING_UPDATE_KEYS,
  type RollingUpdateRequest,
  type ValidPlan,
} from '../contracts/rolling-update';
import type { UserConfig } from '../contracts/user-config';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { CurrentLaunchTemplate } from './group-launch-template';
import type { RollbackPlan } from './plan-rollback';

/**
 * The DesiredConfiguration of a refresh to `version`: a mixed-instances group keeps everything
 * but the main template's version — its InstancesDistribution and each override's own launch
 * template — since a desired configuration replaces the group's whole policy.
 */
export function desiredConfiguration(
  group: GroupSnapshot,
  launchTemplateId: string,
  version: string,
): Record<string, unknown> {
  const spec = { LaunchTemplateId: launchTemplateId, Version: version };
  const mixed = group.mixedInstances;
  if (!mixed) return { LaunchTemplate: spec };
  return {
    MixedInstancesPolicy: mixedInstancesPolicy(
      { id: launchTemplateId, version },
      mixed.overrides,
      mixed.instancesDistribution,
    ),
  };
}

export function refreshPreferences(
  config: UserConfig,
  request: RollingUpdateRequest,
  autoRollback: boolean,
  alarmNames: readonly string[],
): RefreshPreferences {
  const defaults = config.rollingUpdate;
  const checkpoints = request.checkpointPercentages;
  const bakeTimeSeconds = request.bakeTimeSeconds ?? defaults.bakeTimeSeconds;
  return {
    MinHealthyPercentage: request.minHealthyPercentage ?? defaults.minHealthyPercentage,
    MaxHealthyPercentage: request.maxHealthyPercentage ?? defaults.maxHealthyPercentage,
    InstanceWarmup: request.instanceWarmupSeconds ?? defaults.instanceWarmupSeconds,
    SkipMatching: request.skipMatching ?? false,
    AutoRollback: autoRollback,
    ...(checkpoints && checkpoints.length > 0 ? { CheckpointPercentages: [...checkpoints] } : {}),
    ...(checkpoints && checkpoints.length > 0 && request.checkpointDelaySeconds !== undefined
      ? { CheckpointDelay: request.checkpointDelaySeconds }
      : {}),
    // Alarms firing while it bakes still roll it back: once it succeeded nothing can.
    ...(bakeTimeSeconds > 0 ? { BakeTime: bakeTimeSeconds } : {}),
    ...(alarmNames.length > 0 ? { AlarmSpecification: { Alarms: [...alarmNames] } } : {}),
    ...(defaults.scaleInProtectedInstances !== 'Wait'
      ? { ScaleInProtectedInstances: defaults.scaleInProtectedInstances }
      : {}),
  };
}

/**
 * A refresh's desired configuration and its revert's, on `group` as it is: on the native path
 * only (the fallback points the group instead). A refresh to the version the group runs already
 * names the group's own version (`$Default` or `$Latest` included), since the group takes a
 * refresh's desired configuration when it succeeds and would otherwise stay pinned to today's
 * number; and it has nothing to revert to, nor has one whose previous version is unknown.
 */
export function refreshDesiredConfigurations(
  group: GroupSnapshot,
  template: Pick<CurrentLaunchTemplate, 'id' | 'version'>,
  rollback: { readonly path: RollbackPlan['path']; readonly previousVersion?: string | undefined },
  targetVersion: string,
): Pick<ValidPlan, 'desiredConfiguration' | 'revertDesiredConfiguration'> {
  if (rollback.path !== 'native') return {};
  const { previousVersion } = rollback;
  const sameVersion = previousVersion === targetVersion;
  return {
    desiredConfiguration: desiredConfiguration(
      group,
      template.id,
      sameVersion ? template.version : targetVersion,
    ),
    ...(previousVersion !== undefined && !sameVersion
      ? { revertDesiredConfiguration: desiredConfiguration(group, template.id, previousVersion) }
      : {}),
  };
}

/** What a valid plan is assembled from, once every check passed. */
export interface CheckedUpdate {
  readonly config: UserConfig;
  readonly executionName: string;
  readonly request: RollingUpdateRequest;
  readonly group: GroupSnapshot;
  readonly template: CurrentLaunchTemplate;
  readonly rollback: RollbackPlan;
  readonly preferences: RefreshPreferences;
  readonly alarmNames: readonly string[];
  readonly nowMs: number;
  readonly notes: string[];
}

/**
 * The plan of a request that passed every check. A refresh to the version the group runs already
 * (the maintenance scan's, off hardware EC2 retires) replaces instances with their like
 * (`refreshDesiredConfigurations`).
 */
export function validPlan(checked: CheckedUpdate): ValidPlan {
  const { config, executionName, request, group, template, nowMs, notes } = checked;
  const { path, nativeRollback, previousVersion } = checked.rollback;
  const prefs = checked.preferences;
  const { groupName } = request;
  const revertPreferences: RefreshPreferences = {
    MinHealthyPercentage: prefs.MinHealthyPercentage,
    MaxHealthyPercentage: prefs.MaxHealthyPercentage,
    InstanceWarmup: prefs.InstanceWarmup,
    SkipMatching: true,
    AutoRollback: false,
    ...(prefs.ScaleInProtectedInstances
      ? { ScaleInProtectedInstances: prefs.ScaleInProtectedInstances }
      : {}),
  };
  const deadlineMs = request.deadline
    ? Date.parse(request.deadline)
    : nowMs + config.rollingUpdate.maxWaitHours * 3_600_000;
  return {
    outcome: 'valid',
    executionName,
    groupName,
    reason: request.reason,
    force: request.force,
    targetVersion: request.launchTemplateVersion,
    launchTemplateId: template.id,
    ...(previousVersion !== undefined ? { previousVersion } : {}),
    path,
    nativeRollback,
    ...refreshDesiredConfigurations(group, template, checked.rollback, request.launchTemplateVersion),
    preferences: prefs,
    revertPreferences,
    alarmNames: [...checked.alarmNames],
    pollIntervalSeconds: request.pollIntervalSeconds ?? config.rollingUpdate.pollIntervalSeconds,
    ...(request.maxRefreshMinutes !== undefined ? { maxRefreshMinutes: request.maxRefreshMinutes } : {}),
    deadlineMs,
    validatedAtMs: nowMs,
    original: { minSize: group.minSize, maxSize: group.maxSize, desiredCapacity: group.desiredCapacity },
    lockPk: ROLLING_UPDATE_KEYS.groupPk(groupName),
    recordPk: ROLLING_UPDATE_KEYS.groupPk(groupName),
    recordSk: ROLLING_UPDATE_KEYS.recordSk(nowMs, executionName),
    recordExpiresAt: String(Math.ceil((nowMs + config.recordRetentionDays * 86_400_000) / 1000)),
    notes,
    ...(request.planExecutionName !== undefined ? { planExecutionName: request.planExecutionName } : {}),
  };
}
