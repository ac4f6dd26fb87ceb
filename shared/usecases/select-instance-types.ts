import { GROUP_TAGS } from '../contracts/env';
import type { UserConfig } from '../contracts/user-config';
import { buildMixModel } from '../core/pricing/build-mix-model';
import { checkApplicable } from '../core/pricing/check-applicable';
import {
  capacityUnitsOf,
  discountedHourlyPriceUsd,
  filterCandidates,
} from '../core/pricing/filter-candidates';
import { greedyMix } from '../core/pricing/greedy-mix';
import { inferArchitecture } from '../core/pricing/infer-architecture';
import { type MonthlySaving, monthlySaving } from '../core/pricing/monthly-saving';
import { planOverrides } from '../core/pricing/plan-overrides';
import { readMixSolution } from '../core/pricing/read-mix-solution';
import { requiredCapacityUnits } from '../core/pricing/required-capacity-units';
import { instancesFor, selectSingleType } from '../core/pricing/select-single-type';
import { summarizeSelection } from '../core/pricing/summarize-selection';
import type {
  Candidate,
  CpuArchitecture,
  InstanceSelection,
  InstanceTypeFacts,
  RejectionReason,
  SelectionRequirements,
} from '../core/pricing/types';
import type { Clock } from '../ports/clock';
import type {
  InstanceCatalog,
  InstanceTypeApplier,
  InstanceTypeOverride,
  LaunchTemplateFacts,
} from '../ports/instance-catalog';
import type { MixSolver } from '../ports/mix-solver';
import type {
  DatedPriceList,
  PriceCache,
  PriceCatalog,
  PricedOperatingSystem,
  SpotPriceCatalog,
} from '../ports/price-catalog';
import { PricesUnavailableError } from '../ports/price-catalog';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { StateStore } from '../ports/state-store';

/** What the selection needs; every AWS dependency is a port. */
export interface SelectInstanceTypesDeps {
  readonly groups: Pick<ScalingTarget, 'describeGroups'>;
  readonly instanceCatalog: InstanceCatalog;
  /** The live price source (the Pricing API). */
  readonly pricingApi: PriceCatalog;
  readonly priceCache: PriceCache;
  /** The last fallback, shipped in the build; `asOfMs` dates its prices. */
  readonly staticPrices: PriceCatalog & { readonly asOfMs: number };
  /** Spot prices, used when `pricing.includeSpot` is set. */
  readonly spotPrices?: SpotPriceCatalog;
  readonly solver: MixSolver;
  readonly applier: InstanceTypeApplier;
  readonly clock: Clock;
  /**
   * Run records (for the forecast peak) and group locks. Without it the requirement is the group's
   * desired capacity and locks are not checked.
   */
  readonly stateStore?: Pick<StateStore, 'recentRunRecords' | 'getLock'>;
}

export interface SelectInstanceTypesInput {
  readonly config: UserConfig;
  /** The region the groups are in (prices are for this region). */
  readonly region: string;
  /** Only these enrolled groups; all enrolled groups when absent. */
  readonly groupNames?: readonly string[];
}

/** Where this run's prices came from. */
export type PriceSource = 'pricing-api' | 'cache' | 'static-file';

export type PriceReport =
  | {
      readonly kind: 'priced';
      readonly source: PriceSource;
      /** When the prices were fetched (for the static file: the date of its prices). */
      readonly fetchedAtMs: number;
      /** True when older than `pricing.refreshHours` (a fallback after a failed refresh). */
      readonly stale: boolean;
      readonly typeCount: number;
      readonly skippedEntries: number;
      /** Why a fresher source was not used. */
      readonly problems: readonly string[];
    }
  | { readonly kind: 'unavailable'; readonly problems: readonly string[] };

