import { InvalidConfigError, parseConfig } from '../contracts/parse-config';
import {
  bakeOutlastsRefresh,
  GROUP_CHANGED_SINCE_PLAN,
  GROUP_NO_LONGER_EXISTS,
  MAX_HEALTHY_PERCENTAGE_SPREAD,
  type RefreshPreferences,
  type RollingUpdateRequest,
  requestOfExecutionInput,
  rollingUpdateRequestSchema,
  type ValidationResult,
} from '../contracts/rolling-update';
import { MAX_WAIT_HOURS, type UserConfig } from '../contracts/user-config';
import { isExplicitVersion } from '../core/rolling-update/explicit-version';
import type { AlarmStates } from '../ports/alarm-states';
import type { Clock } from '../ports/clock';
import type { DiscoveredDependencyStore } from '../ports/dependency-discovery';
import type { InstanceCatalog } from '../ports/instance-catalog';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { StateStore } from '../ports/state-store';
import type { UpdatePlanStore } from '../ports/update-plan-store';
import { dependencyEdgesForUpdates } from './dependency-edges-for-updates';
import { dependentGroupLabel, findUpdateConflicts, neighboursOf } from './find-update-conflicts';
import { groupChangedSincePlan } from './group-changed-since-plan';
import { type CurrentLaunchTemplate, launchTemplateOf } from './group-launch-template';
import { launchTemplateVersionProblem } from './launch-template-version-problem';
import { planRollback, type RollbackPlan } from './plan-rollback';
import { rollingUpdateHold } from './update-hold';
import { refreshPreferences, validPlan } from './valid-rolling-update-plan';

/** What validation reads: the group, its launch template versions, and the time. */
export interface ValidateRollingUpdateDeps {
  readonly scalingTarget: ScalingTarget;
  readonly launchTemplates: Pick<InstanceCatalog, 'launchTemplate'>;
  readonly clock: Clock;
  /** Group locks, to refuse an update while a dependent group is updating. */
  readonly locks: Pick<StateStore, 'getLock'>;
  /** Plan locks: a group in another update plan, or next to one, is not updated alone. */
  readonly planLocks: Pick<UpdatePlanStore, 'getPlanLock'>;
  /** The scaling loop's X-Ray discovery: its edges count as dependencies too (read only with X-Ray on). */
  readonly discoveredDependencies: Pick<DiscoveredDependencyStore, 'getDiscovery'>;
  /** The watched alarms must exist: a missing one would never stop the refresh. */
  readonly alarmStates: Pick<AlarmStates, 'unknownAlarms'>;
  /** The deployment-wide kill switch; a read that fails throws, never reads as "running". */
  readonly isGloballyPaused: () => Promise<boolean>;
  /** This deployment's name (its stack's): a group another deployment manages is refused. */
  readonly deployment: string;
}

const rejected = (reason: string): ValidationResult => ({ outcome: 'rejected', reason });

/**
 * Checks a rolling-update request before anything is touched, and plans what the workflow does:
 * the request is well formed and allowed by config; the group exists and no hold keeps it
 * (`rollingUpdateHold`: kill switch, enrolment, a refresh in progress, pause, suspended processes,
 * forecast-only for an automatic start, dry run); the target version is explicit and exists; the previous version is
 * recorded; every watched alarm exists; an update plan's child finds its group on the launch
 * template and version the plan expects (else `GroupChangedSincePlan`). Groups with attribute-based instance type selection take
 * the `fallback` path (no DesiredConfiguration, so no native rollback); templates whose AMI is an
 * SSM parameter cannot be rolled back natively either. Refusals are values (`rejected` with the reason), not errors.
 * @throws TransientDependencyError when Auto Scaling or EC2 may answer later.
 */
