import type { PrewarmChange, ReleaseUnderWay } from '../core/campaigns/plan-release';
import type { OwnerOneTimeMinSize } from '../core/planning/owner-one-time-min-size';
import type { OwnerRecurringStart } from '../core/planning/owner-recurring-start';
import type { LaunchFailures } from './scaling-target';

/** What one scaling-loop run decided for one group, kept for review and for feedback. */
export interface RunRecord {
  readonly groupName: string;
  /** The scheduled tick this run belongs to (epoch ms, floored to the schedule rate). */
  readonly tickMs: number;
  readonly mode: 'forecast-only' | 'forecast-and-scale';
  readonly forecastStartMs: number;
  readonly stepSeconds: number;
  /** Planned load quantile per step, and the p50 for scoring. */
  readonly plannedLoad: readonly number[];
  readonly medianLoad: readonly number[];
  readonly planningQuantile: number;
  readonly plannedCapacity: readonly number[];
  /**
   * Whether the run raises MinSize from its plan: false with `forecastFloor` off on a group with
   * its own scaling policies (or the floor stood down), where the floor stays the user's. Absent
   * in records written before it existed (those runs raised it).
   */
  readonly raisesFloor?: boolean;
  readonly models: readonly string[];
  /**
   * What anomaly handling did to the history before fitting: points replaced, points kept as
   * demand, and whether the replacement cap was reached (then some unusual points were kept
   * rather than replaced). Absent in records written before it existed.
   */
  readonly anomalies?: {
    readonly replacedSteps: number;
    readonly keptSteps: number;
    readonly capReached: boolean;
  };
  /** The forecast's peak of each day of the horizon (`DemandForecast.dailyPeaks`), when it has them. */
  readonly dailyPeaks?: readonly {
    readonly startMs: number;
    readonly peakLoad: number;
    readonly peakAtMs: number;
  }[];
  readonly outcome: RunOutcome;
  /** Launches Auto Scaling could not make since the previous run; absent when none failed. */
  readonly launchFailures?: LaunchFailures;
}

/** What a run did to the group, or why it did nothing. */
export type RunOutcome =
  | {
      readonly kind: 'applied';
      readonly before: {
        readonly minSize: number;
        readonly maxSize: number;
        readonly desiredCapacity: number;
      };
      readonly after: {
        readonly minSize: number;
        readonly maxSize: number;
        readonly desiredCapacity: number;
      };
      readonly reason: string;
    }
  | { readonly kind: 'unchanged'; readonly reason: string }
  | {
      readonly kind: 'held';
      readonly reason: string;
      /**
       * The holder of the group's lock (a rolling update's execution name) when that lock alone
       * held the run: nothing else would hold it once the lock and an instance refresh end
       * (`liftsByItself`). Absent for every other hold (pause tag, kill switch, suspended
       * processes, …), and in records written before 2026-12-06.
       */
      readonly heldOnlyByLock?: string;
    }
  | {
      readonly kind: 'dry-run';
      readonly reason: string;
      readonly wouldSet: Readonly<Record<string, number>>;
    };

/** Timing of a run claim. */
export interface RunLease {
  readonly nowMs: number;
  /** After this, an unfinished claim may be taken over, by its tick or a newer one (the worker's timeout). */
  readonly leaseUntilMs: number;
  /** When the claim item may be deleted by TTL. */
  readonly expiresAtMs: number;
}

/** A run's claim on a group while its lease is live: its worker may still be writing the group. */
export interface RunClaim {
  readonly tickMs: number;
  /** When the lease runs out: the worker's timeout after its batch started (epoch ms). */
  readonly leaseUntilMs: number;
}

