import { InvalidConfigError, parseConfig } from '../contracts/parse-config';
import {
  type ComputedUpdatePlan,
  MAX_PLAN_HORIZON_MS,
  UPDATE_PLAN_KEYS,
  type UpdatePlanRequest,
  updatePlanRequestSchema,
} from '../contracts/update-plan';
import type { UserConfig } from '../contracts/user-config';
import { layoutUpdatePlan, type PlanTarget } from '../core/update-plan/layout-update-plan';
import { planLockMarginMs } from '../core/update-plan/plan-lock-margin';
import { withinBytes } from '../core/update-plan/within-bytes';
import type { Clock } from '../ports/clock';
import type { DiscoveredDependencyStore } from '../ports/dependency-discovery';
import { ResourceNotFoundError } from '../ports/errors';
import type { InstanceCatalog } from '../ports/instance-catalog';
import type { MixSolver } from '../ports/mix-solver';
import type { PriceCatalog, PricedOperatingSystem } from '../ports/price-catalog';
import type { GroupSnapshot, ScalingTarget, WarmPoolSettings } from '../ports/scaling-target';
import { dependencyEdgesForUpdates } from './dependency-edges-for-updates';
import { launchTemplateOf, runningVersion } from './group-launch-template';
import { isEnrolled } from './is-enrolled';
import { launchTemplateVersionProblem } from './launch-template-version-problem';
import { revertAllowancesSeconds, slotShorterThanRefresh } from './plan-child-refresh';
import {
  type DependentUpdateGroup,
  type PlanDependentUpdatesResult,
  planDependentUpdates,
} from './plan-dependent-updates';
import { type PlanGroupForecastDeps, planGroupForecast } from './plan-group-forecast';
import { ignoredTagReasons, resolveGroupSettings } from './resolve-group-settings';
import { updateHoldReason, waitedOnInstancesRefusal } from './update-hold';

/**
 * What planning reads: the groups, their load history and campaigns (`campaignsFor`: none when
 * not given), a forecaster, prices, a solver, the time.
 */
export interface ComputeUpdatePlanDeps extends PlanGroupForecastDeps {
  readonly scalingTarget: ScalingTarget;
  /** On-demand prices (headroom cost); the static file in the Lambda, no network needed. */
  readonly prices: PriceCatalog;
  readonly solver: MixSolver;
  readonly launchTemplates: Pick<InstanceCatalog, 'launchTemplate'>;
  readonly clock: Clock;
  /** This deployment's name (its stack's): a group another deployment manages is refused. */
  readonly deployment: string;
  /** The scaling loop's X-Ray discovery: its edges keep groups apart too (read only with X-Ray on). */
  readonly discoveredDependencies: Pick<DiscoveredDependencyStore, 'getDiscovery'>;
}

/** Where and how long. */
export interface ComputeUpdatePlanOptions {
  readonly region: string;
}

const HOUR_MS = 3_600_000;
/**
 * Most slots offered to the planner: the plan, with a reason for every slot a group did not take,
 * travels in the execution state, which Step Functions limits to 256 KiB.
 */
const MAX_SLOTS = 48;
/**
 * Shares of that 256 KiB for the plan's explanations, which grow with slots × groups × name length
 * (ten groups with 255-character names over 48 slots made a 274 KB plan, mostly these two lists).
 * The rest of the state (plan, step, children's results, request) stays well under the remainder.
 */
const REJECTED_MAX_BYTES = 64 * 1024;
const WARNINGS_MAX_BYTES = 32 * 1024;
/** A refusal; `reason` carries every reason too, since it becomes the execution's Cause. */
const refused = (headline: string, reasons: readonly string[] = [headline]): ComputedUpdatePlan => ({
  outcome: 'refused',
  reason: reasons.length === 1 && reasons[0] === headline ? headline : `${headline}: ${reasons.join('; ')}`,
  reasons: [...reasons],
});

/**
 * Computes a multi-group update plan with the dependency-aware planner: reads each group's
 * capacity, forecasts its load over the slots from now to the deadline, raised by its campaigns
 * as the rolling update's window raises it (`planGroupForecast`: a slot over a sale must fit the
 * sale's p90; without usable history the group is assumed fully loaded at its in-service
 * capacity), prices headroom with the static
 * on-demand price of its first instance type, and solves `planDependentUpdates` with the declared
 * dependency edges and, with X-Ray on, the discovered ones the scaling loop stored
 * (`dependencyEdgesForUpdates`, whose notes become warnings of the plan). Returns the plan laid
 * out for the parent state machine, with every slot a group did not take and why, or a refusal
 * with every reason (unknown group, a group its child would refuse at its slot: held, refreshing,
 * a target version that cannot launch, instances its refresh would wait on; no slot before the
 * deadline, no slot where the p90 peak fits). Touches nothing.
 * @throws TransientDependencyError when Auto Scaling, EC2 or the metric source may answer later.
 * @throws SolverUnavailableError when the solver cannot load.
 * @throws CampaignsNotReadError when the calendar read before planning does not cover a group.
 */
