import { GROUP_TAGS } from '../contracts/env';
import type { GroupSettings } from '../contracts/group-settings-schema';
import { type PrewarmChange, planRelease, type ReleasePlan } from '../core/campaigns/plan-release';
import type { HoldDecision } from '../core/planning/decide-hold';
import { type OwnerMinSizeRun, ownerMinSizeSource } from '../core/planning/owner-scheduled-min-size';
import type { CampaignCalendar } from '../ports/campaign-calendar';
import {
  type CampaignRunStore,
  type PrewarmRecord,
  raisedForEarlierStart,
  raisedOnAnotherGroup,
  type StoredCampaign,
} from '../ports/campaign-store';
import type { GroupOwnership } from '../ports/group-ownership';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { ScheduledCapacity } from '../ports/scheduled-capacity';
import { type GroupState, type LeftRelease, releasesRaise, type StateStore } from '../ports/state-store';
import type { CampaignGroupResult } from './campaign-action-result';
import { ownerFloorNow } from './group-owner-floor';
import { loopLowersMinSize } from './loop-lowers-min-size';
import type { ReadGroupAgain } from './read-group-again';
import { storedLeadTime } from './stored-lead-time';

/** What a release needs of the pre-warm Lambda's dependencies. */
export interface ReleaseCampaignDeps {
  readonly store: CampaignRunStore;
  readonly calendar: CampaignCalendar;
  readonly scalingTarget: ScalingTarget;
  /** The group's own recurring actions: the MinSize their schedule holds now is a floor too. */
  readonly scheduledCapacity: Pick<ScheduledCapacity, 'scheduledActions'>;
  /**
   * Learned lead times: another campaign starting within one keeps the pre-warm; and the releases
   * left to the loop (by an earlier attempt, or for another campaign on the group).
   */
  readonly stateStore: Pick<StateStore, 'getGroupState' | 'leftRelease' | 'leftReleases' | 'leaveRelease'>;
  /** This deployment's name: a record without the group's ARN is checked against its tag (`raisedOnAnotherGroup`). */
  readonly groupOwnership: Pick<GroupOwnership, 'deployment'>;
}

/**
 * Marks the group released where its pre-warm recorded no raise (`markReleasedUnraised`), so that
 * a pre-warm still running (a cancel's release comes while it forecasts) records and raises
 * nothing after this release. False where it recorded first: its raise is to release.
 */
export function markUnraised(
  deps: Pick<ReleaseCampaignDeps, 'store'>,
  campaign: StoredCampaign,
  group: GroupSnapshot,
  nowMs: number,
): Promise<boolean> {
  const bounds = { minSize: group.minSize, desiredCapacity: group.desiredCapacity };
  return deps.store.markReleasedUnraised({
    campaignId: campaign.campaignId,
    groupName: group.name,
    before: bounds,
    after: bounds,
    windowStartMs: campaign.startMs,
    raisedAtMs: nowMs,
    releasedAtMs: nowMs,
    expiresAtMs: campaign.expiresAtMs,
  });
}

/** One group's pre-warm or release as the campaign action decided it on its first read of the group. */
export interface CampaignGroupRun {
  readonly campaign: StoredCampaign;
  readonly group: GroupSnapshot;
  readonly settings: GroupSettings;
  readonly hold: HoldDecision;
  readonly nowMs: number;
  /** Reads the group again right before the change (`readGroupAgain`). */
  readonly readAgain: ReadGroupAgain;
}

/**
 * A release `hold` stops, where the group still carries the pre-warm's raise (`record`, unreleased
 * and made for the campaign's start as it stands). On a group Auto Scaling is deleting it is marked
 * released (the raise goes with it); under a rolling update's lock or an instance refresh it is
 * left to the loop (`leaveToLoop`), as the hold lifts by itself; under another hold it stays pending
 * (`releasePending`: the invocation fails and is retried).
 */