/** The cheapest configuration found for one group, compared with what it runs today. */
export interface Recommendation {
  readonly groupKind: 'single-type' | 'mixed-instances';
  readonly architecture: CpuArchitecture;
  readonly architectureSource: 'image' | 'current-instance-types';
  /** Capacity at the forecast peak in the configured unit (vCPUs by default). */
  readonly requiredCapacityUnits: number;
  readonly capacitySource: 'forecast' | 'desired-capacity';
  readonly method: 'lowest-unit-cost' | 'integer-program' | 'greedy-fallback';
  readonly selection: InstanceSelection;
  readonly current: { readonly instanceTypes: readonly string[]; readonly hourlyCostUsd?: number };
  /** Against the current configuration serving the same peak; absent when its cost is unknown. */
  readonly saving?: MonthlySaving;
  readonly candidateCount: number;
  readonly rejected: Readonly<Partial<Record<RejectionReason, number>>>;
  readonly diagnostics: readonly string[];
}

/** A change made (or, in a dry run, that would be made). */
export type InstanceTypeChange =
  | { readonly kind: 'overrides'; readonly overrides: readonly InstanceTypeOverride[] }
  | {
      readonly kind: 'launch-template-version';
      readonly launchTemplateId: string;
      readonly sourceVersion: number;
      readonly instanceType: string;
      readonly newVersion?: number;
      readonly executionArn?: string;
    };

/** One group's outcome. */
export type GroupSelectionResult =
  | {
      readonly kind: 'applied' | 'dry-run';
      readonly groupName: string;
      readonly recommendation: Recommendation;
      readonly change: InstanceTypeChange;
    }
  | {
      readonly kind: 'recommended' | 'unchanged';
      readonly groupName: string;
      readonly recommendation: Recommendation;
      readonly reason: string;
    }
  | { readonly kind: 'skipped'; readonly groupName: string; readonly reason: string }
  | {
      readonly kind: 'infeasible';
      readonly groupName: string;
      readonly reason: string;
      readonly rejected?: Readonly<Partial<Record<RejectionReason, number>>>;
    }
  | { readonly kind: 'failed'; readonly groupName: string; readonly error: Error };

export interface SelectInstanceTypesResult {
  readonly prices: PriceReport;
  readonly groups: readonly GroupSelectionResult[];
}

const HOUR_MS = 3_600_000;
/** Cached lists outlive their refresh interval so they can stand in when the Pricing API fails. */
const CACHE_RETENTION_MS = 30 * 24 * HOUR_MS;
const RECORD_LOOKBACK_MS = 24 * HOUR_MS;
const SOLVER_TIME_LIMIT_SECONDS = 10;

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Prices for the run: the cache while fresh; else the Pricing API (and the cache is refreshed);
 * if that fails, the cached list however old, then the static file.
 */
async function loadPrices(
  deps: SelectInstanceTypesDeps,
  region: string,
  operatingSystem: PricedOperatingSystem,
  refreshHours: number,
): Promise<{ report: PriceReport; list?: DatedPriceList }> {
  const nowMs = deps.clock.nowMs();
  const problems: string[] = [];
  let cached: DatedPriceList | undefined;
  try {
    cached = await deps.priceCache.get(region, operatingSystem);
  } catch (error) {
    problems.push(`price cache unreadable: ${describeError(error)}`);
  }
  const isStale = (list: DatedPriceList) => nowMs - list.fetchedAtMs > refreshHours * HOUR_MS;
  const priced = (source: PriceSource, list: DatedPriceList) => ({
    report: {
      kind: 'priced' as const,
      source,
      fetchedAtMs: list.fetchedAtMs,
      stale: isStale(list),
      typeCount: Object.keys(list.hourlyPriceUsdByType).length,
      skippedEntries: list.skippedEntries,
      problems,
    },
    list,
  });
  if (cached && !isStale(cached)) return priced('cache', cached);
  try {
    const fresh = { ...(await deps.pricingApi.onDemandPrices(region, operatingSystem)), fetchedAtMs: nowMs };
    try {
      await deps.priceCache.put(fresh, nowMs + Math.max(CACHE_RETENTION_MS, 2 * refreshHours * HOUR_MS));
    } catch (error) {
      problems.push(`price cache not updated: ${describeError(error)}`);
    }
    return priced('pricing-api', fresh);
  } catch (error) {
    problems.push(`Pricing API failed: ${describeError(error)}`);
  }
  if (cached) return priced('cache', cached);
  try {
    const file = await deps.staticPrices.onDemandPrices(region, operatingSystem);
    return priced('static-file', { ...file, fetchedAtMs: deps.staticPrices.asOfMs });
  } catch (error) {
    problems.push(`static price file: ${describeError(error)}`);
  }
  return { report: { kind: 'unavailable', problems } };
}

