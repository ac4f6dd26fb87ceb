import type { GroupSettings } from '../contracts/group-settings-schema';
import {
  type ReleaseStep,
  releasedMinSize,
  releaseSteps,
  resumedRelease,
  settleReleaseStep,
} from '../core/campaigns/plan-release';
import type { CapacityChange, GroupSnapshot } from '../ports/scaling-target';
import type { LeftRelease, StateStore } from '../ports/state-store';
import { loopLowersMinSize } from './loop-lowers-min-size';
import type { StaleHistory } from './stale-history';

/** A left release's step, and the release as the run read it from the store (its settle's condition). */
export interface LeftReleaseStep extends ReleaseStep<LeftRelease> {
  readonly read: LeftRelease;
}

/** The releases left to the group's loop that its run performs, and the MinSize they come down to. */
export interface LeftReleases {
  /** Each release's step (`releaseSteps`), in the order the run performs them. */
  readonly releases: readonly LeftReleaseStep[];
  /** `releasedMinSize` of them; undefined when the run performs none. */
  readonly releasedMinSize?: number;
}

/**
 * The campaign releases left to the group's loop (`LeftRelease`) that this run performs. Read only
 * where the runs never lower MinSize by themselves (`minSizeScaleInPace` 0): elsewhere a held
 * release marks itself done and leaves nothing, and one left before the settings changed is taken
 * back with the loop's own lowering (`leftReleasesTakenBack`). None on a stale history: the run
 * releases nothing then (`staleHistory`), and they wait for a fresh one. `settings.floorCapacity` is the floor the
 * run plans with (the owner's scheduled MinSize included), which the release keeps too. One past
 * its expiry is not performed: DynamoDB's TTL deletes late, and the store may still list it. One
 * another run left under way is performed from where that run left it (`resumedRelease`).
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
  // A campaign in reach keeps the floor: the rest of an old raise waits until it has been released.
  if (loopLowersMinSize(settings, group) || run.staleHistory !== undefined || run.floorCampaigns.length > 0)
    return { releases: [] };
  const steps = await performableReleases(deps.stateStore, settings, group, run.nowMs);
  if (steps.length === 0) return { releases: [] };
  return { releases: steps, releasedMinSize: releasedMinSize(steps, group.minSize) };
}

/**
 * The steps of the releases left to the group's loop, unexpired (DynamoDB's TTL deletes late), from
 * the group's bounds now: one another run left under way from where that run left it
 * (`resumedRelease`), one whose rest is owed from a MinSize moved since as a step that lowers nothing.
 */
async function performableReleases(
  stateStore: Pick<StateStore, 'leftReleases'>,
  settings: Pick<GroupSettings, 'floorCapacity'>,
  group: GroupSnapshot,
  nowMs: number,
): Promise<LeftReleaseStep[]> {
  const read = (await stateStore.leftReleases(group.name)).filter((r) => r.expiresAtMs > nowMs);
  if (read.length === 0) return [];
  const releases = read.map((r) => resumedRelease(r, group.minSize));
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
  return [
    ...moved.map(untouched),
    ...releaseSteps(
      releases.filter((r) => !moved.includes(r)),
      group,
      rules,
    ),
  ].map((step) => ({ ...step, read: read[releases.indexOf(step.change)] as LeftRelease }));
}

/**
 * The releases left to the loop that a run lowering MinSize at its own pace takes back with it: left
 * while the loop never lowered MinSize, they outlive a change of settings after which it does
 * (`loopLowersMinSize`). Claimed and settled like the releases a run performs
 * (`claimLeftReleases`, `settleLeftReleases`), so what the loop lowered is never lowered again by
 * them once the settings change back: done once MinSize came down to a step's end, owing the rest
 * from where it left MinSize. None (and nothing read) where the loop does not lower MinSize or the
 * change lowers none.
 */
export async function leftReleasesTakenBack(
  stateStore: Pick<StateStore, 'leftReleases'>,
  settings: Pick<GroupSettings, 'scaleInPerTick' | 'maxChangePerTick' | 'floorCapacity'>,
  group: GroupSnapshot,
  run: { readonly change: CapacityChange; readonly nowMs: number },
): Promise<LeftReleaseStep[]> {
  const lowers = run.change.minSize !== undefined && run.change.minSize < group.minSize;
  if (!lowers || !loopLowersMinSize(settings, group)) return [];
  return performableReleases(stateStore, settings, group, run.nowMs);
}

