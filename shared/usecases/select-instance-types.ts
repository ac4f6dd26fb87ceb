import { launchTemplateVersionToken } from '../core/pricing/launch-template-version-token';
import { localZonePricingReason } from '../core/pricing/local-zone-pricing-reason';
import { savingShortfall } from '../core/pricing/monthly-saving';
import { stalePricesReason } from '../core/pricing/stale-prices-reason';
import { RejectedRequestError } from '../ports/errors';
import { PricesUnavailableError } from '../ports/price-catalog';
import type { GroupSnapshot } from '../ports/scaling-target';
import { billingPlatformMismatch } from './image-billing-platform';
import { groupHold, revertedChangeHold, runningRolloutHold, spotGroupHold } from './instance-type-apply-hold';
import { type GroupContext, HOUR_MS, RunCatalog, RunSpotPrices } from './instance-type-selection-context';
import type {
  GroupSelectionResult,
  InstanceTypeChange,
  Recommendation,
  SelectInstanceTypesDeps,
  SelectInstanceTypesInput,
  SelectInstanceTypesResult,
} from './instance-type-selection-types';
import { loadPrices } from './load-instance-prices';
import { planChange, recheck, runsTheSelection } from './plan-instance-type-change';
import { recommend } from './recommend-instance-types';

export type {
  GroupSelectionResult,
  InstanceTypeChange,
  PriceReport,
  PriceSource,
  Recommendation,
  SelectInstanceTypesDeps,
  SelectInstanceTypesInput,
  SelectInstanceTypesResult,
} from './instance-type-selection-types';

async function selectForGroup(ctx: GroupContext, group: GroupSnapshot): Promise<GroupSelectionResult> {
  const { config } = ctx;
  const planned = await recommend(ctx, group);
  if (planned.kind !== 'recommendation') return { groupName: group.name, ...planned };
  const { recommendation, template } = planned;
  const groupName = group.name;
  const chosen = recommendation.selection.items.map((i) => i.instanceType);
  const recommendOnly = (reason: string): GroupSelectionResult => ({
    kind: 'recommended',
    groupName,
    recommendation,
    reason,
  });
  if (runsTheSelection(group, recommendation)) {
    // The cheapest of its size already: a cheaper size is the owner's to take, so it is recommended.
    if (recommendation.otherSize) return recommendOnly(recommendation.otherSize.reason);
    return {
      kind: 'unchanged',
      groupName,
      recommendation,
      reason: 'the group already runs the cheapest types',
    };
  }
  // First: the figures themselves are not the group's, which a recommend-only user needs told too.
  const billing = billingPlatformMismatch(template, config.pricing.operatingSystem);
  if (billing) return recommendOnly(billing);
  const blocked = await applyBlocker(ctx, group, recommendation);
  if (blocked) return recommendOnly(blocked);
  const facts = await ctx.catalog.factsByType();
  const planned2 = planChange(ctx, group, recommendation, template, facts);
  if (planned2.kind === 'blocked') return recommendOnly(planned2.reason);
  const checked = await recheck(ctx, group, template, chosen, facts);
  if (checked.kind === 'unsafe') return recommendOnly(`pre-apply check failed: ${checked.reason}`);
  const change = planned2.change;
  if (config.dryRun) return { kind: 'dry-run', groupName, recommendation, change };
  // Built from the group as read just now, which recheck found as the selection read it.
  const applied = await applyChange(ctx, checked.group, change);
  await recordApplied(ctx, groupName, recommendation.current.instanceTypes, applied);
  return { kind: 'applied', groupName, recommendation, change: applied };
}

/**
 * Hours a started rollout's record outlives `rollingUpdate.maxWaitHours`: the refreshes and bakes
 * after its window. A record of a closed rollout holds nothing, but one that failed keeps its type
 * from being tried again on the group for `FAILED_ROLLOUT_BACKOFF_MS` from its start, shorter.
 */
const ROLLOUT_RECORD_MARGIN_HOURS = 7 * 24;

/**
 * Why the recommendation must not be applied to the group now (configuration, the run's prices
 * when stale or the static file's: `stalePricesReason`, a zone the region's prices do not price:
 * `localZonePricingReason`, the loop's holds:
 * `groupHold`, Spot launches, a saving under the threshold (`savingShortfall`), the owner's revert
 * of the change last applied (`revertedChangeHold`), then a running rolling update:
 * `runningRolloutHold`), or undefined when it may be.
 */
async function applyBlocker(
  ctx: GroupContext,
  group: GroupSnapshot,
  recommendation: Recommendation,
): Promise<string | undefined> {
  if (!ctx.config.pricing.apply) return 'recommend-only (pricing.apply is false)';
  const stale = stalePricesReason(ctx.priceReport, ctx.config.pricing.refreshHours);
  if (stale) return stale;
  const localZone = localZonePricingReason(group.availabilityZones);
  if (localZone) return localZone;
  const hold = await groupHold(ctx, group);
  if (hold) return hold;
  const spot = spotGroupHold(ctx, group);
  if (spot) return spot;
  if (recommendation.saving === undefined) return 'the current configuration’s cost is unknown';
  const shortfall = savingShortfall(recommendation.saving, ctx.config.pricing);
  if (shortfall) return shortfall;
  const reverted = await revertedChangeHold(ctx, group.name, recommendation.current.instanceTypes);
  if (reverted) return reverted;
  // Last: it lists the workflow's running executions (one ListExecutions per group that would change).
  return runningRolloutHold(ctx, group.name);
}

