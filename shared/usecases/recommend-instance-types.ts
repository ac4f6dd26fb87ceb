import {
  capacityUnitsOf,
  discountedHourlyPriceUsd,
  filterCandidates,
} from '../core/pricing/filter-candidates';
import { inferArchitecture } from '../core/pricing/infer-architecture';
import {
  firstLaunched,
  inLaunchPriority,
  launchedHourlyCost,
  type OnDemandAllocationStrategy,
  onDemandAllocationStrategy,
  type PricedType,
} from '../core/pricing/launch-priority';
import { localZonePricingReason } from '../core/pricing/local-zone-pricing-reason';
import { monthlySaving } from '../core/pricing/monthly-saving';
import { type OverrideWeighting, overrideWeighting } from '../core/pricing/plan-overrides';
import { requiredCapacityUnits } from '../core/pricing/required-capacity-units';
import { instancesFor, selectSingleTypeOfSize, sizeChangeReason } from '../core/pricing/select-single-type';
import { summarizeSelection } from '../core/pricing/summarize-selection';
import type {
  Candidate,
  InstanceSelection,
  InstanceTypeFacts,
  RejectionReason,
  SelectionRequirements,
} from '../core/pricing/types';
import type { LaunchTemplateFacts } from '../ports/instance-catalog';
import type { DatedPriceList } from '../ports/price-catalog';
import type { GroupSnapshot } from '../ports/scaling-target';

import { attachSpotPrices } from './attach-spot-prices';
import { cheapestWeighableMix } from './cheapest-weighable-mix';
import {
  currentOverridesOf,
  type GroupContext,
  launchRequirementsOption,
  requirementsOf,
} from './instance-type-selection-context';
import type { Recommendation } from './instance-type-selection-types';
import { newTypeLaunchOf } from './new-type-launch-template';
import { peakGroupCapacity } from './peak-group-capacity';

/** A candidate for a type regardless of the filters (to price what the group runs today). */
function pricedType(
  type: string,
  prices: DatedPriceList,
  facts: ReadonlyMap<string, InstanceTypeFacts>,
  requirements: SelectionRequirements,
): Candidate | undefined {
  const f = facts.get(type);
  const price = prices.hourlyPriceUsdByType[type];
  if (!f || price === undefined) return undefined;
  const units = capacityUnitsOf(f, requirements);
  if (units === undefined) return undefined;
  return {
    instanceType: type,
    family: f.family,
    capacityUnits: units,
    hourlyPriceUsd: discountedHourlyPriceUsd(price, f.family, requirements.discountRatesByFamily),
    onDemandHourlyPriceUsd: price,
  };
}

/** What `recommend` found for one group. */
export type Planned =
  | {
      readonly kind: 'recommendation';
      readonly recommendation: Recommendation;
      readonly template: LaunchTemplateFacts;
    }
  | { readonly kind: 'skipped'; readonly reason: string }
  | {
      readonly kind: 'infeasible';
      readonly reason: string;
      readonly rejected?: Readonly<Partial<Record<RejectionReason, number>>>;
    };

/** What a recommendation reports whichever kind of group it is for. */
type RecommendationBase = Pick<
  Recommendation,
  | 'architecture'
  | 'architectureSource'
  | 'requiredCapacityUnits'
  | 'capacitySource'
  | 'candidateCount'
  | 'rejected'
> & { readonly diagnostics: string[] };

/** A candidate as the launch order reads it. */
const pricedTypeOf = (c: Candidate): PricedType => ({
  instanceType: c.instanceType,
  hourlyPriceUsd: c.hourlyPriceUsd,
  onDemandHourlyPriceUsd: c.onDemandHourlyPriceUsd,
  capacityUnitsPerInstance: c.capacityUnits,
});

/** The group's need and what could serve it, gathered before choosing. */
interface Sizing {
  readonly template: LaunchTemplateFacts;
  readonly candidates: readonly Candidate[];
  readonly requiredUnits: number;
  readonly currentTypes: string[];
  /** The current types that could be priced, in `currentTypes` order. */
  readonly currentCandidates: Candidate[];
  /** Capacity units of one instance of each current type, in `currentTypes` order (undefined: unknown). */
  readonly currentCapacityUnits: readonly (number | undefined)[];
  readonly base: RecommendationBase;
}

/** The instance types the group runs today: its overrides, or the template's (else the group's) one. */
function currentInstanceTypes(group: GroupSnapshot, template: LaunchTemplateFacts): string[] {
  const mixed = group.mixedInstances;
  return mixed
    ? mixed.overrides.map((o) => o.instanceType).filter((t): t is string => Boolean(t))
    : [template.instanceType ?? group.instanceTypes[0]].filter((t): t is string => Boolean(t));
}