export async function computeUpdatePlan(
  deps: ComputeUpdatePlanDeps,
  config: UserConfig,
  event: { readonly request: unknown; readonly executionName: string },
  options: ComputeUpdatePlanOptions,
): Promise<ComputedUpdatePlan> {
  let request: UpdatePlanRequest;
  try {
    request = parseConfig(updatePlanRequestSchema, event.request, 'update plan request');
  } catch (error) {
    if (error instanceof InvalidConfigError) return refused(error.message);
    throw error;
  }
  const nowMs = deps.clock.nowMs();
  const { slotMs, deadlineMs, slotCount } = slotsBeforeDeadline(config, request, nowMs);
  if (slotCount < 1) {
    return refused(
      `the deadline ${new Date(deadlineMs).toISOString()}${request.deadline ? '' : ` (no deadline given: now + rollingUpdate.maxWaitHours, ${config.rollingUpdate.maxWaitHours} h)`} leaves no whole ${request.slotMinutes}-minute slot after ${new Date(nowMs).toISOString()}; expected a deadline at or after ${new Date(nowMs + slotMs).toISOString()}`,
    );
  }
  if (config.dryRun) return refused('dry run: nothing is updated while dryRun is on');

  const names = request.groups.map((g) => g.groupName);
  const { problems, candidates, targets, tagNotes } = await readCandidates(deps, config, request, names, {
    region: options.region,
    nowMs,
    spanMs: slotCount * slotMs,
  });
  if (problems.length > 0) return refused(problems.join('; '), problems);

  const limit = Math.min(
    request.maxConcurrentUpdates ?? config.rollingUpdate.planMaxConcurrentUpdates,
    config.rollingUpdate.planMaxConcurrentUpdates,
  );
  const graph = await dependencyEdgesForUpdates(deps, config.dependencies, nowMs);
  const result = await planDependentUpdates(
    { solver: deps.solver },
    {
      firstSlotStartMs: nowMs,
      slotSeconds: slotMs / 1000,
      slotCount,
      groups: candidates,
      edges: graph.edges,
      maxConcurrentUpdates: limit,
    },
  );
  const plan = result.plan;
  if (plan.kind !== 'planned') return refusalOf(plan, slotCount, request.slotMinutes, deadlineMs, tagNotes);
  const order = result.diagnostics.topologicalOrder.filter((g) => names.includes(g));
  const planned = { ...plan, warnings: [...graph.notes, ...tagNotes, ...plan.warnings] };
  return plannedUpdate(config, event.executionName, planned, { targets, candidates, order });
}

/** The slots offered to the planner: whole slots from now to the deadline, within the forecast's reach. */
function slotsBeforeDeadline(config: UserConfig, request: UpdatePlanRequest, nowMs: number) {
  const slotMs = request.slotMinutes * 60_000;
  const deadlineMs = request.deadline
    ? Date.parse(request.deadline)
    : nowMs + config.rollingUpdate.maxWaitHours * HOUR_MS;
  const slotCount = Math.min(
    MAX_SLOTS,
    Math.floor((Math.min(deadlineMs, nowMs + MAX_PLAN_HORIZON_MS) - nowMs) / slotMs),
  );
  return { slotMs, deadlineMs, slotCount };
}

/** What planning knows of the requested groups: each one's solver input and undo target, or why not. */
interface PlanCandidates {
  readonly problems: string[];
  readonly candidates: DependentUpdateGroup[];
  readonly targets: PlanTarget[];
  /** The group tags planning could not read, named as the scaling loop names them, by group. */
  readonly tagNotes: string[];
}

