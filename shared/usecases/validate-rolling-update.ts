import { GROUP_TAGS } from '../contracts/env';
import { InvalidConfigError, parseConfig } from '../contracts/parse-config';
import {
  MAX_HEALTHY_PERCENTAGE_SPREAD,
  type RefreshPreferences,
  ROLLING_UPDATE_KEYS,
  type RollingUpdateRequest,
  rollingUpdateRequestSchema,
  type ValidationResult,
} from '../contracts/rolling-update';
import type { UserConfig } from '../contracts/user-config';
import type { RefreshPath } from '../core/rolling-update/types';
import type { Clock } from '../ports/clock';
import { ResourceNotFoundError } from '../ports/errors';
import type { InstanceCatalog } from '../ports/instance-catalog';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { StateStore } from '../ports/state-store';
import type { UpdatePlanStore } from '../ports/update-plan-store';
import { findUpdateConflicts, neighboursOf } from './find-update-conflicts';

/** What validation reads: the group, its launch template versions, and the time. */
export interface ValidateRollingUpdateDeps {
  readonly scalingTarget: ScalingTarget;
  readonly launchTemplates: Pick<InstanceCatalog, 'launchTemplate'>;
  readonly clock: Clock;
  /** Group locks, to refuse an update while a dependent group is updating. */
  readonly locks: Pick<StateStore, 'getLock'>;
  /** Plan locks: a group in another update plan, or next to one, is not updated alone. */
  readonly planLocks: Pick<UpdatePlanStore, 'getPlanLock'>;
}

const EXPLICIT_VERSION = /^\d+$/;

const rejected = (reason: string): ValidationResult => ({ outcome: 'rejected', reason });

function isEnrolled(config: UserConfig, group: GroupSnapshot): boolean {
  const tag = config.groups.tag;
  return config.groups.names.includes(group.name) || (tag !== undefined && group.tags[tag.key] === tag.value);
}

/** The launch template a group launches from, and whether it selects types by attributes. */
function launchTemplateOf(group: GroupSnapshot) {
  if (group.mixedInstances) {
    return {
      id: group.mixedInstances.launchTemplateId,
      version: group.mixedInstances.version,
      attributeBased: group.mixedInstances.usesAttributeBasedSelection,
    };
  }
  if (group.launchTemplate) {
    return { id: group.launchTemplate.id, version: group.launchTemplate.version, attributeBased: false };
  }
  return undefined;
}

/** DesiredConfiguration in the StartInstanceRefresh API's shape, for one explicit version. */
/**
 * The DesiredConfiguration of a refresh to `version`: a mixed-instances group keeps everything
 * but the main template's version — its InstancesDistribution and each override's own launch
 * template — since a desired configuration replaces the group's whole policy.
 */
function desiredConfiguration(group: GroupSnapshot, launchTemplateId: string, version: string) {
  const spec = { LaunchTemplateId: launchTemplateId, Version: version };
  const mixed = group.mixedInstances;
  if (!mixed) return { LaunchTemplate: spec };
  return {
    MixedInstancesPolicy: {
      LaunchTemplate: {
        LaunchTemplateSpecification: spec,
        Overrides: mixed.overrides.map((o) => ({
          ...(o.instanceType ? { InstanceType: o.instanceType } : {}),
          ...(o.weightedCapacity !== undefined ? { WeightedCapacity: String(o.weightedCapacity) } : {}),
          ...(o.launchTemplate
            ? {
                LaunchTemplateSpecification: {
                  LaunchTemplateId: o.launchTemplate.id,
                  Version: o.launchTemplate.version,
                },
              }
            : {}),
        })),
      },
      ...(mixed.instancesDistribution ? { InstancesDistribution: { ...mixed.instancesDistribution } } : {}),
    },
  };
}

function preferences(
  config: UserConfig,
  request: RollingUpdateRequest,
  autoRollback: boolean,
  alarmNames: readonly string[],
): RefreshPreferences {
  const defaults = config.rollingUpdate;
  const checkpoints = request.checkpointPercentages;
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
    ...(alarmNames.length > 0 ? { AlarmSpecification: { Alarms: [...alarmNames] } } : {}),
  };
}

/**
 * Checks a rolling-update request before anything is touched, and plans what the workflow does:
 * the request is well formed and allowed by config; the group exists, is enrolled and has no
 * refresh in progress; the target version is explicit and exists; the previous version is
 * recorded. Groups with attribute-based instance type selection take the `fallback` path (no
 * DesiredConfiguration, so no native rollback); templates whose AMI is an SSM parameter cannot be
 * rolled back natively either. Refusals are values (`rejected` with the reason), not errors.
 * @throws TransientDependencyError when Auto Scaling or EC2 may answer later.
 */
