import { checkApplicable } from '../core/pricing/check-applicable';
import { capacityUnitsOf } from '../core/pricing/filter-candidates';
import { inferArchitecture } from '../core/pricing/infer-architecture';
import { firstLaunched, inLaunchPriority, onDemandAllocationStrategy } from '../core/pricing/launch-priority';
import { planOverrides } from '../core/pricing/plan-overrides';
import { sameCapacityUnits, sizeChangeReason } from '../core/pricing/select-single-type';
import type { InstanceTypeFacts } from '../core/pricing/types';
import type { InstanceTypeOverride, LaunchTemplateFacts } from '../ports/instance-catalog';
import type { GroupSnapshot } from '../ports/scaling-target';
import { groupChangesSinceRead } from './group-changes-since-read';
import { launchTemplateOf } from './group-launch-template';
import { billingPlatformMismatch } from './image-billing-platform';
import { failedRolloutHold, groupHold, runningRolloutHold, spotGroupHold } from './instance-type-apply-hold';
import {
  currentOverridesOf,
  type GroupContext,
  launchRequirementsOption,
  requirementsOf,
} from './instance-type-selection-context';
import type { InstanceTypeChange, Recommendation } from './instance-type-selection-types';
import { type NewTypeLaunch, newTypeLaunchOf } from './new-type-launch-template';
import { waitedOnInstancesRefusal } from './update-hold';

/** Whether two type lists hold the same types, in any order. */
function sameTypes(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((t) => sb.has(t));
}

/**
 * Whether the group already runs the recommended types and, a mixed group, already launches first
 * (`firstLaunched` by its allocation strategy) the one it would launch first from the overrides
 * Prescale would write (`inLaunchPriority`): under `lowest-price`, whatever their order.
 */
export function runsTheSelection(group: GroupSnapshot, recommendation: Recommendation): boolean {
  const { items } = recommendation.selection;
  const current = recommendation.current.instanceTypes;
  const chosen = items.map((i) => i.instanceType);
  if (!sameTypes(chosen, current)) return false;
  if (recommendation.groupKind !== 'mixed-instances') return true;
  // The same types: the selection's items in the group's own order.
  const inGroupOrder = current.flatMap((t) => items.filter((i) => i.instanceType === t));
  const strategy = onDemandAllocationStrategy(group.mixedInstances?.instancesDistribution);
  const launchedAfter = firstLaunched(inLaunchPriority(items), strategy);
  return firstLaunched(inGroupOrder, strategy)?.instanceType === launchedAfter?.instanceType;
}

/** The change to make, or why none may be made. */
export function planChange(
  ctx: GroupContext,
  group: GroupSnapshot,
  recommendation: Recommendation,
  template: LaunchTemplateFacts,
  facts: ReadonlyMap<string, InstanceTypeFacts>,
): { kind: 'change'; change: InstanceTypeChange } | { kind: 'blocked'; reason: string } {
  const types = recommendation.selection.items.map((i) => i.instanceType);
  // Priced On-Demand in shared tenancy and checked per type for what `checkApplicable` knows only.
  if (template.typeBoundSettings?.length)
    return {
      kind: 'blocked',
      reason: `its launch template sets ${template.typeBoundSettings.join(', ')}: the selection prices On-Demand instances in shared tenancy and does not check these per type, so it recommends only; change the type yourself`,
    };
  const burstable = burstableSelectionReason(types, facts);
  if (burstable) return { kind: 'blocked', reason: burstable };
  if (recommendation.groupKind === 'mixed-instances') {
    const requirements = requirementsOf(ctx.config);
    const plan = planOverrides({
      current: currentOverridesOf(group, facts, requirements),
      selected: inLaunchPriority(recommendation.selection.items).map((i) => ({
        instanceType: i.instanceType,
        capacityUnits: i.capacityUnitsPerInstance,
      })),
    });
    if (plan.kind === 'incompatible') return { kind: 'blocked', reason: plan.reason };
    return {
      kind: 'change',
      change: { kind: 'overrides', overrides: withLaunchTemplates(group, plan.overrides) },
    };
  }
  const blocked = singleTypeBlocker(ctx, group);
  if (blocked) return { kind: 'blocked', reason: blocked };
  const instanceType = types[0];
  if (!instanceType) return { kind: 'blocked', reason: 'the recommendation is empty' };
  const resized = sizeChange(ctx, recommendation, facts);
  if (resized) return { kind: 'blocked', reason: resized };
  return {
    kind: 'change',
    change: {
      kind: 'launch-template-version',
      launchTemplateId: template.launchTemplateId,
      sourceVersion: template.versionNumber,
      instanceType,
    },
  };
}