/** Capacity units the peak needs, from what the current types (at their group weights) provide. */
function requiredUnitsFor(
  peakCapacity: number,
  group: GroupSnapshot,
  currentTypes: readonly string[],
  facts: ReadonlyMap<string, InstanceTypeFacts>,
  requirements: SelectionRequirements,
): number | undefined {
  const weightOf = new Map(
    group.mixedInstances?.overrides.map((o) => [o.instanceType, o.weightedCapacity ?? 1]) ?? [],
  );
  return requiredCapacityUnits(
    peakCapacity,
    currentTypes.map((t) => {
      const f = facts.get(t);
      return {
        groupWeight: weightOf.get(t) ?? 1,
        capacityUnits: f ? capacityUnitsOf(f, requirements) : undefined,
      };
    }),
  );
}

/**
 * The recommendation of `selection`, with the saving of `recommendedCost` (the selection's own
 * cost by default) against today's cost when that is known.
 */
function assembleRecommendation(
  sizing: Sizing,
  groupKind: Recommendation['groupKind'],
  method: Recommendation['method'],
  selection: InstanceSelection,
  currentCost: number | undefined,
  recommendedCost = selection.hourlyCostUsd,
  otherSize?: Recommendation['otherSize'],
): Planned {
  return {
    kind: 'recommendation',
    template: sizing.template,
    recommendation: {
      ...sizing.base,
      groupKind,
      method,
      selection,
      current: {
        instanceTypes: sizing.currentTypes,
        ...(currentCost !== undefined ? { hourlyCostUsd: currentCost } : {}),
      },
      ...(currentCost !== undefined ? { saving: monthlySaving(currentCost, recommendedCost) } : {}),
      ...(otherSize ? { otherSize } : {}),
    },
  };
}

/**
 * A single-type group: the type of its current size with the lowest cost for the need, against the
 * current type; a cheaper type of another size is reported beside it (`otherSize`), not chosen.
 */
function recommendSingleType(sizing: Sizing, capacityUnit: SelectionRequirements['capacityUnit']): Planned {
  const { candidates, requiredUnits, currentTypes, currentCandidates, base } = sizing;
  const currentType = currentTypes[0] ?? '';
  const currentUnits = sizing.currentCapacityUnits[0];
  if (currentUnits === undefined)
    return { kind: 'infeasible', reason: `the size of the current type ${currentType} is unknown` };
  const choice = selectSingleTypeOfSize(candidates, requiredUnits, currentUnits);
  if (choice.kind === 'infeasible')
    return { kind: 'infeasible', reason: choice.reason, rejected: base.rejected };
  const current = currentCandidates[0];
  const currentCost = current
    ? summarizeSelection([
        { candidate: current, instanceCount: instancesFor(requiredUnits, current.capacityUnits) },
      ]).hourlyCostUsd
    : undefined;
  if (currentCost === undefined) base.diagnostics.push(`no price for the current type ${currentType}`);
  const other = choice.otherSize?.items[0];
  const otherSize =
    choice.otherSize && other
      ? {
          selection: choice.otherSize,
          ...(currentCost !== undefined
            ? { saving: monthlySaving(currentCost, choice.otherSize.hourlyCostUsd) }
            : {}),
          reason: sizeChangeReason(
            { instanceType: currentType, capacityUnits: currentUnits },
            { instanceType: other.instanceType, capacityUnits: other.capacityUnitsPerInstance },
            capacityUnit,
          ),
        }
      : undefined;
  return assembleRecommendation(
    sizing,
    'single-type',
    'lowest-unit-cost',
    choice.selection,
    currentCost,
    choice.selection.hourlyCostUsd,
    otherSize,
  );
}

/**
 * A mixed-instances group: the cheapest mix of `diversifyAcross` types the group's weights can
 * take (the fallbacks, and the cost when every type is needed), its saving priced as Auto Scaling
 * launches: the requirement on the type the group launches first (`strategy`) today and with the
 * mix (under `prioritized` its cheapest type per unit, which Prescale lists first; under
 * `lowest-price` its lowest list price per unit), at discounted prices. A cheaper mix with types
 * the weights cannot take is reported beside it (`otherSize`), not chosen.
 */
async function recommendMix(
  ctx: GroupContext,
  sizing: Sizing,
  strategy: OnDemandAllocationStrategy,
  weighting: OverrideWeighting,
): Promise<Planned> {
  const { requiredUnits, currentTypes, currentCandidates, base } = sizing;
  const { diagnostics, rejected } = base;
  const { mix, other } = await cheapestWeighableMix(ctx, sizing, strategy, weighting);
  if (!mix) return { kind: 'infeasible', reason: 'no instance type meets the requirements', rejected };
  const [listedFirst] = inLaunchPriority(mix.selection.items);
  const launchedFirst = firstLaunched(mix.selection.items, strategy);
  if (strategy === 'lowest-price' && launchedFirst !== listedFirst)
    diagnostics.push(
      `lowest-price launches ${launchedFirst?.instanceType} first by its On-Demand list price, not the discounted ${listedFirst?.instanceType}; OnDemandAllocationStrategy prioritized would launch the latter`,
    );
  let currentCost: number | undefined;
  const launchedToday = firstLaunched(currentCandidates.map(pricedTypeOf), strategy);
  if (currentCandidates.length === currentTypes.length && launchedToday)
    currentCost = launchedHourlyCost(launchedToday, requiredUnits);
  else diagnostics.push('some current types have no price; saving not computed');
  const otherSize = other && {
    selection: other.selection,
    ...(currentCost !== undefined ? { saving: monthlySaving(currentCost, other.launchedCostUsd) } : {}),
    reason: other.reason,
  };
  return assembleRecommendation(
    sizing,
    'mixed-instances',
    mix.method,
    mix.selection,
    currentCost,
    mix.launchedCostUsd,
    otherSize,
  );
}