export async function heldRelease(
  deps: Pick<ReleaseCampaignDeps, 'store' | 'stateStore'>,
  run: Omit<CampaignGroupRun, 'hold' | 'readAgain'> & {
    readonly hold: Extract<HoldDecision, { kind: 'hold' }>;
    readonly record: PrewarmRecord | undefined;
  },
): Promise<CampaignGroupResult> {
  const { campaign, group, hold, record, nowMs } = run;
  // A raise for a start since postponed is left to the loop (`releaseGroup`): nothing to retry.
  if (!record || record.releasedAtMs !== undefined || raisedForEarlierStart(record, campaign.startMs)) {
    return { kind: 'held', groupName: group.name, reason: hold.reason };
  }
  const raise = `the pre-warm (MinSize ${record.before.minSize} → ${record.after.minSize})`;
  if (hold.deleting) {
    // Nothing left to lower: retrying until the dead-letter queue would page for a group that is gone.
    await deps.store.markReleased(campaign.campaignId, group.name, nowMs);
    return { kind: 'held', groupName: group.name, reason: `${hold.reason}; ${raise} goes with it` };
  }
  if (hold.liftsByItself) {
    // An update or a refresh outlasts Lambda's retries: the loop's runs after it lower MinSize at
    // their pace, or, where they never do, perform this release (`leftReleasesFor`), once.
    const atPace = loopLowersMinSize(run.settings, group);
    await leaveToLoop(deps, campaign, group.name, record, { atPace, nowMs });
    const how = atPace ? 'lowers MinSize at its pace' : 'performs this release';
    const reason = `${hold.reason}; ${raise} is left to the loop, which ${how} once the hold ends`;
    return { kind: 'held', groupName: group.name, reason };
  }
  const reason = `${hold.reason}; ${raise} is not released`;
  return { kind: 'held', groupName: group.name, reason, releasePending: true };
}

/**
 * Lowers one group by what the campaign's pre-warm recorded raising, never below its floor now
 * (`planRelease`), once: the record is marked released. The floor is the higher of the configured
 * one and the MinSize the owner's own recurring actions set last, so a release inside the owner's
 * business hours does not terminate what the schedule keeps and the loop's next run would launch
 * back. Left to the loop where another campaign is on the group (`leaveToLoop`).
 */
export async function releaseGroup(
  deps: ReleaseCampaignDeps,
  run: CampaignGroupRun,
): Promise<CampaignGroupResult> {
  const { campaign, group, settings, hold, nowMs } = run;
  const record = await deps.store.getPrewarm(campaign.campaignId, group.name);
  if (!record) {
    const nothing = {
      kind: 'unchanged',
      groupName: group.name,
      reason: 'the pre-warm raised nothing',
    } as const;
    if (hold.kind === 'dry-run' || (await markUnraised(deps, campaign, group, nowMs))) return nothing;
    return releaseGroup(deps, run);
  }
  if (record.releasedAtMs !== undefined) {
    return { kind: 'unchanged', groupName: group.name, reason: 'released already' };
  }
  // Deleted and created again under its name since the raise: lowering the new group by what was
  // added to the old one would cut its owner's own MinSize and terminate its instances.
  const deployment = { deploymentTagKey: GROUP_TAGS.deployment, deployment: deps.groupOwnership.deployment };
  if (raisedOnAnotherGroup(record, group, deployment)) {
    if (hold.kind !== 'dry-run') await deps.store.markReleased(campaign.campaignId, group.name, nowMs);
    return { kind: 'unchanged', groupName: group.name, reason: 'the group was replaced' };
  }
  // Left to the loop by an attempt whose mark failed (a throttle) before a hold lifted: the loop
  // performs it, or has, and what the group holds now may be the loop's own raise for load.
  if (releasesRaise(await deps.stateStore.leftRelease(group.name, campaign.campaignId), record.raisedAtMs)) {
    if (hold.kind !== 'dry-run') await deps.store.markReleased(campaign.campaignId, group.name, nowMs);
    return { kind: 'unchanged', groupName: group.name, reason: 'left to the loop by an earlier attempt' };
  }
  if (record.windowStartMs !== undefined && raisedForEarlierStart(record, campaign.startMs)) {
    // Raised for the start before a postponement: the loop has planned without the campaign since,
    // and what the group holds above the old `before` may be the loop's own by now.
    if (hold.kind !== 'dry-run') await deps.store.markReleased(campaign.campaignId, group.name, nowMs);
    const [raisedFor, movedTo] = [record.windowStartMs, campaign.startMs].map((ms) =>
      new Date(ms).toISOString(),
    );
    return {
      kind: 'unchanged',
      groupName: group.name,
      reason: `left to the loop: the pre-warm raised for the start ${raisedFor}, which an update moved to ${movedTo}`,
    };
  }
  const state = await deps.stateStore.getGroupState(group.name);
  const left = await leftToLoop(deps, { campaign, group, settings, hold, record, state, nowMs });
  if (left !== undefined) return left;
  const read = await groupAfterRaise(deps, group, record);
  if (read.minSize < record.after.minSize && hold.kind !== 'dry-run' && !loopLowersMinSize(settings, read)) {
    // The raise has not landed: the pre-warm takes it back once it has, but one cut off by its
    // timeout before it could would leave it for good where only a release lowers MinSize. Left
    // to the loop too, whose runs lower it once it lands (from a MinSize below it, nothing).
    await deps.stateStore.leaveRelease(group.name, leftReleaseOf(campaign, record, nowMs), record.raisedAtMs);
  }
  return lowerToFloor(deps, { ...run, record, group: read, state });
}