/**
 * Why a selection with burstable (T) types, which `pricing.allowBurstable` lets in, is only
 * recommended. Capacity counts a type's vCPUs, but a T type sustains only a baseline share of them:
 * above it, unlimited mode (the default of T3, T3a and T4g) is charged for surplus CPU credits and
 * standard mode (T2's default) throttles to the baseline. DescribeInstanceTypes reports no
 * baseline (only `BurstablePerformanceSupported`), and the template's `CreditSpecification` and the
 * group's load decide the rest, so the price compared is not what such a type costs under load.
 */
function burstableSelectionReason(
  types: readonly string[],
  facts: ReadonlyMap<string, InstanceTypeFacts>,
): string | undefined {
  const burstable = types.filter((t) => facts.get(t)?.burstable);
  if (burstable.length === 0) return undefined;
  return `the selection includes burstable types (${burstable.join(', ')}): they are compared by all their vCPUs, but a T type sustains only a baseline share of them, and above it pays for surplus CPU credits (unlimited mode, the default of T3, T3a and T4g) or is throttled (standard mode); the price compares neither, so it recommends only: change the type yourself after checking its baseline against your load`;
}

/**
 * `overrides` with the launch templates they launch from when not the group's: a kept type keeps
 * its own (the write replaces the whole policy), a new type gets the one template every current
 * override has of its own when they share one (`newTypeLaunchOf`: the image judged for it), and
 * otherwise none, so it launches from the group's.
 */
function withLaunchTemplates(
  group: GroupSnapshot,
  overrides: readonly InstanceTypeOverride[],
): InstanceTypeOverride[] {
  const launch = newTypeLaunchOf(group);
  const forNew = launch.kind === 'known' ? launch.overrideTemplate : undefined;
  const own = new Map((group.mixedInstances?.overrides ?? []).map((o) => [o.instanceType, o.launchTemplate]));
  return overrides.map((o) => {
    const launchTemplate = own.has(o.instanceType) ? own.get(o.instanceType) : forNew;
    return launchTemplate
      ? { ...o, launchTemplate: { id: launchTemplate.id, version: launchTemplate.version } }
      : o;
  });
}

/**
 * Why a single-type group's new type cannot go out through the rolling-update workflow, if it
 * cannot: none deployed, one that would refuse it (not started automatically, or instances its
 * refresh would wait on, `waitedOnInstancesRefusal`), a group that would launch it at once
 * ($Latest), or one the rollout would pin to a version number ($Default).
 */
function singleTypeBlocker(ctx: GroupContext, group: GroupSnapshot): string | undefined {
  if (!ctx.deps.applier.rollingUpdateAvailable)
    return 'no rolling-update workflow is deployed to roll out a new instance type';
  // The workflow refuses an instance-type change it may not start: a version made for it would
  // stand unused, one more each day, and the day's result would say applied.
  if (!ctx.config.rollingUpdate.autoStartOnInstanceTypeChange)
    return 'a single-type group changes type through a rolling update, and rollingUpdate.autoStartOnInstanceTypeChange is false: set it for Prescale to roll the type out';
  // $Latest launches a new version the moment it exists: outside the workflow's window, alarms and rollback.
  if (group.launchTemplate?.version === '$Latest')
    return "the group launches its template's $Latest version, so a new version would change its launches at once, outside the rolling update: point the group at a version number for Prescale to roll a type out";
  // A successful refresh gives the group its desired configuration: the new version's number.
  if (group.launchTemplate?.version === '$Default')
    return "the group launches its template's $Default version, and the rolling update would leave it on the new version's number (Auto Scaling gives the group a refresh's desired configuration), so your later $Default releases would no longer reach it: point the group at a version number for Prescale to roll a type out";
  return waitedOnRefusal(ctx, group);
}

/**
 * Why the workflow's validation would refuse the rollout of a single-type group's new type, if it
 * would: instances in Standby or protected under `Wait` (`waitedOnInstancesRefusal`). Started
 * anyway, each day's run made a launch template version and a workflow that refused it ("Request
 * rejected", the RollingUpdateFailed alarm), with no backoff for a refusal not against the type
 * (until 2026-12-07).
 */