/** Per-run memo of catalog reads shared by every group. */
class RunCatalog {
  private facts?: Promise<Map<string, InstanceTypeFacts>>;
  private readonly offerings = new Map<string, Promise<ReadonlySet<string>>>();

  constructor(private readonly catalog: InstanceCatalog) {}

  factsByType(): Promise<Map<string, InstanceTypeFacts>> {
    this.facts ??= this.catalog.instanceTypes().then((all) => new Map(all.map((f) => [f.instanceType, f])));
    return this.facts;
  }

  offeredInEveryZone(zones: readonly string[]): Promise<ReadonlySet<string>> {
    const key = [...zones].sort().join(',');
    let found = this.offerings.get(key);
    if (!found) {
      found = this.catalog.typesOfferedInEveryZone(zones);
      this.offerings.set(key, found);
    }
    return found;
  }
}

interface GroupContext {
  readonly deps: SelectInstanceTypesDeps;
  readonly config: UserConfig;
  readonly prices: DatedPriceList;
  readonly catalog: RunCatalog;
}

/** The cheapest mix of `candidates`: the integer program, or the greedy mix when the solver fails. */
async function cheapestMix(
  solver: MixSolver,
  candidates: readonly Candidate[],
  requiredUnits: number,
  diversifyAcross: number,
  diagnostics: string[],
): Promise<{ selection: InstanceSelection; method: 'integer-program' | 'greedy-fallback' } | undefined> {
  const built = buildMixModel(candidates, { requiredCapacityUnits: requiredUnits, diversifyAcross });
  if (built.kind === 'infeasible') {
    diagnostics.push(built.reason);
    return undefined;
  }
  try {
    const choice = readMixSolution(
      built.model,
      await solver.solve(built.model.lp, { timeLimitSeconds: SOLVER_TIME_LIMIT_SECONDS }),
    );
    if (choice.kind === 'selected') {
      if (!choice.provedOptimal) diagnostics.push('solver stopped before proving optimality');
      return { selection: choice.selection, method: 'integer-program' };
    }
    diagnostics.push(`solver: ${choice.reason}`);
  } catch (error) {
    diagnostics.push(`solver unavailable: ${describeError(error)}`);
  }
  const fallback = greedyMix(candidates, requiredUnits, diversifyAcross);
  return fallback ? { selection: fallback, method: 'greedy-fallback' } : undefined;
}

/** The forecast peak (latest run's planned capacity) or the desired capacity, in the group's unit. */
async function peakGroupCapacity(
  deps: SelectInstanceTypesDeps,
  group: GroupSnapshot,
  nowMs: number,
  diagnostics: string[],
): Promise<{ capacity: number; source: 'forecast' | 'desired-capacity' }> {
  if (deps.stateStore) {
    try {
      const records = await deps.stateStore.recentRunRecords(group.name, nowMs - RECORD_LOOKBACK_MS);
      const latest = records.at(-1);
      const peak = latest ? Math.max(...latest.plannedCapacity.filter(Number.isFinite)) : Number.NaN;
      if (Number.isFinite(peak) && peak > 0) return { capacity: peak, source: 'forecast' };
    } catch (error) {
      diagnostics.push(`run records unreadable: ${describeError(error)}`);
    }
  }
  return { capacity: Math.max(group.desiredCapacity, group.minSize, 1), source: 'desired-capacity' };
}