/** Per-group state the loop carries between runs. */
export interface GroupState {
  readonly planningQuantile: number;
  /** MaxSize before Prescale raised it, so it can be restored; absent when not raised. */
  readonly originalMaxSize?: number;
  /**
   * The MaxSize Prescale's raise last put on the group, with `originalMaxSize`: a MaxSize that is
   * neither is the operator's, and ends the raise. Absent in states written before it was kept.
   */
  readonly raisedMaxSize?: number;
  readonly learnedLeadTimeSeconds?: number;
  /**
   * The group's own MinSize, which the look-ahead's last scheduled action restores: MinSize when
   * Prescale first saw the group (or, for groups enrolled before it was recorded, the lower of
   * MinSize and the floor).
   */
  readonly userMinSize?: number;
  /**
   * The MinSize Prescale's last run that went ahead left on the group (set, or found already so);
   * held and dry runs carry it on. The look-ahead's give-back, kept while Prescale stands down,
   * lowers only this MinSize: one at another is the operator's (`lookAheadGiveBack`). Absent in
   * states written before it was kept.
   */
  readonly prescaleMinSize?: number;
  /**
   * Where the look-ahead's actions still scheduled change MinSize after the last run, as
   * `[startMs, minSize]` oldest first: once some have run (Prescale down), the MinSize they set is
   * Prescale's (`prescaleMinSizeAt`). Absent when none does.
   */
  readonly lookAheadMinSizes?: readonly (readonly [startMs: number, minSize: number])[];
  /**
   * The warm pool's own MinSize, first seen, where Prescale sizes the pool (a capped one): what a
   * group taken out of the enrolment gets back.
   */
  readonly userWarmPoolMinSize?: number;
  /**
   * The MinSize Prescale last put on the warm pool (set, or found already so) while it sized it:
   * once it no longer does (the pool turned Running), a pool still at it gets `userWarmPoolMinSize`
   * back, one at another MinSize is its owner's. Absent in states written before it was kept.
   */
  readonly prescaleWarmPoolMinSize?: number;
  /**
   * The MinSize a run is about to put on the warm pool, written before its PutWarmPool: one whose
   * outcome is unknown (a server error, an answer after a retry) may have landed with no record of
   * the run after it. A pool found at it is at Prescale's (`prescaleWarmPoolMinSizeOn`); the next
   * run's record takes it as `prescaleWarmPoolMinSize` or drops it. Absent when no write is pending.
   */
  readonly pendingWarmPoolMinSize?: number;
  /** When the scheduled look-ahead written by the last run ends (epoch ms); absent when none. */
  readonly lookAheadUntilMs?: number;
  /** End of the last forecast step the planning-quantile controller has scored (each step counts once). */
  readonly scoredUntilMs?: number;
  /**
   * The steps of past runs' own windows (each run's tick to the next) that the controller has not
   * scored yet, oldest run first: what the next run scores once their load has arrived, without
   * reading the run records back. Absent in states written before it existed (the next run then
   * reads the run records).
   */
  readonly unscoredSteps?: readonly PlannedStep[];
  /**
   * The floor (MinSize) each run's plan asked for, applied or not, for judging the forecast floor
   * against target tracking alone (`groupFloorCheck`); absent with `floorCheckDays` 0.
   */
  readonly floorRecord?: FloorRecord;
  /** The newest judgement of the group's forecast floor; absent before the first. */
  readonly floorCheck?: FloorCheck;
  /**
   * The owner's one-time scheduled actions that set MinSize, pending or run and still the owner's
   * floor (`ownerOneTimeMinSizes`): Auto Scaling deletes each once it has run. Absent when none.
   */
  readonly ownerOneTimeMinSizes?: readonly OwnerOneTimeMinSize[];
  /**
   * The own StartTimes of the owner's recurring actions, seen while ahead (`ownerRecurringStarts`):
   * Auto Scaling describes a started schedule's StartTime as its next run. Absent when none.
   */
  readonly ownerRecurringStarts?: readonly OwnerRecurringStart[];
  readonly updatedAtMs: number;
}

/**
 * The floor a group's runs planned, tick by tick from `startMs`, as runs of equal floors (a day of
 * ticks in a few dozen pairs, so the state stays small): `[floor, ticks]`, oldest first, floor -1
 * where no run recorded one.
 */