/**
 * The cheapest configuration for `group` at its forecast peak (or its desired capacity), with
 * what it runs today priced the same way for the saving; or why there is none.
 */
export async function recommend(ctx: GroupContext, group: GroupSnapshot): Promise<Planned> {
  const { deps, config, prices } = ctx;
  const requirements = requirementsOf(config);
  const diagnostics: string[] = [];
  // Recommend-only runs too: the costs below are the region's, not the Local Zone's.
  const localZone = localZonePricingReason(group.availabilityZones);
  if (localZone) diagnostics.push(localZone);
  const basis = await groupBasis(ctx, group);
  if (basis.kind !== 'known') return basis;
  const { facts, offered, template, currentTypes, launchingTypes, arch } = basis;

  const { candidates: filtered, rejected } = filterCandidates({
    facts: [...facts.values()],
    onDemandHourlyUsd: prices.hourlyPriceUsdByType,
    offeredInEveryZone: offered,
    architecture: arch.architecture,
    ...launchRequirementsOption(template, launchingTypes, facts),
    requirements,
    currentTypes: currentTypes.flatMap((t) => facts.get(t) ?? []),
  });
  const candidates = await attachSpotPrices(ctx, filtered, group.availabilityZones, diagnostics);

  const peak = await peakGroupCapacity(deps, group, deps.clock.nowMs(), diagnostics);
  const requiredUnits = requiredUnitsFor(peak.capacity, group, currentTypes, facts, requirements);
  if (requiredUnits === undefined) {
    return {
      kind: 'infeasible',
      reason: `the capacity of the current types (${currentTypes.join(', ')}) in ${requirements.capacityUnit} is unknown`,
    };
  }

  const currentCandidates = currentTypes
    .map((t) => pricedType(t, prices, facts, requirements))
    .filter((c): c is Candidate => c !== undefined);
  const sizing: Sizing = {
    template,
    candidates,
    requiredUnits,
    currentTypes,
    currentCandidates,
    currentCapacityUnits: currentTypes.map((t) => {
      const f = facts.get(t);
      return f ? capacityUnitsOf(f, requirements) : undefined;
    }),
    base: {
      architecture: arch.architecture,
      architectureSource: arch.source,
      requiredCapacityUnits: requiredUnits,
      capacitySource: peak.source,
      candidateCount: candidates.length,
      rejected,
      diagnostics,
    },
  };
  if (!group.mixedInstances) return recommendSingleType(sizing, requirements.capacityUnit);
  return recommendMix(
    ctx,
    sizing,
    onDemandAllocationStrategy(group.mixedInstances.instancesDistribution),
    overrideWeighting(currentOverridesOf(group, facts, requirements)),
  );
}

/**
 * What a recommendation starts from: the catalogue, the template new types would launch from
 * (`newTypeLaunchOf`: the group's own, or the one template every override has of its own), the
 * group's current types, those launching from that template and its image's architecture; or why
 * the group is skipped or cannot be sized.
 */
async function groupBasis(ctx: GroupContext, group: GroupSnapshot) {
  if (group.mixedInstances?.usesAttributeBasedSelection) {
    return { kind: 'skipped', reason: 'the group uses attribute-based instance type selection' } as const;
  }
  const launch = newTypeLaunchOf(group);
  if (launch.kind === 'none') return { kind: 'skipped', reason: 'the group has no launch template' } as const;
  if (launch.kind === 'unknown') return { kind: 'infeasible', reason: launch.reason } as const;
  const templateRef = launch.template;

  const [facts, offered, template] = await Promise.all([
    ctx.catalog.factsByType(),
    ctx.catalog.offeredInEveryZone(group.availabilityZones),
    ctx.deps.instanceCatalog.launchTemplate(templateRef.id, templateRef.version),
  ]);
  const currentTypes = currentInstanceTypes(group, template);
  if (currentTypes.length === 0)
    return { kind: 'skipped', reason: 'the group’s current instance type is unknown' } as const;

  // What the image of the template new types launch from is known to boot: the types launching from it.
  const launchingTypes = launch.launchingTypes ?? currentTypes;
  const arch = inferArchitecture(template.imageArchitecture, launchingTypes, facts);
  if (arch.kind === 'unknown') return { kind: 'infeasible', reason: arch.reason } as const;
  return { kind: 'known', facts, offered, template, currentTypes, launchingTypes, arch } as const;
}