function waitedOnRefusal(ctx: GroupContext, group: GroupSnapshot): string | undefined {
  const waitedOn = waitedOnInstancesRefusal(ctx.config, group);
  return waitedOn && `the rolling update would refuse the new type: ${waitedOn}`;
}

/**
 * Why a single-type group may not take the recommended type: another size than its current type's
 * (its DesiredCapacity counts instances, so the same count would be another capacity), or a size
 * that cannot be told.
 */
function sizeChange(
  ctx: GroupContext,
  recommendation: Recommendation,
  facts: ReadonlyMap<string, InstanceTypeFacts>,
): string | undefined {
  const requirements = requirementsOf(ctx.config);
  const [item] = recommendation.selection.items;
  const currentType = recommendation.current.instanceTypes[0];
  const currentFacts = currentType === undefined ? undefined : facts.get(currentType);
  const currentUnits = currentFacts && capacityUnitsOf(currentFacts, requirements);
  if (!item || currentType === undefined || currentUnits === undefined)
    return 'the size of the group’s current type is unknown';
  if (sameCapacityUnits(item.capacityUnitsPerInstance, currentUnits)) return undefined;
  return sizeChangeReason(
    { instanceType: currentType, capacityUnits: currentUnits },
    { instanceType: item.instanceType, capacityUnits: item.capacityUnitsPerInstance },
    requirements.capacityUnit,
  );
}

/** The group as read again right before a change, or why no change may be made. */
export type Recheck =
  | { readonly kind: 'fresh'; readonly group: GroupSnapshot }
  | { readonly kind: 'unsafe'; readonly reason: string };

/**
 * Reads the group again right before a change and checks what the change is built on: first the
 * holds that take many reads (`slowHolds`: a running rollout, a failed one of the same type,
 * another group on the template's `$Latest`); then the group as the selection read it (`group`,
 * with its launch template `template`) must be the group as it is (`groupChangesSinceRead`, and
 * the same template version number), and the loop's holds must still let it change (`groupHold`:
 * a pause or forecast-only mode set meanwhile; `spotGroupHold` on its MaxSize now), and a
 * single-type group's rollout must not be one the workflow refuses (`waitedOnInstancesRefusal`:
 * an instance put in Standby or protected meanwhile).
 * Then its zones' offerings and its image, for every type about to be applied (`checkApplicable`).
 * The change is to be built from the fresh group returned.
 */
export async function recheck(
  ctx: GroupContext,
  group: GroupSnapshot,
  template: LaunchTemplateFacts,
  instanceTypes: readonly string[],
  facts: ReadonlyMap<string, InstanceTypeFacts>,
): Promise<Recheck> {
  const { deps } = ctx;
  const unsafe = (reason: string): Recheck => ({ kind: 'unsafe', reason });
  // The slow reads first (every ListExecutions page, throttled at 2/s), so the group read below is
  // the one the change is written on, seconds before it.
  const before = await slowHolds(ctx, group, template, instanceTypes);
  if (before) return unsafe(before);
  const [fresh] = (await deps.groups.describeGroups({ names: [group.name] })).filter(
    (g) => g.name === group.name,
  );
  if (!fresh) return unsafe('the group no longer exists');
  if (fresh.instanceRefreshInProgress) return unsafe('an instance refresh is in progress');
  const changes = groupChangesSinceRead(group, fresh);
  // The template new types would launch from now: the group's, or the one its overrides share.
  const launch = newTypeLaunchOf(fresh);
  if (launch.kind === 'none') return unsafe('the group no longer has a launch template');
  if (launch.kind === 'unknown' && changes.length === 0) return unsafe(launch.reason);
  const ref = launch.kind === 'known' ? launch.template : launchTemplateOf(fresh);
  if (!ref) return unsafe('the group no longer has a launch template');
  const [offered, freshTemplate] = await Promise.all([
    deps.instanceCatalog.typesOfferedInEveryZone(fresh.availabilityZones),
    deps.instanceCatalog.launchTemplate(ref.id, ref.version),
  ]);
  // A single-type group's new version is made from the number read first: $Default may have moved.
  if (!fresh.mixedInstances && freshTemplate.versionNumber !== template.versionNumber)
    changes.push(
      `its launch template version is now ${freshTemplate.versionNumber}, was ${template.versionNumber}`,
    );
  if (changes.length > 0)
    return unsafe(
      `the group changed since it was read (${changes.join('; ')}); a change built on that read would undo it, so the next run prices the group as it is`,
    );
  // A template changed under a $Latest/$Default reference may launch another image now.
  const billing = billingPlatformMismatch(freshTemplate, ctx.config.pricing.operatingSystem);
  if (billing) return unsafe(billing);
  const hold = (await groupHold(ctx, fresh)) ?? spotGroupHold(ctx, fresh);
  if (hold) return unsafe(hold);
  // An instance put in Standby (or protected) since the first read: the rollout would be refused.
  const waitedOn = fresh.mixedInstances ? undefined : waitedOnRefusal(ctx, fresh);
  if (waitedOn) return unsafe(waitedOn);
  const why = inapplicable(fresh, launch, freshTemplate, offered, instanceTypes, facts);
  return why ? unsafe(why) : { kind: 'fresh', group: fresh };
}