export interface FloorRecord {
  readonly startMs: number;
  readonly stepMs: number;
  readonly runs: readonly (readonly [floor: number, ticks: number])[];
}

/** Whether the group's forecast floor paid for itself on its own record, and when that was judged. */
export interface FloorCheck {
  readonly judgedAtMs: number;
  /** True when it did not: the runs raise no floor from the forecast until a later judgement. */
  readonly standsDown: boolean;
  readonly reason: string;
}

/** One forecast step of a run's plan, as the planning-quantile controller scores it. */
export interface PlannedStep {
  readonly startMs: number;
  readonly endMs: number;
  /** Load planned for (the planning quantile) and the forecast median, in load units. */
  readonly plannedLoad: number;
  readonly medianLoad: number;
  /** Capacity planned for the step (instances, within the floor and MaxSize). */
  readonly plannedCapacity: number;
  /**
   * The group's in-service capacity at the first run at or after the step's end, which served it:
   * a step is scored once its CloudWatch data is whole, a run later, against this capacity, not
   * the one that run finds (a scale-out since would hide the step's shortfall). Absent until then,
   * and in states written before 2026-12-06.
   */
  readonly servedCapacity?: number;
}

/** A lock that keeps two actors (a rolling update, the loop) off one group. */
export interface GroupLock {
  readonly groupName: string;
  readonly holder: string;
  readonly acquiredAtMs: number;
  readonly expiresAtMs: number;
}

/**
 * A campaign pre-warm's release that could not run (a rolling update's lock or an instance refresh
 * held the group) on a group whose runs never lower MinSize by themselves (`minSizeScaleInPace` 0):
 * the loop's first run that may act on the group again performs it, once.
 */
export interface LeftRelease extends PrewarmChange {
  readonly campaignId: string;
  /** When the release left it to the loop (epoch ms). */
  readonly leftAtMs: number;
  /** When the store may delete it unperformed (the campaign's record expiry, epoch ms). */
  readonly expiresAtMs: number;
  /**
   * Where a run that performed it part way (its need stopped it) left MinSize, the rest owed
   * (`settleReleaseStep`). A later run performs the rest only from there: a MinSize someone or
   * something else moved since is not lowered by it.
   */
  readonly settledAtMinSize?: number;
  /**
   * The step a run is performing (`ReleaseUnderWay`), written before its capacity change and gone
   * with its settle: a run that finds it performs the release from where that run left it
   * (`resumedRelease`), never twice.
   */
  readonly underWay?: ReleaseUnderWay;
  /** Counts the loop's rewrites (none: as the campaign left it); a settle is conditional on it. */
  readonly version?: number;
  /**
   * The loop has performed it (or dropped it: a MinSize moved since). Kept so, until its expiry,
   * rather than deleted: a retry of the campaign's release that finds it knows the release was left
   * to the loop (`releasesRaise`) and does not perform it a second time.
   */
  readonly performed?: boolean;
}

/**
 * Whether `left` is the release of the raise a pre-warm recorded at `raisedAtMs`, left to the loop
 * after it: one left before it released an earlier raise of the campaign, raised again since.
 */
export const releasesRaise = (left: LeftRelease | undefined, raisedAtMs: number): boolean =>
  left !== undefined && left.leftAtMs >= raisedAtMs;

/**
 * The MinSize Prescale last put on the warm pool, as a pool at `poolMinSize` shows it: the pending
 * write's (`pendingWarmPoolMinSize`) where the pool is at it, a write of unknown outcome that
 * landed; else the one recorded (`prescaleWarmPoolMinSize`).
 */
export function prescaleWarmPoolMinSizeOn(
  state: Pick<GroupState, 'prescaleWarmPoolMinSize' | 'pendingWarmPoolMinSize'> | undefined,
  poolMinSize: number | undefined,
): number | undefined {
  const pending = state?.pendingWarmPoolMinSize;
  return pending !== undefined && poolMinSize === pending ? pending : state?.prescaleWarmPoolMinSize;
}