/**
 * Before the run's capacity change, marks each release it lowers MinSize into as under way
 * (`underWay`, with the group's MinSize the run starts from), conditionally on the release as
 * read: a run that dies after the change without
 * settling (a throttle, a timeout) leaves the next one what it took back (`resumedRelease`), so
 * a raise the loop made above the pre-warm's `after` is not taken back as well. A release another
 * run changed or took since is its own: this run lowers nothing for it or the steps after it
 * (MinSize stays at its step's start, DesiredCapacity no lower), and the change is the one sent.
 */
export async function claimLeftReleases(
  stateStore: Pick<StateStore, 'settleLeftRelease'>,
  group: GroupSnapshot,
  steps: readonly LeftReleaseStep[],
  change: CapacityChange,
): Promise<{ readonly steps: readonly LeftReleaseStep[]; readonly change: CapacityChange }> {
  const minSize = change.minSize ?? group.minSize;
  const claimed: LeftReleaseStep[] = [];
  for (const step of steps) {
    if (minSize >= step.fromMinSize) {
      claimed.push(step);
      continue;
    }
    const { fromMinSize, toMinSize } = step;
    const startMinSize = group.minSize;
    const underWay = {
      ...step.change,
      underWay: { fromMinSize, toMinSize, minSize, startMinSize },
      version: next(step),
    };
    if (!(await stateStore.settleLeftRelease(group.name, step.read, underWay))) {
      return { steps: claimed, change: withMinSizeAtLeast(change, group, fromMinSize) };
    }
    claimed.push({ ...step, read: underWay });
  }
  return { steps: claimed, change };
}

const next = (step: LeftReleaseStep) => (step.read.version ?? 0) + 1;

/** `change` with MinSize no lower than `minSize` (nor DesiredCapacity below it); unchanged bounds dropped. */
function withMinSizeAtLeast(change: CapacityChange, group: GroupSnapshot, minSize: number): CapacityChange {
  const { minSize: changed, desiredCapacity, ...rest } = change;
  const min = Math.max(changed ?? group.minSize, minSize);
  const desired = Math.max(desiredCapacity ?? group.desiredCapacity, min);
  return {
    ...rest,
    ...(min !== group.minSize ? { minSize: min } : {}),
    ...(desired !== group.desiredCapacity ? { desiredCapacity: desired } : {}),
  };
}

/**
 * After the run's capacity change, settles the releases it performed against the MinSize it set
 * (`settleReleaseStep`): one that came down to its step's end is marked performed (kept until it expires, so
 * a retry of the release that left it finds it done), one that
 * came down in part is left again owing the rest, one under way that it did not lower is left as
 * it was. Where the loop never lowers MinSize, only such a release does, so a run held up by its
 * own need (load, a newer campaign) leaves the rest to a later run instead of keeping the raise
 * for good. Each write is conditional on the release as the run read or claimed it: one another
 * run changed or took since (an overlapping run of the group: a redelivered tick, a retry) keeps
 * that run's outcome, and this run's is dropped, not retried.
 */
export async function settleLeftReleases(
  stateStore: Pick<StateStore, 'settleLeftRelease'>,
  groupName: string,
  steps: readonly LeftReleaseStep[],
  minSize: number,
): Promise<void> {
  for (const step of steps) {
    const settled = settleReleaseStep(step, minSize);
    if (settled.kind === 'untouched' && step.read.underWay === undefined) continue;
    const rest = settled.kind === 'owing' ? settled.change : step.change;
    await stateStore.settleLeftRelease(
      groupName,
      step.read,
      settled.kind === 'done' ? undefined : { ...rest, version: next(step) },
    );
  }
}

/** What the run's reason says of the releases it performs (a dry run's: would perform). */
export const leftReleasesReason = (steps: readonly LeftReleaseStep[]): string[] =>
  steps
    .filter((s) => s.toMinSize < s.fromMinSize)
    .map(
      ({ change: r, fromMinSize, toMinSize }) =>
        `release campaign ${r.campaignId} left to the loop: MinSize may come down ${fromMinSize} → ${toMinSize}, what its pre-warm added, as far as the run's need allows`,
    );