export async function validateRollingUpdate(
  deps: ValidateRollingUpdateDeps,
  config: UserConfig,
  event: { readonly request: unknown; readonly executionName: string },
): Promise<ValidationResult> {
  const request = parsedRequest(event.request);
  if ('outcome' in request) return request;
  const nowMs = deps.clock.nowMs();
  const { groupName } = request;
  const requestRefusal = checkRequest(config, request, nowMs);
  if (requestRefusal) return requestRefusal;
  const [group] = await deps.scalingTarget.describeGroups({ names: [groupName] });
  if (!group || group.name !== groupName) return groupMissing(deps, request, nowMs);
  const held = await groupRefusal(deps, config, group, request);
  if (held) return rejected(held);
  const notes: string[] = [];
  const overlap = await checkNoOverlappingUpdate(deps, config, request, {
    nowMs,
    executionName: event.executionName,
    notes,
  });
  if (overlap) return overlap;
  const template = launchTemplateOf(group);
  if (!template) {
    return rejected(`group ${groupName} uses a launch configuration; rolling updates need a launch template`);
  }
  const changedSincePlan = await groupChangedSincePlan(deps.launchTemplates, request, template);
  if (changedSincePlan)
    return { outcome: 'rejected', reason: changedSincePlan, error: GROUP_CHANGED_SINCE_PLAN };
  const versionRefusal = await checkTargetVersion(deps, template.id, request.launchTemplateVersion);
  if (versionRefusal) return versionRefusal;
  const planned = await planRollback(deps.launchTemplates, groupName, template, notes);
  if ('outcome' in planned) return planned;
  const rollback = likeForLike(planned, template, request, notes);
  const alarmNames = request.alarmNames ?? config.rollingUpdate.alarmNames;
  const alarmRefusal = await checkWatchedAlarms(
    deps,
    alarmNames,
    request.alarmNames ? "the request's alarmNames" : 'rollingUpdate.alarmNames',
  );
  if (alarmRefusal) return alarmRefusal;
  const prefs = refreshPreferences(
    config,
    request,
    rollback.nativeRollback && (request.autoRollback ?? true),
    alarmNames,
  );
  const spreadRefusal = checkHealthySpread(prefs);
  if (spreadRefusal) return spreadRefusal;
  // The request's own bake was checked with the request; the configured one only now.
  if (request.bakeTimeSeconds === undefined) {
    const bakeProblem = bakeOutlastsRefresh(
      config.rollingUpdate.bakeTimeSeconds,
      request.maxRefreshMinutes,
      'rollingUpdate.bakeTimeSeconds',
    );
    if (bakeProblem) return rejected(bakeProblem);
  }
  return validPlan({
    config,
    executionName: event.executionName,
    request,
    group,
    template,
    rollback,
    preferences: prefs,
    alarmNames,
    nowMs,
    notes,
  });
}

/**
 * The refusal of a request whose group Auto Scaling does not know. An update plan's child names a
 * group the plan found when it was computed: the group was deleted since, before its child
 * started, and the run ends `GroupNoLongerExists`, as one deleted while waiting for a window does,
 * so the plan counts it as deleted, not failed. A request of its own may name a group that never
 * existed (a typo), and one naming a plan that does not hold the group's plan lock was not sent by
 * that plan (the plan takes every group's lock before it starts a child): both are rejected.
 */
async function groupMissing(
  deps: ValidateRollingUpdateDeps,
  request: RollingUpdateRequest,
  nowMs: number,
): Promise<ValidationResult> {
  const { groupName, planExecutionName, launchTemplateVersion } = request;
  if (planExecutionName === undefined) return rejected(`Auto Scaling group ${groupName} does not exist`);
  const held = await deps.planLocks.getPlanLock(groupName, nowMs);
  if (held?.holder !== planExecutionName) {
    return rejected(
      `Auto Scaling group ${groupName} does not exist, and update plan ${planExecutionName} does not hold it${held ? ` (${held.holder} does)` : ''}; nothing was changed`,
    );
  }
  return {
    outcome: 'rejected',
    reason: `Auto Scaling group ${groupName} no longer exists (it did when update plan ${planExecutionName} was computed): the update to version ${launchTemplateVersion} was not started and nothing was changed`,
    error: GROUP_NO_LONGER_EXISTS,
  };
}

/**
 * A refresh to the version the group runs already replaces instances with their like: rolling it
 * back would only replace the new ones again, so a failure cancels it (no native rollback).
 */
function likeForLike(
  rollback: RollbackPlan,
  template: CurrentLaunchTemplate,
  request: RollingUpdateRequest,
  notes: string[],
): RollbackPlan {
  if (rollback.previousVersion !== request.launchTemplateVersion) return rollback;
  const alias = isExplicitVersion(template.version)
    ? ''
    : `; the refresh names ${template.version}, which the group keeps`;
  notes.push(
    `the group runs version ${request.launchTemplateVersion} already: instances are replaced with their like, and a failure is cancelled, not rolled back${alias}`,
  );
  return { ...rollback, nativeRollback: false };
}

/** Auto Scaling refuses a MaxHealthyPercentage more than 100 above MinHealthyPercentage. */
function checkHealthySpread(prefs: RefreshPreferences): ValidationResult | undefined {
  if (prefs.MaxHealthyPercentage - prefs.MinHealthyPercentage <= MAX_HEALTHY_PERCENTAGE_SPREAD)
    return undefined;
  return rejected(
    `maxHealthyPercentage − minHealthyPercentage must be at most ${MAX_HEALTHY_PERCENTAGE_SPREAD} (Auto Scaling refuses a wider pair); got ${prefs.MaxHealthyPercentage} − ${prefs.MinHealthyPercentage}`,
  );
}