/** Reads every requested group, collecting every problem rather than stopping at the first. */
async function readCandidates(
  deps: ComputeUpdatePlanDeps,
  config: UserConfig,
  request: UpdatePlanRequest,
  names: string[],
  when: { readonly region: string; readonly nowMs: number; readonly spanMs: number },
): Promise<PlanCandidates> {
  const { region, nowMs, spanMs } = when;
  const snapshots = await deps.scalingTarget.describeGroups({ names });
  const problems: string[] = [];
  const candidates: DependentUpdateGroup[] = [];
  const targets: PlanTarget[] = [];
  const tagNotes: string[] = [];
  const priceByType = await hourlyPrices(deps.prices, region, config.pricing.operatingSystem);
  for (const wanted of request.groups) {
    const group = snapshots.find((g) => g.name === wanted.groupName);
    if (!group) {
      problems.push(`Auto Scaling group ${wanted.groupName} does not exist`);
      continue;
    }
    if (!isEnrolled(config, group)) {
      problems.push(`group ${group.name} is not enrolled in Prescale (by name or by the enrolment tag)`);
      continue;
    }
    // Its child would be refused at its slot, after earlier slots' groups were updated (and undone).
    const held = updateHoldReason(group, deps.deployment);
    if (held) {
      problems.push(held);
      continue;
    }
    if (group.instanceRefreshInProgress) {
      problems.push(
        `an instance refresh is already in progress on ${group.name}: its update would be refused at its slot, after earlier slots were updated (and then undone); request the plan again once the refresh has ended`,
      );
      continue;
    }
    const waitedOn = waitedOnInstancesRefusal(config, group);
    if (waitedOn) {
      problems.push(
        `${waitedOn}; its update would be refused at its slot, after earlier slots were updated (and then undone)`,
      );
      continue;
    }
    const tooShort = slotShorterThanRefresh(config, group, request.slotMinutes);
    if (tooShort) problems.push(tooShort);
    const running = await currentVersion(deps, group);
    if ('problem' in running) {
      problems.push(running.problem);
      continue;
    }
    const badTarget = await targetVersionProblem(deps, group, wanted.launchTemplateVersion);
    if (badTarget) {
      problems.push(badTarget);
      continue;
    }
    targets.push({
      groupName: group.name,
      targetVersion: wanted.launchTemplateVersion,
      previousVersion: running.version,
      launchTemplateId: running.launchTemplateId,
    });
    const { settings, ignoredTags } = resolveGroupSettings(config, group.name, group.tags);
    tagNotes.push(...ignoredTagReasons(ignoredTags).map((r) => `${group.name}: ${r}`));
    candidates.push({
      groupName: group.name,
      desiredCapacity: group.desiredCapacity,
      maxSize: group.maxSize,
      ...(group.warmPool ? { warmPool: refreshedPool(group.warmPool) } : {}),
      minHealthyPercentage: config.rollingUpdate.minHealthyPercentage,
      // The child refreshes with these (its request sets none); each slot is checked to hold the
      // refresh of the headroom its peak needs, as the child's window check estimates it.
      refresh: {
        instanceWarmupSeconds: config.rollingUpdate.instanceWarmupSeconds,
        maxHealthyPercentage: config.rollingUpdate.maxHealthyPercentage,
        bakeTimeSeconds: config.rollingUpdate.bakeTimeSeconds,
      },
      targetLoadPerInstance: settings.targetLoadPerInstance,
      hourlyPriceUsd: priceByType[group.instanceTypes[0] ?? ''] ?? 0,
      forecast: await planGroupForecast(deps, group, settings, { nowMs, spanMs }),
    });
  }
  return { problems, candidates, targets, tagNotes };
}

type PlannerOutcome = PlanDependentUpdatesResult['plan'];

function refusalOf(
  plan: Exclude<PlannerOutcome, { kind: 'planned' }>,
  slotCount: number,
  slotMinutes: number,
  deadlineMs: number,
  tagNotes: readonly string[],
): ComputedUpdatePlan {
  if (plan.kind === 'invalid-graph') {
    return refused(
      'the dependency graph is invalid',
      plan.problems.map((p) => p.message),
    );
  }
  if (plan.kind === 'infeasible') {
    return refused(
      `no plan fits the ${slotCount} slot(s) of ${slotMinutes} minutes before ${new Date(deadlineMs).toISOString()}`,
      // A tag misread (a target the group was not sized by) may be why none fits.
      [...plan.reasons, ...tagNotes],
    );
  }
  return refused(`the planner's solution was unsafe: ${plan.reason}`);
}

/**
 * The plan laid out for the parent state machine, its locks held until the undo's time after the
 * last slot: every group's revert, one at a time, each allowed its child's refresh allowance
 * (`planLockMarginMs`; the reverts refresh the desired capacity the slot check estimates).
 */