/**
 * The holds `recheck` reads before the group: a rolling update of it running (`runningRolloutHold`),
 * and for a single-type group a failed rollout of the same type (`failedRolloutHold`) and another
 * group launching its template's `$Latest` (`newVersionReachesOthers`; a template changed since
 * the first read is caught by the read after).
 */
async function slowHolds(
  ctx: GroupContext,
  group: GroupSnapshot,
  template: LaunchTemplateFacts,
  instanceTypes: readonly string[],
): Promise<string | undefined> {
  const running = await runningRolloutHold(ctx, group.name);
  const [newType] = instanceTypes;
  if (running || group.mixedInstances || newType === undefined) return running;
  return (
    (await failedRolloutHold(ctx, group.name, newType)) ??
    (await newVersionReachesOthers(ctx, group, template))
  );
}

/**
 * Why a new version of a single-type group's launch template would reach more than the group, if
 * it would: it becomes the template's `$Latest`, so another group launching `$Latest` would launch
 * it at once (this group's type with this version's image, outside any rollout). Groups only:
 * other launchers of `$Latest` (EC2 Fleet, RunInstances) are not visible here, and a version made
 * from one older than the latest takes `$Latest` over newer work (docs/pricing.md).
 */
async function newVersionReachesOthers(
  ctx: GroupContext,
  group: GroupSnapshot,
  template: LaunchTemplateFacts,
): Promise<string | undefined> {
  const id = template.launchTemplateId;
  const launches = await ctx.deps.groups.groupsLaunching(id);
  const others = [
    ...new Set(
      launches.filter((l) => l.groupName !== group.name && l.version === '$Latest').map((l) => l.groupName),
    ),
  ].sort();
  if (others.length > 0)
    return `${id} is also launched at $Latest by ${others.join(', ')}: a new version would change their launches at once, outside any rolling update, so Prescale makes none; point them at a version number, or give ${group.name} a template of its own`;
  return undefined;
}

/**
 * Why a type about to be applied cannot serve the group as re-read (`checkApplicable`) from
 * `template`, the one new types launch from (`launch`), if so.
 */
function inapplicable(
  fresh: GroupSnapshot,
  launch: NewTypeLaunch,
  template: LaunchTemplateFacts,
  offered: ReadonlySet<string>,
  instanceTypes: readonly string[],
  facts: ReadonlyMap<string, InstanceTypeFacts>,
): string | undefined {
  // A template changed under a $Latest/$Default reference since the first read (`planChange`).
  if (template.typeBoundSettings?.length)
    return `its launch template now sets ${template.typeBoundSettings.join(', ')}: the selection recommends only`;
  if (launch.kind === 'unknown') return launch.reason;
  // What the image of the template new types launch from boots today: the types launching from it.
  const currentTypes =
    launch.kind === 'known' && launch.launchingTypes
      ? launch.launchingTypes
      : [template.instanceType].filter((t): t is string => Boolean(t));
  const arch = inferArchitecture(template.imageArchitecture, currentTypes, facts);
  if (arch.kind === 'unknown') return arch.reason;
  const check = checkApplicable({
    instanceTypes,
    zones: fresh.availabilityZones,
    offeredInEveryZone: offered,
    architecture: arch.architecture,
    facts,
    ...launchRequirementsOption(template, currentTypes, facts),
  });
  return check.kind === 'unsafe' ? check.reasons.join('; ') : undefined;
}