function requirementsOf(config: UserConfig): SelectionRequirements {
  return config.pricing;
}

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

async function attachSpotPrices(
  ctx: GroupContext,
  candidates: readonly Candidate[],
  zones: readonly string[],
  diagnostics: string[],
): Promise<readonly Candidate[]> {
  const { deps, config } = ctx;
  if (!config.pricing.includeSpot || candidates.length === 0) return candidates;
  if (!deps.spotPrices || config.pricing.operatingSystem !== 'Linux') {
    diagnostics.push('Spot prices skipped: only Linux/UNIX Spot prices are read');
    return candidates;
  }
  try {
    const spot = await deps.spotPrices.currentSpotPrices(
      zones,
      candidates.map((c) => c.instanceType),
    );
    const byType = new Map<string, Map<string, number>>();
    for (const p of spot) {
      const zonesOfType = byType.get(p.instanceType) ?? new Map<string, number>();
      zonesOfType.set(p.availabilityZone, p.hourlyPriceUsd);
      byType.set(p.instanceType, zonesOfType);
    }
    return candidates.map((c) => {
      const perZone = byType.get(c.instanceType);
      if (!perZone || !zones.every((z) => perZone.has(z))) return c;
      // The dearest zone: the group launches in all of them.
      return { ...c, spotHourlyPriceUsd: Math.max(...zones.map((z) => perZone.get(z) ?? 0)) };
    });
  } catch (error) {
    diagnostics.push(`Spot prices unavailable: ${describeError(error)}`);
    return candidates;
  }
}

type Planned =
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