function plannedUpdate(
  config: UserConfig,
  planName: string,
  plan: Extract<PlannerOutcome, { kind: 'planned' }>,
  groups: {
    readonly targets: PlanTarget[];
    readonly candidates: DependentUpdateGroup[];
    readonly order: string[];
  },
): ComputedUpdatePlan {
  const { targets, order } = groups;
  const layout = layoutUpdatePlan({ planName, plan, targets, order });
  const rejected = withinBytes(layout.rejected, REJECTED_MAX_BYTES);
  const warnings = withinBytes(plan.warnings, WARNINGS_MAX_BYTES);
  const lastSlot = layout.slots.reduce((a, b) => (b.endMs > a.endMs ? b : a));
  const allowances = revertAllowancesSeconds(config, groups.candidates);
  const lockExpiresAtMs =
    lastSlot.endMs +
    planLockMarginMs(
      allowances,
      lastSlot.groups.map((g) => g.groupName),
    );
  return {
    outcome: 'planned',
    planName,
    groups: targets,
    slots: layout.slots.map((s) => ({ ...s, groups: [...s.groups] })),
    order,
    rejected: rejected.kept,
    headroomCostUsd: plan.headroomCostUsd,
    warnings: [
      ...warnings.kept,
      ...omittedNote(rejected.omitted, 'rejected slot(s)'),
      ...omittedNote(warnings.omitted, 'warning(s)'),
    ],
    summary: [...layout.summary],
    lockExpiresAtMs,
    recordExpiresAt: String(Math.ceil((lockExpiresAtMs + config.recordRetentionDays * 24 * HOUR_MS) / 1000)),
    recordPk: UPDATE_PLAN_KEYS.planPk(planName),
  };
}

/** Says what `withinBytes` left off, if anything. */
function omittedNote(omitted: number, what: string): string[] {
  return omitted > 0
    ? [`${omitted} more ${what} not listed: the plan travels in the execution's state (256 KiB at most)`]
    : [];
}

/** The launch template and explicit version the group runs now (the undo's target), or why it cannot be known. */
async function currentVersion(
  deps: Pick<ComputeUpdatePlanDeps, 'launchTemplates'>,
  group: GroupSnapshot,
): Promise<{ launchTemplateId: string; version: string } | { problem: string }> {
  const template = launchTemplateOf(group);
  if (!template) {
    return {
      problem: `group ${group.name} uses a launch configuration; rolling updates need a launch template`,
    };
  }
  try {
    const version = await runningVersion(deps.launchTemplates, template);
    return version !== undefined
      ? { launchTemplateId: template.id, version }
      : {
          problem: `group ${group.name} runs ${template.version}, which could not be resolved to a version to undo to`,
        };
  } catch (error) {
    if (!(error instanceof ResourceNotFoundError)) throw error;
    // The version exists but its image does not: an undo to it could launch nothing.
    return {
      problem: `group ${group.name} runs ${template.version} of ${template.id}, whose ${error.resourceType} ${error.resourceId} no longer exists, so an undo to it could launch nothing`,
    };
  }
}

/**
 * Why the version `group` is to be updated to cannot launch, if it cannot: its child's validation
 * would refuse it at its slot, after earlier slots' groups were updated (and then undone).
 */
async function targetVersionProblem(
  deps: Pick<ComputeUpdatePlanDeps, 'launchTemplates'>,
  group: GroupSnapshot,
  targetVersion: string,
): Promise<string | undefined> {
  const template = launchTemplateOf(group);
  if (!template) return undefined;
  const problem = await launchTemplateVersionProblem(deps.launchTemplates, template.id, targetVersion);
  return problem === undefined
    ? undefined
    : `group ${group.name}: ${problem}; its update would be refused at its slot, after earlier slots were updated (and then undone)`;
}

async function hourlyPrices(
  prices: PriceCatalog,
  region: string,
  operatingSystem: PricedOperatingSystem,
): Promise<Readonly<Record<string, number>>> {
  try {
    return (await prices.onDemandPrices(region, operatingSystem)).hourlyPriceUsdByType;
  } catch {
    // Without prices headroom is free to the planner; the lateness penalty still orders slots.
    return {};
  }
}

/** What of a warm pool the refresh estimates read (`refreshedInstances`): its size, nothing else. */
function refreshedPool({ minSize, maxGroupPreparedCapacity }: WarmPoolSettings) {
  return { minSize, ...(maxGroupPreparedCapacity !== undefined ? { maxGroupPreparedCapacity } : {}) };
}