/**
 * The request as the workflow takes it, or its refusal naming every field that is wrong. The key
 * Step Functions adds to an update plan's child executions is the workflow's, not the request's.
 */
function parsedRequest(raw: unknown): RollingUpdateRequest | ValidationResult {
  try {
    return parseConfig(rollingUpdateRequestSchema, requestOfExecutionInput(raw), 'rolling-update request');
  } catch (error) {
    if (error instanceof InvalidConfigError) return rejected(error.message);
    throw error;
  }
}

/** Every watched alarm exists: a misspelt or deleted one would never stop the refresh. */
async function checkWatchedAlarms(
  deps: Pick<ValidateRollingUpdateDeps, 'alarmStates'>,
  alarmNames: readonly string[],
  source: string,
): Promise<ValidationResult | undefined> {
  const unknownAlarms = await deps.alarmStates.unknownAlarms(alarmNames);
  if (unknownAlarms.length === 0) return undefined;
  return rejected(
    `watched alarm(s) ${unknownAlarms.join(', ')} (${source}) are no CloudWatch alarm of this account and region: the refresh would never stop on them`,
  );
}

/** Why the group may not be updated now: a hold (`rollingUpdateHold`), instances a refresh would wait on included. */
async function groupRefusal(
  deps: ValidateRollingUpdateDeps,
  config: UserConfig,
  group: GroupSnapshot,
  request: RollingUpdateRequest,
): Promise<string | undefined> {
  const globallyPaused = await deps.isGloballyPaused();
  return rollingUpdateHold(config, group, {
    deployment: deps.deployment,
    globallyPaused,
    reason: request.reason,
  });
}

/** The request alone: an explicit target version, and an automatic start that config allows. */
function checkRequest(
  config: UserConfig,
  request: RollingUpdateRequest,
  nowMs: number,
): ValidationResult | undefined {
  const latestDeadlineMs = nowMs + MAX_WAIT_HOURS * 3_600_000;
  if (request.deadline && Date.parse(request.deadline) > latestDeadlineMs) {
    return rejected(
      `deadline must be at most ${MAX_WAIT_HOURS} hours ahead (${new Date(latestDeadlineMs).toISOString()}), as rollingUpdate.maxWaitHours; got ${request.deadline}`,
    );
  }
  if (!isExplicitVersion(request.launchTemplateVersion)) {
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
  return undefined;
}

/**
 * No dependent group is refreshing, the group is held by the request's plan (if any), and no
 * other update holds the group or its neighbours: updating two dependent groups at once doubles
 * the risk, so it goes one at a time along every edge, declared or discovered
 * (`dependencyEdgesForUpdates`, whose notes join `caller.notes`).
 */
async function checkNoOverlappingUpdate(
  deps: ValidateRollingUpdateDeps,
  config: UserConfig,
  request: RollingUpdateRequest,
  caller: { readonly nowMs: number; readonly executionName: string; readonly notes: string[] },
): Promise<ValidationResult | undefined> {
  const { groupName } = request;
  const { nowMs, executionName } = caller;
  const graph = await dependencyEdgesForUpdates(deps, config.dependencies, nowMs);
  caller.notes.push(...graph.notes);
  const dependents = neighboursOf(graph, [groupName]);
  if (dependents.length > 0) {
    const neighbours = await deps.scalingTarget.describeGroups({ names: dependents.map((g) => g.name) });
    for (const dependent of dependents) {
      if (neighbours.find((g) => g.name === dependent.name)?.instanceRefreshInProgress) {
        return rejected(
          `${dependentGroupLabel(dependent)} has an instance refresh in progress; dependent groups are never updated at the same time`,
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
  const [conflict] = await findUpdateConflicts(deps, graph, {
    groupNames: [groupName],
    nowMs,
    executionName,
    ...(request.planExecutionName !== undefined ? { planName: request.planExecutionName } : {}),
  });
  if (conflict !== undefined) {
    return rejected(`${conflict}; dependent groups are never updated at the same time, nothing was changed`);
  }
  return undefined;
}

async function checkTargetVersion(
  deps: ValidateRollingUpdateDeps,
  launchTemplateId: string,
  targetVersion: string,
): Promise<ValidationResult | undefined> {
  const problem = await launchTemplateVersionProblem(deps.launchTemplates, launchTemplateId, targetVersion);
  return problem === undefined ? undefined : rejected(problem);
}