async function recommend(ctx: GroupContext, group: GroupSnapshot): Promise<Planned> {
  const { deps, config, prices, catalog } = ctx;
  const requirements = requirementsOf(config);
  const diagnostics: string[] = [];
  const mixed = group.mixedInstances;
  if (mixed?.usesAttributeBasedSelection) {
    return { kind: 'skipped', reason: 'the group uses attribute-based instance type selection' };
  }
  const templateRef = mixed
    ? { id: mixed.launchTemplateId, version: mixed.version }
    : group.launchTemplate
      ? { id: group.launchTemplate.id, version: group.launchTemplate.version }
      : undefined;
  if (!templateRef?.id) return { kind: 'skipped', reason: 'the group has no launch template' };

  const [facts, offered, template] = await Promise.all([
    catalog.factsByType(),
    catalog.offeredInEveryZone(group.availabilityZones),
    deps.instanceCatalog.launchTemplate(templateRef.id, templateRef.version),
  ]);
  const currentTypes = mixed
    ? mixed.overrides.map((o) => o.instanceType).filter((t): t is string => Boolean(t))
    : [template.instanceType ?? group.instanceTypes[0]].filter((t): t is string => Boolean(t));
  if (currentTypes.length === 0)
    return { kind: 'skipped', reason: 'the group’s current instance type is unknown' };

  const arch = inferArchitecture(template.imageArchitecture, currentTypes, facts);
  if (arch.kind === 'unknown') return { kind: 'infeasible', reason: arch.reason };

  const { candidates: filtered, rejected } = filterCandidates({
    facts: [...facts.values()],
    onDemandHourlyUsd: prices.hourlyPriceUsdByType,
    offeredInEveryZone: offered,
    architecture: arch.architecture,
    requirements,
  });
  const candidates = await attachSpotPrices(ctx, filtered, group.availabilityZones, diagnostics);

  const peak = await peakGroupCapacity(deps, group, deps.clock.nowMs(), diagnostics);
  const weightOf = new Map(mixed?.overrides.map((o) => [o.instanceType, o.weightedCapacity ?? 1]) ?? []);
  const requiredUnits = requiredCapacityUnits(
    peak.capacity,
    currentTypes.map((t) => {
      const f = facts.get(t);
      return {
        groupWeight: weightOf.get(t) ?? 1,
        capacityUnits: f ? capacityUnitsOf(f, requirements) : undefined,
      };
    }),
  );
  if (requiredUnits === undefined) {
    return {
      kind: 'infeasible',
      reason: `the capacity of the current types (${currentTypes.join(', ')}) in ${requirements.capacityUnit} is unknown`,
    };
  }

  const currentCandidates = currentTypes
    .map((t) => pricedType(t, prices, facts, requirements))
    .filter((c): c is Candidate => c !== undefined);
  const base = {
    architecture: arch.architecture,
    architectureSource: arch.source,
    requiredCapacityUnits: requiredUnits,
    capacitySource: peak.source,
    candidateCount: candidates.length,
    rejected,
    diagnostics,
  };

  if (!mixed) {
    const choice = selectSingleType(candidates, requiredUnits);
    if (choice.kind === 'infeasible') return { kind: 'infeasible', reason: choice.reason, rejected };
    const current = currentCandidates[0];
    const currentCost = current
      ? summarizeSelection([
          { candidate: current, instanceCount: instancesFor(requiredUnits, current.capacityUnits) },
        ]).hourlyCostUsd
      : undefined;
    if (currentCost === undefined) diagnostics.push(`no price for the current type ${currentTypes[0]}`);
    return {
      kind: 'recommendation',
      template,
      recommendation: {
        ...base,
        groupKind: 'single-type',
        method: 'lowest-unit-cost',
        selection: choice.selection,
        current: {
          instanceTypes: currentTypes,
          ...(currentCost !== undefined ? { hourlyCostUsd: currentCost } : {}),
        },
        ...(currentCost !== undefined
          ? { saving: monthlySaving(currentCost, choice.selection.hourlyCostUsd) }
          : {}),
      },
    };
  }

  const mix = await cheapestMix(
    deps.solver,
    candidates,
    requiredUnits,
    config.pricing.diversifyAcross,
    diagnostics,
  );
  if (!mix) return { kind: 'infeasible', reason: 'no instance type meets the requirements', rejected };
  let currentCost: number | undefined;
  if (currentCandidates.length === currentTypes.length) {
    const currentDiagnostics: string[] = [];
    const currentMix = await cheapestMix(
      deps.solver,
      currentCandidates,
      requiredUnits,
      config.pricing.diversifyAcross,
      currentDiagnostics,
    );
    currentCost = currentMix?.selection.hourlyCostUsd;
    diagnostics.push(...currentDiagnostics.map((d) => `current configuration: ${d}`));
  } else {
    diagnostics.push('some current types have no price; saving not computed');
  }
  return {
    kind: 'recommendation',
    template,
    recommendation: {
      ...base,
      groupKind: 'mixed-instances',
      method: mix.method,
      selection: mix.selection,
      current: {
        instanceTypes: currentTypes,
        ...(currentCost !== undefined ? { hourlyCostUsd: currentCost } : {}),
      },
      ...(currentCost !== undefined
        ? { saving: monthlySaving(currentCost, mix.selection.hourlyCostUsd) }
        : {}),
    },
  };
}

function sameTypes(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((t) => sb.has(t));
}