export async function validateRollingUpdate(
  deps: ValidateRollingUpdateDeps,
  config: UserConfig,
  event: { readonly request: unknown; readonly executionName: string },
): Promise<ValidationResult> {
  let request: RollingUpdateRequest;
  try {
    request = parseConfig(rollingUpdateRequestSchema, event.request, 'rolling-update request');
  } catch (error) {
    if (error instanceof InvalidConfigError) return rejected(error.message);
    throw error;
  }
  const nowMs = deps.clock.nowMs();
  const { groupName } = request;
  if (!EXPLICIT_VERSION.test(request.launchTemplateVersion)) {
    return rejected(
      `launchTemplateVersion must be an explicit version number such as "7"; got "${request.launchTemplateVersion}" ($Latest and $Default cannot be rolled back)`,
    );
  }
  if (request.reason === 'instance-type-change' && !config.rollingUpdate.autoStartOnInstanceTypeChange) {
    return rejected(
      'automatic starts on an instance type change are off (rollingUpdate.autoStartOnInstanceTypeChange)',
    );
  }
  if (request.reason === 'scheduled-maintenance' && !config.rollingUpdate.autoStartOnScheduledEvents) {
    return rejected(
      'automatic starts on scheduled events are off (rollingUpdate.autoStartOnScheduledEvents)',
    );
  }
  const [group] = await deps.scalingTarget.describeGroups({ names: [groupName] });
  if (!group || group.name !== groupName) return rejected(`Auto Scaling group ${groupName} does not exist`);
  if (!isEnrolled(config, group)) {
    return rejected(`group ${groupName} is not enrolled in Prescale (by name or by the enrolment tag)`);
  }
  if (group.instanceRefreshInProgress) {
    return rejected(`an instance refresh is already in progress on ${groupName}; nothing was changed`);
  }
  const paused = group.tags[GROUP_TAGS.paused];
  if (paused !== undefined && paused.toLowerCase() !== 'false') {
    return rejected(`group ${groupName} is paused by its ${GROUP_TAGS.paused} tag; nothing was changed`);
  }
  if (config.dryRun) {
    return rejected(`dry run: the request for ${groupName} is valid, and nothing was changed (dryRun is on)`);
  }
  // Updating two dependent groups at once doubles the risk: one at a time along every edge.
  const dependents = neighboursOf(config, [groupName]);
  if (dependents.length > 0) {
    const neighbours = await deps.scalingTarget.describeGroups({ names: dependents });
    for (const neighbour of neighbours) {
      if (neighbour.instanceRefreshInProgress) {
        return rejected(
          `dependent group ${neighbour.name} has an instance refresh in progress; dependent groups are never updated at the same time`,
        );
      }
    }
  }
  if (request.planExecutionName !== undefined) {
    const held = await deps.planLocks.getPlanLock(groupName, nowMs);
    if (held?.holder !== request.planExecutionName) {
      return rejected(
        `group ${groupName} is not held by update plan ${request.planExecutionName}${held ? ` but by ${held.holder}` : ''}; nothing was changed`,
      );
    }
  }
  // Checked again right after the group lock is taken ("Check dependent groups"), which closes the race.
  const [conflict] = await findUpdateConflicts(deps, config, {
    groupNames: [groupName],
    nowMs,
    executionName: event.executionName,
    ...(request.planExecutionName !== undefined ? { planName: request.planExecutionName } : {}),
  });
  if (conflict !== undefined) {
    return rejected(`${conflict}; dependent groups are never updated at the same time, nothing was changed`);
  }
  const template = launchTemplateOf(group);
  if (!template) {
    return rejected(`group ${groupName} uses a launch configuration; rolling updates need a launch template`);
  }
  const notes: string[] = [];
  try {
    await deps.launchTemplates.launchTemplate(template.id, request.launchTemplateVersion);
  } catch (error) {
    if (error instanceof ResourceNotFoundError) {
      return rejected(`launch template ${template.id} has no version ${request.launchTemplateVersion}`);
    }
    throw error;
  }
  // The version a rollback returns to: the group's current one.
  let previousVersion: string | undefined = EXPLICIT_VERSION.test(template.version)
    ? template.version
    : undefined;
  let previousImageFromSsm: boolean | undefined;
  try {
    const previous = await deps.launchTemplates.launchTemplate(template.id, template.version);
    previousImageFromSsm = (previous.imageId ?? '').startsWith('resolve:ssm:');
    if (previousVersion === undefined) {
      previousVersion = String(previous.versionNumber);
      notes.push(`the group runs ${template.version}, resolved to version ${previousVersion}`);
    }
  } catch (error) {
    if (!(error instanceof ResourceNotFoundError)) throw error;
    notes.push(
      previousVersion === undefined
        ? `the group's version ${template.version} could not be resolved; a revert is impossible`
        : `the group's version ${previousVersion} could not be read; no native rollback`,
    );
  }
  const path: RefreshPath = template.attributeBased ? 'fallback' : 'native';
  if (path === 'fallback' && previousVersion === undefined) {
    return rejected(
      `group ${groupName} selects instance types by attributes, so the previous version must be recorded to roll back, and ${template.version} could not be resolved`,
    );
  }
  // Native rollback needs a desired configuration, and the group's current version — the one a
  // rollback returns to — explicit and with an AMI ID, not an SSM parameter alias:
  // https://docs.aws.amazon.com/autoscaling/ec2/userguide/instance-refresh-rollback.html
  const nativeRollback =
    path === 'native' && previousImageFromSsm === false && EXPLICIT_VERSION.test(template.version);
  if (path === 'fallback') {
    notes.push(
      'attribute-based instance selection: refresh without a desired configuration, revert by version',
    );
  } else if (!nativeRollback) {
    notes.push(
      previousImageFromSsm
        ? `the version a rollback returns to (${previousVersion ?? template.version}) takes its AMI from an SSM parameter: no native rollback; cancel and revert instead`
        : `the group runs ${template.version}: no native rollback; cancel and revert instead`,
    );
  }
  const alarmNames = request.alarmNames ?? config.rollingUpdate.alarmNames;
  const prefs = preferences(config, request, nativeRollback && (request.autoRollback ?? true), alarmNames);
  if (prefs.MaxHealthyPercentage - prefs.MinHealthyPercentage > MAX_HEALTHY_PERCENTAGE_SPREAD) {
    return rejected(
      `maxHealthyPercentage − minHealthyPercentage must be at most ${MAX_HEALTHY_PERCENTAGE_SPREAD} (Auto Scaling refuses a wider pair); got ${prefs.MaxHealthyPercentage} − ${prefs.MinHealthyPercentage}`,
    );
  }
  const revertPreferences: RefreshPreferences = {
    MinHealthyPercentage: prefs.MinHealthyPercentage,
    MaxHealthyPercentage: prefs.MaxHealthyPercentage,
    InstanceWarmup: prefs.InstanceWarmup,
    SkipMatching: true,
    AutoRollback: false,
  };
  const deadlineMs = request.deadline
    ? Date.parse(request.deadline)
    : nowMs + config.rollingUpdate.maxWaitHours * 3_600_000;
  return {
    outcome: 'valid',
    executionName: event.executionName,
    groupName,
    reason: request.reason,
    force: request.force,
    targetVersion: request.launchTemplateVersion,
    launchTemplateId: template.id,
    ...(previousVersion !== undefined ? { previousVersion } : {}),
    path,
    nativeRollback,
    ...(path === 'native'
      ? { desiredConfiguration: desiredConfiguration(group, template.id, request.launchTemplateVersion) }
      : {}),
    ...(path === 'native' && previousVersion !== undefined
      ? { revertDesiredConfiguration: desiredConfiguration(group, template.id, previousVersion) }
      : {}),
    preferences: prefs,
    revertPreferences,
    alarmNames: [...alarmNames],
    pollIntervalSeconds: request.pollIntervalSeconds ?? config.rollingUpdate.pollIntervalSeconds,
    ...(request.maxRefreshMinutes !== undefined ? { maxRefreshMinutes: request.maxRefreshMinutes } : {}),
    deadlineMs,
    original: { minSize: group.minSize, maxSize: group.maxSize, desiredCapacity: group.desiredCapacity },
    lockPk: ROLLING_UPDATE_KEYS.groupPk(groupName),
    recordPk: ROLLING_UPDATE_KEYS.groupPk(groupName),
    recordSk: ROLLING_UPDATE_KEYS.recordSk(nowMs, event.executionName),
    recordExpiresAt: String(Math.ceil((nowMs + config.recordRetentionDays * 86_400_000) / 1000)),
    notes,
    ...(request.planExecutionName !== undefined ? { planExecutionName: request.planExecutionName } : {}),
  };
}