/**
 * Mixed groups get the new overrides; a single-type group a new launch template version, rolled
 * out by the rolling-update workflow (the change then names the version and the execution). Both
 * are idempotent for a redelivered run (`runTimeMs` the same): the overrides are restated, the
 * version's client token returns the version the first delivery created, and its execution,
 * named after it, is returned while it runs, or reported `already-started` with its status once
 * it has closed, instead of a second one being started. The rollout is recorded (`deps.rollouts`)
 * so that later runs hold the group while it runs.
 * @throws RejectedRequestError when the execution's name is held by another input (nothing started).
 */
async function applyChange(
  { deps, config, runTimeMs }: GroupContext,
  group: GroupSnapshot,
  change: InstanceTypeChange,
): Promise<InstanceTypeChange> {
  const groupName = group.name;
  if (change.kind === 'overrides') {
    const ref = group.mixedInstances as NonNullable<GroupSnapshot['mixedInstances']>;
    // A kept type keeps its own launch template; a new type launches from the one `planChange`
    // gave it (`newTypeLaunchOf`: the group's, or the one every override shares), whose image
    // `recheck` judged. The distribution is restated unchanged.
    const ownTemplate = new Map(ref.overrides.map((o) => [o.instanceType, o.launchTemplate]));
    await deps.applier.setMixedInstanceOverrides(
      groupName,
      { id: ref.launchTemplateId, version: ref.version },
      change.overrides.map((o) => {
        const launchTemplate = ownTemplate.get(o.instanceType);
        return launchTemplate ? { ...o, launchTemplate } : o;
      }),
      ref.instancesDistribution,
    );
    return change;
  }
  const newVersion = await deps.applier.createLaunchTemplateVersion(
    change.launchTemplateId,
    change.sourceVersion,
    change.instanceType,
    `Prescale: ${change.instanceType} for ${groupName}`,
    launchTemplateVersionToken(groupName, change.launchTemplateId, runTimeMs),
  );
  const request = {
    groupName,
    launchTemplateId: change.launchTemplateId,
    launchTemplateVersion: String(newVersion),
    reason: 'instance-type-change',
  } as const;
  // Recorded before the start, kept past the longest wait for a window and the rollout's own
  // refreshes after it: while it runs, the next runs hold the group (`runningRolloutHold`)
  // instead of starting another, even when this run failed between the start and a record after it.
  await deps.rollouts?.recordRollout(
    groupName,
    { executionArn: deps.applier.rolloutExecutionArn(request), runTimeMs, instanceType: change.instanceType },
    runTimeMs + (config.rollingUpdate.maxWaitHours + ROLLOUT_RECORD_MARGIN_HOURS) * HOUR_MS,
  );
  const start = await deps.applier.startRollingUpdate(request);
  if (start.kind === 'conflict') {
    throw new RejectedRequestError(
      'Step Functions',
      'StartExecution',
      `ExecutionAlreadyExists: ${start.executionArn} (${start.existingStatus}) has another input; the rollout was NOT started`,
    );
  }
  return {
    ...change,
    newVersion,
    executionArn: start.executionArn,
    rollout: start.kind,
    ...(start.existingStatus ? { rolloutStatus: start.existingStatus } : {}),
  };
}

/**
 * Records the change just applied (`deps.appliedChanges`), from the types the group ran
 * (`fromTypes`, as the recommendation read them) to the change's, so that a later run can tell
 * the owner's revert of it from a new choice (`revertedChangeHold`). Written after the change:
 * a record of a change never made would read the unchanged group as reverted. A redelivery writes
 * the same record again.
 */
async function recordApplied(
  { deps, runTimeMs }: GroupContext,
  groupName: string,
  fromTypes: readonly string[],
  change: InstanceTypeChange,
): Promise<void> {
  if (!deps.appliedChanges) return;
  const from = { instanceTypes: [...fromTypes] };
  if (change.kind === 'overrides') {
    const to = { instanceTypes: change.overrides.map((o) => o.instanceType) };
    await deps.appliedChanges.recordApplied(groupName, {
      kind: change.kind,
      appliedAtMs: runTimeMs,
      from,
      to,
    });
    return;
  }
  await deps.appliedChanges.recordApplied(groupName, {
    kind: change.kind,
    appliedAtMs: runTimeMs,
    from: { ...from, launchTemplateVersion: change.sourceVersion },
    to: {
      instanceTypes: [change.instanceType],
      ...(change.newVersion !== undefined ? { launchTemplateVersion: change.newVersion } : {}),
    },
    launchTemplateId: change.launchTemplateId,
    ...(change.executionArn !== undefined ? { executionArn: change.executionArn } : {}),
  });
}