/**
 * The release left to the loop (`leaveToLoop`), or undefined where this release lowers the group
 * itself. What this pre-warm added was sized on the load before the campaign; with another
 * campaign on the group, lowering it by that much may cut what the other still needs, terminating
 * instances mid-campaign: the loop plans every campaign on the group and lowers at its own pace, or
 * performs this release once none keeps the floor. Where the loop performs the releases left to
 * it, one still pending may sit on top of this raise (its `after` at least this one's: a campaign
 * nested in this one ended first):
 * lowered here by what it added, this raise would stop that release at its `before` and stay for
 * good, so the loop performs both, the higher first (`releaseSteps`).
 */
async function leftToLoop(
  deps: ReleaseCampaignDeps,
  run: {
    readonly campaign: StoredCampaign;
    readonly group: GroupSnapshot;
    readonly settings: GroupSettings;
    readonly hold: HoldDecision;
    readonly record: PrewarmRecord;
    readonly state: GroupState | undefined;
    readonly nowMs: number;
  },
): Promise<CampaignGroupResult | undefined> {
  const { campaign, group, settings, nowMs } = run;
  const soonMs = nowMs + storedLeadTime(run.state, settings, group) * 1000 + 1;
  const others = (await deps.calendar.campaignsFor(group.name, nowMs, soonMs)).filter(
    (c) => c.campaignId !== campaign.campaignId,
  );
  const atPace = loopLowersMinSize(settings, group);
  const pending =
    atPace || others.length > 0
      ? []
      : (await deps.stateStore.leftReleases(group.name)).filter(
          (r) =>
            r.campaignId !== campaign.campaignId &&
            r.expiresAtMs > nowMs &&
            r.after.minSize >= run.record.after.minSize,
        );
  if (others.length === 0 && pending.length === 0) return undefined;
  if (run.hold.kind !== 'dry-run')
    await leaveToLoop(deps, campaign, group.name, run.record, { atPace, nowMs });
  const how = atPace
    ? 'the loop lowers at its pace what they no longer need'
    : 'the loop performs this release once no campaign keeps the floor';
  const ids = (others.length > 0 ? others : pending).map((c) => c.campaignId).join(', ');
  const reason =
    others.length > 0
      ? `campaign ${ids} is on the group too, and ${how}`
      : `the release of campaign ${ids} left to it before comes down first, then this one`;
  return { kind: 'unchanged', groupName: group.name, reason: `left to the loop: ${reason}` };
}

/** The release of `record` as left to the loop now, kept until the campaign's record expires. */
function leftReleaseOf(campaign: StoredCampaign, record: PrewarmRecord, nowMs: number): LeftRelease {
  const { campaignId, expiresAtMs } = campaign;
  return { campaignId, before: record.before, after: record.after, leftAtMs: nowMs, expiresAtMs };
}

/**
 * Marks the raise released and leaves it to the loop: where its runs lower MinSize at their pace,
 * they lower what their plan no longer needs; where they never do, only a release lowers it, so it
 * is written as a `LeftRelease` the loop performs (`leftReleasesFor`: once no campaign keeps the
 * floor, never below the floor or the run's need). Left before the mark: a retry whose first
 * attempt left it, and failed to mark it, leaves it as the loop made it (`leaveRelease`).
 */
export async function leaveToLoop(
  deps: Pick<ReleaseCampaignDeps, 'store' | 'stateStore'>,
  campaign: StoredCampaign,
  groupName: string,
  record: PrewarmRecord,
  run: { readonly atPace: boolean; readonly nowMs: number },
): Promise<void> {
  if (!run.atPace) {
    await deps.stateStore.leaveRelease(
      groupName,
      leftReleaseOf(campaign, record, run.nowMs),
      record.raisedAtMs,
    );
  }
  await deps.store.markReleased(campaign.campaignId, groupName, run.nowMs);
}

/**
 * The group as it is where the snapshot shows less than the recorded raise: read before the raise
 * landed (the pre-warm recorded, raised and found its record unreleased meanwhile), planning from
 * it would lower nothing and leave the raise for good. Read again, the raise is seen and lowered;
 * one still not landed is taken back by the pre-warm itself (`raiseCampaignGroup`).
 */
