import type { GroupSettings } from '../contracts/group-settings-schema';
import { releasedMinSize } from '../core/campaigns/plan-release';
import { minSizeScaleInPace } from '../core/planning/min-size-scale-in-pace';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { LeftRelease, StateStore } from '../ports/state-store';
import type { StaleHistory } from './stale-history';

/** The releases left to the group's loop that its run performs, and the MinSize they come down to. */
export interface LeftReleases {
  readonly releases: readonly LeftRelease[];
  /** `releasedMinSize` of them; undefined when the run performs none. */
  readonly releasedMinSize?: number;
}

/**
 * The campaign releases left to the group's loop (`LeftRelease`) that this run performs. Read only
 * where the runs never lower MinSize by themselves (`minSizeScaleInPace` 0): elsewhere a held
 * release marks itself done and leaves nothing. None on a stale history: the run releases nothing
 * then (`staleHistory`), and they wait for a fresh one. `settings.floorCapacity` is the floor the
 * run plans with (the owner's scheduled MinSize included), which the release keeps too.
 */
export async function leftReleasesFor(
  deps: { readonly stateStore: Pick<StateStore, 'leftReleases'> },
  settings: Pick<GroupSettings, 'scaleInPerTick' | 'maxChangePerTick' | 'floorCapacity'>,
  group: GroupSnapshot,
  staleHistory: StaleHistory | undefined,
): Promise<LeftReleases> {
  const pace = minSizeScaleInPace({ ...settings, hasScalingPolicies: group.hasScalingPolicies });
  if (pace > 0 || staleHistory !== undefined) return { releases: [] };
  const releases = await deps.stateStore.leftReleases(group.name);
  if (releases.length === 0) return { releases };
  const rules = { hasScalingPolicies: group.hasScalingPolicies, floorCapacity: settings.floorCapacity };
  return { releases, releasedMinSize: releasedMinSize(releases, group, rules) };
}

/**
 * Runs the change of a run that performs left releases with them taken off the store first, so each
 * is performed once (one a concurrent run took first is not counted again); when the change fails
 * they are left again, for the next run.
 */
export async function withLeftReleasesTaken(
  stateStore: Pick<StateStore, 'takeLeftRelease' | 'leaveRelease'>,
  groupName: string,
  releases: readonly LeftRelease[],
  change: () => Promise<void>,
): Promise<void> {
  const taken: LeftRelease[] = [];
  for (const release of releases) {
    if (await stateStore.takeLeftRelease(groupName, release.campaignId)) taken.push(release);
  }
  try {
    await change();
  } catch (error) {
    for (const release of taken) await stateStore.leaveRelease(groupName, release).catch(() => undefined);
    throw error;
  }
}

/** What the run's reason says of the releases it performs (a dry run's: would perform). */
export const leftReleasesReason = (releases: readonly LeftRelease[]): string[] =>
  releases.map(
    (r) =>
      `release campaign ${r.campaignId} left to the loop: what its pre-warm added (MinSize ${r.before.minSize} → ${r.after.minSize}) comes down, to the run's need at most`,
  );