const skipped = (groupName: string, reason: string): GroupSelectionResult => ({
  kind: 'skipped',
  groupName,
  reason,
});

/** `results`, each told to the run's `onGroupResult` first. */
function told(input: SelectInstanceTypesInput, results: GroupSelectionResult[]): GroupSelectionResult[] {
  for (const r of results) input.onGroupResult?.(r);
  return results;
}

/** The enrolled groups the run asks for (all when it names none), and those it names but are not. */
async function requestedGroups(deps: SelectInstanceTypesDeps, input: SelectInstanceTypesInput) {
  const { config } = input;
  const enrolled = await deps.groups.describeGroups({
    names: config.groups.names,
    ...(config.groups.tag ? { tag: config.groups.tag } : {}),
  });
  const wanted = input.groupNames ? new Set(input.groupNames) : undefined;
  const groups = wanted ? enrolled.filter((g) => wanted.has(g.name)) : enrolled;
  const missing = wanted ? [...wanted].filter((n) => !groups.some((g) => g.name === n)).sort() : [];
  const skippedMissing = missing.map((n) => skipped(n, 'not an enrolled group (or it does not exist)'));
  return { groups, skippedMissing };
}

/**
 * Finds the cheapest instance types for each enrolled group and, when `pricing.apply` is set (and
 * not `dryRun`), applies them: overrides for mixed-instances groups, a new launch template version
 * rolled out by the rolling-update workflow for single-type groups. A change is never applied while
 * the kill switch is on, nor to a paused or forecast-only group, one with an instance refresh in
 * progress, or one a rolling update runs on, whoever started it. Right before the change the group is read
 * again (`recheck`): one an owner changed since (template, overrides, distribution) or that a hold
 * now keeps gets no change, and every type is checked again for being offered in every zone of
 * the group and launchable from its template and image; the change is built from that read. One
 * group's failure is reported in its result and does not stop the others. A redelivery of the same
 * run (`scheduledTimeMs`) applies the same change at most once (`applyChange`). The run's Spot
 * prices are read once per zone and type for every group (`RunSpotPrices`), and once `hasTime`
 * says no more, the groups left are not started (`selectForGroups`).
 * @throws only when the groups cannot be listed; per-group errors are results.
 */
export async function selectInstanceTypes(
  deps: SelectInstanceTypesDeps,
  input: SelectInstanceTypesInput,
): Promise<SelectInstanceTypesResult> {
  const { config } = input;
  const { groups, skippedMissing } = await requestedGroups(deps, input);
  const { report, list } = await loadPrices(
    deps,
    input.region,
    config.pricing.operatingSystem,
    config.pricing.refreshHours,
  );
  if (report.kind === 'unpriceable') {
    const { reason } = report;
    const results = [...groups.map((g) => skipped(g.name, reason)), ...skippedMissing];
    return { prices: report, groups: told(input, results), notReached: [] };
  }
  if (report.kind !== 'priced' || !list) {
    const error = new PricesUnavailableError(
      'every price source',
      input.region,
      config.pricing.operatingSystem,
    );
    const results = [
      ...groups.map((g): GroupSelectionResult => ({ kind: 'failed', groupName: g.name, error })),
      ...skippedMissing,
    ];
    return { prices: report, groups: told(input, results), notReached: [] };
  }
  const ctx: GroupContext = {
    deps,
    config,
    prices: list,
    priceReport: report,
    catalog: new RunCatalog(deps.instanceCatalog),
    ...(deps.spotPrices
      ? { spotPrices: new RunSpotPrices(deps.spotPrices, config.pricing.operatingSystem) }
      : {}),
    runTimeMs: input.scheduledTimeMs ?? deps.clock.nowMs(),
  };
  const { results, notReached } = await selectForGroups(ctx, groups, input);
  return { prices: report, groups: [...results, ...told(input, skippedMissing)], notReached };
}

/**
 * Each group in turn, its result told to `onGroupResult` as it finishes; once `hasTime` says no more, the
 * groups left are skipped with its reason, not started: the function would time out in one, and
 * its retry start again from the first group, never reaching the last.
 */
async function selectForGroups(
  ctx: GroupContext,
  groups: readonly GroupSnapshot[],
  { hasTime, onGroupResult }: SelectInstanceTypesInput,
): Promise<{ results: GroupSelectionResult[]; notReached: string[] }> {
  const results: GroupSelectionResult[] = [];
  const notReached: string[] = [];
  for (const group of groups) {
    if (hasTime && (notReached.length > 0 || !hasTime.left())) {
      const left = skipped(group.name, hasTime.reason);
      notReached.push(group.name);
      results.push(left);
      onGroupResult?.(left);
      continue;
    }
    const result = await selectForGroup(ctx, group).catch(
      (error: unknown): GroupSelectionResult => ({
        kind: 'failed',
        groupName: group.name,
        error: error instanceof Error ? error : new Error(String(error)),
      }),
    );
    results.push(result);
    onGroupResult?.(result);
  }
  return { results, notReached };
}