async function groupAfterRaise(
  deps: Pick<ReleaseCampaignDeps, 'scalingTarget'>,
  group: GroupSnapshot,
  record: PrewarmChange,
): Promise<GroupSnapshot> {
  if (group.minSize >= record.after.minSize) return group;
  const [now] = await deps.scalingTarget.describeGroups({ names: [group.name] });
  return now?.name === group.name ? now : group;
}

/**
 * Lowers what the pre-warm added, down to the floor or the owner's scheduled MinSize at most (a
 * one-time action that has run included, as the loop keeps it: `ownerFloorNow`), planned on the
 * group read again right before the change (`readAgain`): held since, the release is as a hold
 * found at the first read makes it (`heldRelease`); DesiredCapacity is left out where scaling
 * policies own it, so what they launched since the first read is not terminated. `claim`, called
 * with the bounds it would set right before it sets them, may refuse (another actor took the
 * release): nothing is lowered then.
 */
export async function lowerToFloor(
  deps: ReleaseCampaignDeps,
  run: Omit<CampaignGroupRun, 'group'> & {
    readonly record: PrewarmRecord;
    readonly group: GroupSnapshot;
    readonly state: GroupState | undefined;
  },
  claim?: (after: { readonly minSize: number; readonly desiredCapacity: number }) => Promise<boolean>,
): Promise<CampaignGroupResult> {
  const { campaign, record, settings, nowMs, state } = run;
  const actions = await deps.scheduledCapacity.scheduledActions(run.group.name);
  // A dry run changes nothing: the group as first read is what it reports on.
  const now =
    run.hold.kind === 'dry-run' ? { group: run.group, hold: run.hold } : await run.readAgain(run.group.name);
  if (!now) {
    const reason = 'the group was deleted while the campaign acted on it';
    return { kind: 'not-found', groupName: run.group.name, reason };
  }
  if (now.hold.kind === 'hold') {
    const hold = { ...now.hold, reason: `${now.hold.reason} (read again right before the release)` };
    return heldRelease(deps, { ...run, group: now.group, hold });
  }
  const { group, hold } = now;
  // A one-time action Auto Scaling has run is no longer listed: the loop's state still holds it.
  const owner = ownerFloorNow(state, actions, group, nowMs);
  const ownerAbove = owner !== undefined && owner.minSize > settings.floorCapacity ? owner : undefined;
  const plan = planRelease(record, group, {
    hasScalingPolicies: group.hasScalingPolicies,
    floorCapacity: ownerAbove?.minSize ?? settings.floorCapacity,
  });
  // With the MinSize it read: one below the raise was read before the raise landed (`raiseCampaignGroup`).
  if (plan.kind === 'unchanged') {
    await deps.store.markReleased(campaign.campaignId, group.name, nowMs, group.minSize);
    const heldByOwner =
      ownerAbove !== undefined &&
      group.minSize <= ownerAbove.minSize &&
      group.minSize > record.before.minSize;
    const reason = heldByOwner
      ? `MinSize held at ${group.minSize}, set by ${ownerMinSizeSource(ownerAbove)}`
      : plan.reason;
    return { kind: 'unchanged', groupName: group.name, reason };
  }
  const before = { minSize: group.minSize, desiredCapacity: group.desiredCapacity };
  const after = { minSize: plan.minSize, desiredCapacity: plan.desiredCapacity };
  const reason = loweredReason(record, plan, ownerAbove);
  if (hold.kind === 'dry-run') {
    return { kind: 'dry-run', groupName: group.name, reason: `${hold.reason}; ${reason}`, wouldSet: after };
  }
  if (claim !== undefined && !(await claim(after))) {
    return { kind: 'unchanged', groupName: group.name, reason: 'the loop has begun its release left to it' };
  }
  const { minSize } = after;
  await deps.scalingTarget.updateCapacity(group.name, group.hasScalingPolicies ? { minSize } : after);
  await deps.store.markReleased(campaign.campaignId, group.name, nowMs, group.minSize);
  return { kind: 'lowered', groupName: group.name, before, after, reason };
}

/** Why the release lowers the group as `plan` does, naming what held MinSize where something did. */
function loweredReason(
  record: PrewarmChange,
  plan: Extract<ReleasePlan, { kind: 'lower' }>,
  ownerAbove: OwnerMinSizeRun | undefined,
): string {
  const lowered = `lowered what the pre-warm added (MinSize ${record.before.minSize} → ${record.after.minSize})`;
  if (!plan.heldAtFloor) return lowered;
  const held = ownerAbove
    ? `MinSize held at ${plan.minSize}, set by ${ownerMinSizeSource(ownerAbove)}`
    : `MinSize held at the group's floor ${plan.minSize}`;
  return `${lowered}; ${held}`;
}
