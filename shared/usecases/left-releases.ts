import type { GroupSettings } from '../contracts/group-settings-schema';
import {
  type ReleaseStep,
  releasedMinSize,
  releaseSteps,
  settleReleaseStep,
} from '../core/campaigns/plan-release';
import { minSizeScaleInPace } from '../core/planning/min-size-scale-in-pace';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { LeftRelease, StateStore } from '../ports/state-store';
import type { StaleHistory } from './stale-history';

/** The releases left to the group's loop that its run performs, and the MinSize they come down to. */
export interface LeftReleases {
  /** Each release's step (`releaseSteps`), in the order the run performs them. */
  readonly releases: readonly ReleaseStep<LeftRelease>[];
  /** `releasedMinSize` of them; undefined when the run performs none. */
  readonly releasedMinSize?: number;
}

/**
 * The campaign releases left to the group's loop (`LeftRelease`) that this run performs. Read only
 * where the runs never lower MinSize by themselves (`minSizeScaleInPace` 0): elsewhere a held
 * release marks itself done and leaves nothing. None on a stale history: the run releases nothing
 * then (`staleHistory`), and they wait for a fresh one. `settings.floorCapacity` is the floor the
 * run plans with (the owner's scheduled MinSize included), which the release keeps too. One past
 * its expiry is not performed: DynamoDB's TTL deletes late, and the store may still list it.
 */
export async function leftReleasesFor(
  deps: { readonly stateStore: Pick<StateStore, 'leftReleases'> },
  settings: Pick<GroupSettings, 'scaleInPerTick' | 'maxChangePerTick' | 'floorCapacity'>,
  group: GroupSnapshot,
  run: {
    readonly staleHistory: StaleHistory | undefined;
    readonly nowMs: number;
    /** Campaigns keeping the group's floor now (`runPlanInputs`). */
    readonly floorCampaigns: readonly string[];
  },
): Promise<LeftReleases> {
  const pace = minSizeScaleInPace({ ...settings, hasScalingPolicies: group.hasScalingPolicies });
  // A campaign in reach keeps the floor: the rest of an old raise waits until it has been released.
  if (pace > 0 || run.staleHistory !== undefined || run.floorCampaigns.length > 0) return { releases: [] };
  const releases = (await deps.stateStore.leftReleases(group.name)).filter((r) => r.expiresAtMs > run.nowMs);
  if (releases.length === 0) return { releases: [] };
  const rules = { hasScalingPolicies: group.hasScalingPolicies, floorCapacity: settings.floorCapacity };
  // The rest of one performed part way, on a MinSize moved since (by hand, the loop's own raise,
  // another campaign's release): nothing of it is lowered, and a run that acts takes it off.
  const moved = releases.filter(
    (r) => r.settledAtMinSize !== undefined && r.settledAtMinSize !== group.minSize,
  );
  const untouched = (change: LeftRelease) => ({
    change,
    fromMinSize: group.minSize,
    toMinSize: group.minSize,
  });
  const steps = [
    ...moved.map(untouched),
    ...releaseSteps(
      releases.filter((r) => !moved.includes(r)),
      group,
      rules,
    ),
  ];
  return { releases: steps, releasedMinSize: releasedMinSize(steps, group.minSize) };
}

/**
 * After the run's capacity change, settles the releases it performed against the MinSize it set
 * (`settleReleaseStep`): one that came down to its step's end is taken off the store
 * (conditionally: once), one that came down in part is left again owing the rest. Where the loop
 * never lowers MinSize, only such a release does, so a run held up by its own need (load, a newer
 * campaign) leaves the rest to a later run instead of keeping the raise for good. Called after the
 * change, so a run that dies before it leaves the release for the next one, which performs it
 * from the group as it is then: never below the release's `before` or the floor.
 */
export async function settleLeftReleases(
  stateStore: Pick<StateStore, 'takeLeftRelease' | 'leaveRelease'>,
  groupName: string,
  steps: readonly ReleaseStep<LeftRelease>[],
  minSize: number,
): Promise<void> {
  for (const step of steps) {
    const settled = settleReleaseStep(step, minSize);
    if (settled.kind === 'done') await stateStore.takeLeftRelease(groupName, step.change.campaignId);
    else if (settled.kind === 'owing') await stateStore.leaveRelease(groupName, settled.change);
  }
}

/** What the run's reason says of the releases it performs (a dry run's: would perform). */
export const leftReleasesReason = (steps: readonly ReleaseStep<LeftRelease>[]): string[] =>
  steps
    .filter((s) => s.toMinSize < s.fromMinSize)
    .map(
      ({ change: r, fromMinSize, toMinSize }) =>
        `release campaign ${r.campaignId} left to the loop: MinSize may come down ${fromMinSize} → ${toMinSize}, what its pre-warm added, as far as the run's need allows`,
    );
