import type { UserConfig } from '../contracts/user-config';
import type { MonthlySaving } from '../core/pricing/monthly-saving';
import type { CpuArchitecture, InstanceSelection, RejectionReason } from '../core/pricing/types';
import type { AppliedChangeRecords } from '../ports/applied-change-records';
import type { Clock } from '../ports/clock';
import type { InstanceCatalog, InstanceTypeApplier, InstanceTypeOverride } from '../ports/instance-catalog';
import type { LaunchTemplateUsers } from '../ports/launch-template-users';
import type { MixSolver } from '../ports/mix-solver';
import type { PriceCache, PriceCatalog, SpotPriceCatalog } from '../ports/price-catalog';
import type { RolloutRecords } from '../ports/rollout-records';
import type { ScalingTarget } from '../ports/scaling-target';
import type { StateStore } from '../ports/state-store';
import type { UpdatePlanStore } from '../ports/update-plan-store';
import type { TimeBudget } from './release-groups-taken-out';

/** What the selection needs; every AWS dependency is a port. */
export interface SelectInstanceTypesDeps {
  /** The groups, and who else launches a template a single-type group's new version is made in. */
  readonly groups: Pick<ScalingTarget, 'describeGroups'> & LaunchTemplateUsers;
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
  readonly stateStore?: Pick<StateStore, 'latestRunRecord' | 'getLock'>;
  /**
   * The rollouts this selection started, read so that one still running (waiting for its window)
   * holds the group. The handler always gives it; without it an earlier rollout is not seen.
   */
  readonly rollouts?: RolloutRecords;
  /**
   * The last change applied to each group, written after each change and read so that a group the
   * owner put back on the types it was changed from gets no change again (`revertedChangeHold`).
   * The handler always gives it; without it a revert is taken for the owner's new choice.
   */
  readonly appliedChanges?: AppliedChangeRecords;
  /**
   * Update plans' holds on their groups, read so that a plan whose slot for the group is still to
   * come holds it (its rolling update starts only then). Without it, such a plan is not seen.
   */
  readonly planLocks?: Pick<UpdatePlanStore, 'getPlanLock'>;
  /**
   * The deployment-wide kill switch, read only when `pricing.apply` would apply a change; a read
   * that fails throws (the group's result is `failed`), never reads as "running".
   */
  readonly isGloballyPaused: () => Promise<boolean>;
  /** This deployment's name (its stack's): a group another deployment manages gets no change. */
  readonly deployment: string;
}

export interface SelectInstanceTypesInput {
  readonly config: UserConfig;
  /** The region the groups are in (prices are for this region). */
  readonly region: string;
  /** Only these enrolled groups; all enrolled groups when absent. */
  readonly groupNames?: readonly string[];
  /**
   * When the run was scheduled (EventBridge Scheduler's scheduled time, epoch ms): every delivery
   * of one scheduled run, retried or duplicated, carries the same, so a launch template version it
   * creates is created once (`launchTemplateVersionToken`). Absent for an on-demand run, which is
   * then a run of its own: the clock's time stands for it.
   */
  readonly scheduledTimeMs?: number;
  /**
   * The function's time: once it says no more, no other group is started, and those left are
   * `skipped` with its reason and named in `notReached`. Absent: every group is started.
   */
  readonly hasTime?: TimeBudget;
  /**
   * Told every result as it is known (a group's as it finishes), so that a run cut short has
   * logged the groups it did.
   */
  readonly onGroupResult?: (result: GroupSelectionResult) => void;
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
  /** A source could not answer (an outage): every group fails, and the next run tries again. */
  | { readonly kind: 'unavailable'; readonly problems: readonly string[] }
  /**
   * Every source answered it has no prices for the region (docs/pricing.md, "Partitions"): every
   * group is skipped with `reason`, which names the region and each source's answer.
   */
  | { readonly kind: 'unpriceable'; readonly reason: string; readonly problems: readonly string[] };

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
  /**
   * The group's types (a mixed group's overrides in its order) and what they cost at the peak: a
   * mixed group's on the type it launches first (docs/pricing.md, "Saving").
   */
  readonly current: { readonly instanceTypes: readonly string[]; readonly hourlyCostUsd?: number };
  /**
   * Against the current configuration serving the same peak, a mixed group's priced on the type it
   * launches first today and after; absent when the current cost is unknown.
   */
  readonly saving?: MonthlySaving;
  /**
   * A cheaper choice that cannot be applied, reported, never applied. A single-type group's type of
   * another size than its current one: the group counts instances, so the same count of another
   * size is another capacity; `selection` is then the cheapest type of the group's own size. A
   * mixed group's mix with a type its weights cannot take (`overrideWeight`: another size in a
   * group without weights, a weight not a whole number 1–999); `selection` is then the cheapest
   * mix of the types they can take.
   */
  readonly otherSize?: {
    readonly selection: InstanceSelection;
    /** Against the current configuration at the same peak; absent when the current cost is unknown. */
    readonly saving?: MonthlySaving;
    readonly reason: string;
  };
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
      /**
       * `started` when this run started the rollout, or found it still running (a redelivery);
       * `already-started` when a redelivery found it closed (`rolloutStatus` says how it ended).
       */
      readonly rollout?: 'started' | 'already-started';
      /** The closed rollout's status (`SUCCEEDED`, `FAILED`, …) when `rollout` is `already-started`. */
      readonly rolloutStatus?: string;
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
  /** The groups `hasTime` left no time for (each also `skipped` in `groups`), in the run's order. */
  readonly notReached: readonly string[];
}