/** The change to make, or why none may be made. */
function planChange(
  ctx: GroupContext,
  group: GroupSnapshot,
  recommendation: Recommendation,
  template: LaunchTemplateFacts,
  facts: ReadonlyMap<string, InstanceTypeFacts>,
): { kind: 'change'; change: InstanceTypeChange } | { kind: 'blocked'; reason: string } {
  const types = recommendation.selection.items.map((i) => i.instanceType);
  if (recommendation.groupKind === 'mixed-instances') {
    const requirements = requirementsOf(ctx.config);
    const plan = planOverrides({
      current: (group.mixedInstances?.overrides ?? [])
        .filter((o): o is { instanceType: string; weightedCapacity?: number } => Boolean(o.instanceType))
        .map((o) => {
          const f = facts.get(o.instanceType);
          const units = f ? capacityUnitsOf(f, requirements) : undefined;
          return {
            instanceType: o.instanceType,
            ...(o.weightedCapacity !== undefined ? { weightedCapacity: o.weightedCapacity } : {}),
            ...(units !== undefined ? { capacityUnits: units } : {}),
          };
        }),
      selected: recommendation.selection.items.map((i) => ({
        instanceType: i.instanceType,
        capacityUnits: i.capacityUnitsPerInstance,
      })),
    });
    if (plan.kind === 'incompatible') return { kind: 'blocked', reason: plan.reason };
    return { kind: 'change', change: { kind: 'overrides', overrides: plan.overrides } };
  }
  if (!ctx.deps.applier.rollingUpdateAvailable) {
    return {
      kind: 'blocked',
      reason: 'no rolling-update workflow is deployed to roll out a new instance type',
    };
  }
  const instanceType = types[0];
  if (!instanceType) return { kind: 'blocked', reason: 'the recommendation is empty' };
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

/** Reads the group, its zones' offerings and its image again, right before a change. */
async function recheck(
  deps: SelectInstanceTypesDeps,
  group: GroupSnapshot,
  instanceTypes: readonly string[],
  facts: ReadonlyMap<string, InstanceTypeFacts>,
): Promise<string | undefined> {
  const [fresh] = (await deps.groups.describeGroups({ names: [group.name] })).filter(
    (g) => g.name === group.name,
  );
  if (!fresh) return 'the group no longer exists';
  if (fresh.instanceRefreshInProgress) return 'an instance refresh is in progress';
  const ref = fresh.mixedInstances
    ? { id: fresh.mixedInstances.launchTemplateId, version: fresh.mixedInstances.version }
    : fresh.launchTemplate;
  if (!ref) return 'the group no longer has a launch template';
  const [offered, template] = await Promise.all([
    deps.instanceCatalog.typesOfferedInEveryZone(fresh.availabilityZones),
    deps.instanceCatalog.launchTemplate(ref.id, ref.version),
  ]);
  const currentTypes = fresh.mixedInstances
    ? fresh.mixedInstances.overrides.map((o) => o.instanceType).filter((t): t is string => Boolean(t))
    : [template.instanceType].filter((t): t is string => Boolean(t));
  const arch = inferArchitecture(template.imageArchitecture, currentTypes, facts);
  if (arch.kind === 'unknown') return arch.reason;
  const check = checkApplicable({
    instanceTypes,
    zones: fresh.availabilityZones,
    offeredInEveryZone: offered,
    architecture: arch.architecture,
    facts,
  });
  return check.kind === 'unsafe' ? check.reasons.join('; ') : undefined;
}

async function selectForGroup(ctx: GroupContext, group: GroupSnapshot): Promise<GroupSelectionResult> {
  const { deps, config } = ctx;
  const planned = await recommend(ctx, group);
  if (planned.kind !== 'recommendation') return { groupName: group.name, ...planned };
  const { recommendation, template } = planned;
  const groupName = group.name;
  const chosen = recommendation.selection.items.map((i) => i.instanceType);
  if (sameTypes(chosen, recommendation.current.instanceTypes)) {
    return {
      kind: 'unchanged',
      groupName,
      recommendation,
      reason: 'the group already runs the cheapest types',
    };
  }
  const recommendOnly = (reason: string): GroupSelectionResult => ({
    kind: 'recommended',
    groupName,
    recommendation,
    reason,
  });
  if (!config.pricing.apply) return recommendOnly('recommend-only (pricing.apply is false)');
  const paused = group.tags[GROUP_TAGS.paused];
  if (paused !== undefined && paused !== 'false') return recommendOnly('the group is paused');
  if (group.instanceRefreshInProgress) return recommendOnly('an instance refresh is in progress');
  if (recommendation.saving === undefined)
    return recommendOnly('the current configuration’s cost is unknown');
  if (!(recommendation.saving.monthlySavingUsd > 0)) {
    return recommendOnly('the current configuration costs no more at the forecast peak');
  }
  if (deps.stateStore) {
    const lock = await deps.stateStore.getLock(groupName, deps.clock.nowMs());
    if (lock) return recommendOnly(`the group is locked by ${lock.holder}`);
  }
  const facts = await ctx.catalog.factsByType();
  const planned2 = planChange(ctx, group, recommendation, template, facts);
  if (planned2.kind === 'blocked') return recommendOnly(planned2.reason);
  const unsafe = await recheck(deps, group, chosen, facts);
  if (unsafe) return recommendOnly(`pre-apply check failed: ${unsafe}`);
  const change = planned2.change;
  if (config.dryRun) return { kind: 'dry-run', groupName, recommendation, change };

  if (change.kind === 'overrides') {
    const ref = group.mixedInstances as NonNullable<GroupSnapshot['mixedInstances']>;
    // A kept type keeps its own launch template; new types use the group's (its architecture was
    // checked above). The distribution is restated unchanged.
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
    return { kind: 'applied', groupName, recommendation, change };
  }
  const newVersion = await deps.applier.createLaunchTemplateVersion(
    change.launchTemplateId,
    change.sourceVersion,
    change.instanceType,
    `Prescale: ${change.instanceType} for ${groupName}`,
  );
  const executionArn = await deps.applier.startRollingUpdate({
    groupName,
    launchTemplateVersion: String(newVersion),
    reason: 'instance-type-change',
  });
  return { kind: 'applied', groupName, recommendation, change: { ...change, newVersion, executionArn } };
}

/**
 * Finds the cheapest instance types for each enrolled group and, when `pricing.apply` is set (and
 * not `dryRun`), applies them: overrides for mixed-instances groups, a new launch template version
 * rolled out by the rolling-update workflow for single-type groups. A change is never applied to a
 * group with an instance refresh in progress, and every type is checked again, right before the
 * change, for being offered in every zone of the group and matching the AMI's architecture. One
 * group's failure is reported in its result and does not stop the others.
 * @throws only when the groups cannot be listed; per-group errors are results.
 */
export async function selectInstanceTypes(
  deps: SelectInstanceTypesDeps,
  input: SelectInstanceTypesInput,
): Promise<SelectInstanceTypesResult> {
  const { config } = input;
  const enrolled = await deps.groups.describeGroups({
    names: config.groups.names,
    ...(config.groups.tag ? { tag: config.groups.tag } : {}),
  });
  const wanted = input.groupNames ? new Set(input.groupNames) : undefined;
  const groups = wanted ? enrolled.filter((g) => wanted.has(g.name)) : enrolled;
  const missing = wanted ? [...wanted].filter((n) => !groups.some((g) => g.name === n)).sort() : [];
  const skippedMissing: GroupSelectionResult[] = missing.map((groupName) => ({
    kind: 'skipped',
    groupName,
    reason: 'not an enrolled group (or it does not exist)',
  }));

  const { report, list } = await loadPrices(
    deps,
    input.region,
    config.pricing.operatingSystem,
    config.pricing.refreshHours,
  );
  if (!list) {
    const error = new PricesUnavailableError(
      'every price source',
      input.region,
      config.pricing.operatingSystem,
    );
    return {
      prices: report,
      groups: [
        ...groups.map((g) => ({ kind: 'failed' as const, groupName: g.name, error })),
        ...skippedMissing,
      ],
    };
  }
  const ctx: GroupContext = { deps, config, prices: list, catalog: new RunCatalog(deps.instanceCatalog) };
  const results: GroupSelectionResult[] = [];
  for (const group of groups) {
    try {
      results.push(await selectForGroup(ctx, group));
    } catch (error) {
      results.push({
        kind: 'failed',
        groupName: group.name,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }
  return { prices: report, groups: [...results, ...skippedMissing] };
}