/** Prescale's durable state (DynamoDB in AWS, memory in tests). */
export interface StateStore {
  /**
   * Claims a group's run for a tick, as a lease until `leaseUntilMs`: one claim per group, so a
   * group runs one tick at a time, in tick order. Returns false when the tick is done, when any
   * run of the group holds a lease that has not run out (a duplicate delivery, or another tick's
   * work delivered late beside it), or when a newer tick has claimed the group (an older tick's
   * work arriving after it is stale). So the same run never applies twice, and two runs never
   * read, plan and write the group and its state side by side; a run that died without finishing
   * (a Lambda timeout) leaves a lease the next delivery takes over once it has expired.
   */
  claimRun(groupName: string, tickMs: number, lease: RunLease): Promise<boolean>;
  /**
   * The group's run claim whose lease is live at `nowMs` (not done, not given back, not run out),
   * read strongly consistent, if any.
   */
  getRunClaim(groupName: string, nowMs: number): Promise<RunClaim | undefined>;
  /** Marks a claimed tick done: no later delivery may run it again. A newer tick's claim is left alone. */
  completeRun(groupName: string, tickMs: number): Promise<void>;
  /**
   * Gives a claimed tick back after the run failed, so a redelivery (or the next tick) may run
   * it at once. A newer tick's claim is left alone.
   */
  releaseRun(groupName: string, tickMs: number): Promise<void>;
  putRunRecord(record: RunRecord, expiresAtMs: number): Promise<void>;
  /** Run records of a group since `sinceMs`, oldest first. */
  recentRunRecords(groupName: string, sinceMs: number): Promise<RunRecord[]>;
  /** The group's newest run record since `sinceMs`, without reading the others. */
  latestRunRecord(groupName: string, sinceMs: number): Promise<RunRecord | undefined>;
  getGroupState(groupName: string): Promise<GroupState | undefined>;
  putGroupState(groupName: string, state: GroupState): Promise<void>;
  /**
   * Writes a finished run's outcome: the group's next state and the run's record (kept until
   * `expiresAtMs`). Both are durable when it resolves; a store may send them in one request.
   */
  recordRun(groupName: string, state: GroupState, record: RunRecord, expiresAtMs: number): Promise<void>;
  /** Acquires the group's lock; returns false when another unexpired holder has it. */
  acquireLock(lock: GroupLock): Promise<boolean>;
  /** Releases the lock if `holder` holds it; releasing a lock one does not hold is a no-op. */
  releaseLock(groupName: string, holder: string): Promise<void>;
  /** The current unexpired lock of a group, if any. */
  getLock(groupName: string, nowMs: number): Promise<GroupLock | undefined>;
  /**
   * Leaves a release to the group's loop (`LeftRelease`), kept until its `expiresAtMs`, unless the
   * release of the raise recorded at `raisedAtMs` was left already (`releasesRaise`): a retry
   * leaves what the loop made of it (under way, owing the rest, performed) as it is.
   */
  leaveRelease(groupName: string, release: LeftRelease, raisedAtMs: number): Promise<void>;
  /** The releases left to the group's loop and not performed yet, by campaign id. */
  leftReleases(groupName: string): Promise<LeftRelease[]>;
  /** The release of `campaignId` left to the group's loop, performed or not, until its expiry. */
  leftRelease(groupName: string, campaignId: string): Promise<LeftRelease | undefined>;
  /**
   * Replaces a left release as a run read it (`read`, by its `version`) with `next`, or marks it
   * `performed` (`next` undefined); false when another run changed or performed it since: its
   * outcome stands, and the release is performed once.
   */
  settleLeftRelease(groupName: string, read: LeftRelease, next: LeftRelease | undefined): Promise<boolean>;
}
