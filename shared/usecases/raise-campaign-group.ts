import { GROUP_TAGS } from '../contracts/env';
import type { GroupSettings } from '../contracts/group-settings-schema';
import { rebasePrewarm } from '../core/campaigns/plan-prewarm';
import { isLookAheadAction } from '../core/planning/diff-look-ahead';
import { lowestOwnerMaxSizeRun } from '../core/planning/look-ahead-owner-bounds';
import { type PrewarmRecord, recordedByLaterVersion, type StoredCampaign } from '../ports/campaign-store';
import type { Clock } from '../ports/clock';
import type { GroupOwnership } from '../ports/group-ownership';
import type { GroupSnapshot } from '../ports/scaling-target';
import { type LeftRelease, releasesRaise, type StateStore } from '../ports/state-store';
import type { CampaignGroupResult } from './campaign-action-result';
import { campaignSkipReason } from './campaign-skip-reason';
import { loopLowersMinSize } from './loop-lowers-min-size';
import type { ReadGroupAgain } from './read-group-again';
import { type CampaignGroupRun, lowerToFloor, type ReleaseCampaignDeps } from './release-campaign-group';

/** What a pre-warm needs to record, apply and, after a release that missed it, take back its raise. */
export interface RaiseCampaignDeps extends ReleaseCampaignDeps {
  readonly stateStore: Pick<
    StateStore,
    'getGroupState' | 'leftRelease' | 'leftReleases' | 'leaveRelease' | 'settleLeftRelease'
  >;
  readonly groupOwnership: Pick<GroupOwnership, 'take' | 'deployment'>;
  readonly clock: Clock;
}

type Bounds = { readonly minSize: number; readonly desiredCapacity: number };

/**
 * Records the raise, then applies it, rebased on the group read again right before (`rebasedOnGroupNow`:
 * held since, it is neither recorded nor applied), unless the campaign's release has run since the pre-warm
 * read the campaign (a cancel's, while this invocation forecast): the record is read first, the
 * campaign again after it, and the raise recorded only over the record as read, so a release that
 * ran at any point before the record leaves a mark (`markReleased`, `markReleasedUnraised`) that
 * stops it, as an update past the version planned does (its own pre-warm raises); a record another
 * pre-warm wrote meanwhile is read again and recorded over (`recordRaise`), unless it holds a later
 * campaign version's raise, which no store lets an older version's replace. A later version's
 * raise recorded after this one's, read with the record again after the change, may have landed
 * first: what of this raise still stands is set to it, unless the group is held by then
 * (`yieldToLaterVersion`). A release that read
 * the group between the record and the raise landing lowered nothing of it (`releasedAtMinSize`
 * below `after`): where the loop never lowers MinSize, the pre-warm takes its raise back itself;
 * elsewhere the loop lowers it at its pace, as anything its plan does not need.
 */
export async function raiseCampaignGroup(
  deps: RaiseCampaignDeps,
  run: CampaignGroupRun,
  change: { readonly before: Bounds; readonly after: Bounds; readonly reason: string },
): Promise<CampaignGroupResult> {
  const { campaign, group } = run;
  const read = await deps.store.getPrewarm(campaign.campaignId, group.name);
  // Now, not when the invocation began: a release at the end finds a pre-warm begun before it.
  const stop = await stopReason(deps, campaign);
  if (stop !== undefined) return { kind: 'unchanged', groupName: group.name, reason: stop };
  // Before the raise, so that another deployment's loop holds the group rather than lowering it;
  // before the record too, so that a group that cannot be taken has no raise to release.
  if (group.tags[GROUP_TAGS.deployment] === undefined) await deps.groupOwnership.take(group.name);
  const landing = await rebasedOnGroupNow(deps, run, change);
  if (landing.kind !== 'raise') return landing.result;
  // Recorded before the change: the release must know about every raise that may have happened.
  const recorded = await recordRaise(deps, run, landing, read);
  if (recorded !== undefined) return { kind: 'unchanged', groupName: group.name, reason: recorded };
  const { minSize } = landing.after;
  await deps.scalingTarget.updateCapacity(group.name, landing.setsDesired ? landing.after : { minSize });
  const { before, reason } = landing;
  const raised = { kind: 'raised', groupName: group.name, before, after: landing.after, reason } as const;
  const after = await deps.store.getPrewarm(campaign.campaignId, group.name);
  // A later version's pre-warm recorded since this one's record: its raise is the one to keep.
  if (
    after &&
    after.releasedAtMs === undefined &&
    recordedByLaterVersion(after, { campaignVersion: campaign.version })
  ) {
    return yieldToLaterVersion(deps, run, raised, after);
  }
  const missed = (after?.releasedAtMinSize ?? Number.POSITIVE_INFINITY) < landing.after.minSize;
  if (!after || !missed || loopLowersMinSize(run.settings, group)) return raised;
  // The release left it to the loop too, in case this pre-warm was cut off before: one of the two
  // lowers it. One the loop has begun or performed is the loop's (it lowered from where the raise
  // landed; a MinSize raised since, by hand or for load, is not taken back a second time).
  const found = await deps.stateStore.leftRelease(group.name, campaign.campaignId);
  const left = found !== undefined && releasesRaise(found, after.raisedAtMs) ? found : undefined;
  const loops = {
    ...raised,
    reason: `${landing.reason}; the campaign's release ran meanwhile, and the loop lowers it`,
  };
  if (left && (left.performed || left.underWay !== undefined || (left.version ?? 0) > 0)) return loops;
  const [now] = await deps.scalingTarget.describeGroups({ names: [group.name] });
  if (!now) return raised;
  const state = await deps.stateStore.getGroupState(group.name);
  const claim = left && claimLeftRelease(deps, group.name, left, now.minSize);
  const taken = await lowerToFloor(deps, { ...run, record: after, group: now, state }, claim?.underWay);
  // Held since (a rolling update's lock, a refresh): the loop lowers it once the hold ends.
  if (taken.kind === 'held') return { ...loops, reason: `${loops.reason}; ${taken.reason}` };
  if (taken.kind !== 'lowered' && taken.kind !== 'unchanged') return taken;
  if (claim && !(await claim.performed()) && taken.kind === 'unchanged') return loops;
  return {
    ...taken,
    reason: `raised, then taken back: the campaign's release ran meanwhile; ${taken.reason}`,
  };
}

/**
 * The raise planned from the first read, rebased on the group read again right before it is
 * recorded and applied (`rebasePrewarm`), or the result where it is not to be applied: the group
 * held since (a rolling update's lock, a refresh begun), in forecast-only mode since, gone, or
 * already at the raise. Read before the record, so a raise never applied is never recorded (the
 * release would lower by it what others raised).
 */
async function rebasedOnGroupNow(
  deps: Pick<RaiseCampaignDeps, 'store' | 'scheduledCapacity'>,
  run: {
    readonly campaign: StoredCampaign;
    readonly group: GroupSnapshot;
    readonly settings: GroupSettings;
    readonly readAgain: ReadGroupAgain;
    readonly nowMs: number;
  },
  change: { readonly before: Bounds; readonly after: Bounds; readonly reason: string },
): Promise<
  | {
      readonly kind: 'raise';
      readonly before: Bounds;
      readonly after: Bounds;
      readonly setsDesired: boolean;
      readonly reason: string;
    }
  | { readonly kind: 'skip'; readonly result: CampaignGroupResult }
> {
  const groupName = run.group.name;
  const now = await run.readAgain(groupName);
  if (!now) {
    const reason = 'the group was deleted while the campaign acted on it';
    return { kind: 'skip', result: { kind: 'not-found', groupName, reason } };
  }
  if (now.hold.kind === 'hold') {
    const reason = `${now.hold.reason} (read again right before the raise)`;
    return { kind: 'skip', result: { kind: 'held', groupName, reason } };
  }
  const { group } = now;
  const owner = await ownerCeiling(deps, groupName, run.nowMs, run.campaign.endMs, group.maxSize);
  const rules = {
    hasScalingPolicies: group.hasScalingPolicies,
    floorCapacity: run.settings.floorCapacity,
    ...(owner ? { ceiling: owner.maxSize } : {}),
  };
  const rebased = rebasePrewarm(change.after, group, rules);
  const capped =
    owner && change.after.minSize > owner.maxSize ? `; ${owner.reason(change.after.minSize)}` : '';
  if (rebased.kind === 'unchanged') {
    const reason =
      (await laterRaiseReason(deps, run.campaign, groupName)) ??
      `${change.reason}${capped}; ${rebased.reason}`;
    return { kind: 'skip', result: { kind: 'unchanged', groupName, reason } };
  }
  const after = { minSize: rebased.minSize, desiredCapacity: rebased.desiredCapacity };
  const moved =
    after.minSize !== change.after.minSize || after.desiredCapacity !== change.after.desiredCapacity;
  const reason = moved
    ? `${change.reason}${capped}; set from the group read again (MinSize ${group.minSize}, DesiredCapacity ${group.desiredCapacity}, MaxSize ${group.maxSize})`
    : change.reason;
  if (now.hold.kind === 'dry-run') {
    const wouldSet = after;
    return {
      kind: 'skip',
      result: { kind: 'dry-run', groupName, reason: `${now.hold.reason}; ${reason}`, wouldSet },
    };
  }
  // Before as read now: what another actor raised since the first read is not the campaign's to
  // release (the release lowers by after − before).
  const before = { minSize: group.minSize, desiredCapacity: group.desiredCapacity };
  return { kind: 'raise', before, after, setsDesired: rebased.setsDesired, reason };
}

/**
 * The lowest MaxSize the owner's scheduled actions (not Prescale's look-ahead) set from now until
 * the campaign's release (`releaseMs`), where below the group's MaxSize now, with the sentence
 * naming it: the raise stands until the release, and a MinSize above that MaxSize would fail the
 * owner's action when it runs (Auto Scaling keeps MinSize ≤ MaxSize,
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/asg-capacity-limits.html).
 */
export async function ownerCeiling(
  deps: Pick<RaiseCampaignDeps, 'scheduledCapacity'>,
  groupName: string,
  nowMs: number,
  releaseMs: number,
  maxSizeNow: number,
): Promise<{ readonly maxSize: number; readonly reason: (neededMinSize: number) => string } | undefined> {
  const actions = await deps.scheduledCapacity.scheduledActions(groupName);
  const owners = actions.filter((a) => !isLookAheadAction(a.name));
  const run = lowestOwnerMaxSizeRun(owners, nowMs, Math.max(nowMs, releaseMs));
  if (!run || run.maxSize >= maxSizeNow) return undefined;
  const action = run.actionName ? `"${run.actionName}" ` : '';
  const at = new Date(run.atMs).toISOString();
  const release = new Date(releaseMs).toISOString();
  return {
    maxSize: run.maxSize,
    reason: (needed) =>
      `needed MinSize ${needed} but the owner's scheduled action ${action}sets MaxSize ${run.maxSize} at ${at}, before the campaign's release at ${release}: capped at it`,
  };
}

/**
 * Takes the release left to the loop as the loop's own runs do: marked under way (from the MinSize
 * read now) before the change, conditionally, so a loop run that began it first keeps it, and a
 * pre-warm cut off after the mark leaves the loop to resume it (`resumedRelease`: not landed, it
 * performs it; landed, it settles it); marked performed once lowered, or once nothing is to lower.
 */
function claimLeftRelease(
  deps: Pick<RaiseCampaignDeps, 'stateStore'>,
  groupName: string,
  left: LeftRelease,
  startMinSize: number,
): { underWay: (to: { readonly minSize: number }) => Promise<boolean>; performed: () => Promise<boolean> } {
  let held = left;
  return {
    underWay: async (to) => {
      const underWay = {
        fromMinSize: startMinSize,
        toMinSize: to.minSize,
        minSize: to.minSize,
        startMinSize,
      };
      const next = { ...left, underWay, version: (left.version ?? 0) + 1 };
      if (!(await deps.stateStore.settleLeftRelease(groupName, left, next))) return false;
      held = next;
      return true;
    },
    performed: () => deps.stateStore.settleLeftRelease(groupName, held, undefined),
  };
}

/** Records lost to other pre-warms before this one gives up (each a re-read and a conditional write). */
const RECORD_ATTEMPTS = 3;

/**
 * Records the raise over `read`, the record as the pre-warm read it; undefined once recorded, else
 * why not. A record changed since by a release (marked released) stops the raise. One changed by
 * another pre-warm (unreleased: an older version's still running, a second copy of this one) is
 * read again with the campaign, and the raise recorded over it, a bounded number of times, unless
 * it holds a later version's raise (which the store never records over: `recordedByLaterVersion`),
 * or the campaign has been cancelled, has ended or was updated past the version planned (that
 * version's own pre-warm raises then): so a newer version's raise is not dropped for an older one's.
 */
async function recordRaise(
  deps: RaiseCampaignDeps,
  run: { readonly campaign: StoredCampaign; readonly group: GroupSnapshot; readonly nowMs: number },
  change: { readonly before: Bounds; readonly after: Bounds },
  read: PrewarmRecord | undefined,
): Promise<string | undefined> {
  const { campaign, group } = run;
  const raise = {
    campaignId: campaign.campaignId,
    groupName: group.name,
    before: change.before,
    after: change.after,
    windowStartMs: campaign.startMs,
    raisedAtMs: run.nowMs,
    expiresAtMs: campaign.expiresAtMs,
    campaignVersion: campaign.version,
    // The group raised, not another created under its name before the release (`raisedOnAnotherGroup`).
    ...(group.arn ? { groupArn: group.arn } : {}),
  };
  let seen = read;
  for (let attempt = 1; ; attempt++) {
    if (await deps.store.recordPrewarm(raise, seen)) return undefined;
    seen = await deps.store.getPrewarm(campaign.campaignId, group.name);
    if (seen === undefined || seen.releasedAtMs !== undefined) {
      return "the campaign's release marked its record meanwhile";
    }
    if (recordedByLaterVersion(seen, raise)) return laterVersionReason(seen);
    if (attempt === RECORD_ATTEMPTS) return `other pre-warms changed its record ${attempt} times meanwhile`;
    const stop = await stopReason(deps, campaign);
    if (stop !== undefined) return stop;
  }
}

/**
 * Why the pre-warm of `campaign` (as it read it) must not record its raise now: the campaign
 * cancelled or ended since, or updated past the version planned. An applied update always sets its
 * own pre-warm, whose raise an older version's must not replace (a record over an unreleased one
 * is taken as a later raise of the same pre-warm: `recordedPrewarm`).
 */
async function stopReason(deps: RaiseCampaignDeps, campaign: StoredCampaign): Promise<string | undefined> {
  const now = await deps.store.get(campaign.campaignId);
  const skipped = campaignSkipReason(now, 'prewarm', deps.clock.nowMs());
  if (skipped !== undefined) return `${skipped} meanwhile`;
  if (now && now.version > campaign.version) {
    return `the campaign was updated to version ${now.version} meanwhile, whose pre-warm raises the group`;
  }
  return undefined;
}

/** The group already at the raise: named after a later version's pre-warm where that recorded one. */
async function laterRaiseReason(
  deps: Pick<RaiseCampaignDeps, 'store'>,
  campaign: StoredCampaign,
  groupName: string,
): Promise<string | undefined> {
  const seen = await deps.store.getPrewarm(campaign.campaignId, groupName);
  const later =
    seen?.releasedAtMs === undefined && recordedByLaterVersion(seen, { campaignVersion: campaign.version });
  return seen && later ? laterVersionReason(seen) : undefined;
}

const laterVersionReason = (record: PrewarmRecord) =>
  `the pre-warm of version ${record.campaignVersion} recorded its raise meanwhile`;

/**
 * Gives the group back to the raise a later campaign version's pre-warm recorded after this one's
 * record (`later`): that pre-warm may have applied its raise before this one landed over it. What
 * of this raise still stands (MinSize, DesiredCapacity as it set them) is set to the later raise,
 * never above the group's MaxSize or below its floor; what anything else set since is kept. The
 * group is read and its hold decided again first (`readAgain`), as before the raise: held since (a
 * rolling update's lock taken from the raise that landed, the kill switch, a refresh), nothing is
 * written; the later version's record stands, and the loop plans from it once the hold ends.
 */
async function yieldToLaterVersion(
  deps: Pick<RaiseCampaignDeps, 'scalingTarget'>,
  run: { readonly settings: GroupSettings; readonly readAgain: ReadGroupAgain },
  raised: {
    readonly groupName: string;
    readonly before: Bounds;
    readonly after: Bounds;
    readonly reason: string;
  },
  later: PrewarmRecord,
): Promise<CampaignGroupResult> {
  const { groupName, after: own } = raised;
  const reason = `${raised.reason}; ${laterVersionReason(later)}`;
  const read = await run.readAgain(groupName);
  if (!read)
    return { kind: 'not-found', groupName, reason: 'the group was deleted while the campaign acted on it' };
  if (read.hold.kind === 'hold') {
    const held = `${read.hold.reason} (read again before setting it to that raise), so this one's stands`;
    return { kind: 'held', groupName, reason: `${reason}; ${held}` };
  }
  const { group: now } = read;
  const minSize =
    now.minSize === own.minSize
      ? Math.min(now.maxSize, Math.max(run.settings.floorCapacity, later.after.minSize))
      : now.minSize;
  // Where scaling policies own DesiredCapacity, MinSize alone: Auto Scaling keeps desired within it.
  const desired =
    now.desiredCapacity === own.desiredCapacity && !now.hasScalingPolicies
      ? later.after.desiredCapacity
      : now.desiredCapacity;
  const target = { minSize, desiredCapacity: Math.min(now.maxSize, Math.max(minSize, desired)) };
  const before = { minSize: now.minSize, desiredCapacity: now.desiredCapacity };
  if (target.minSize === before.minSize && target.desiredCapacity === before.desiredCapacity) {
    // Reported as the group stands: the later raise, not this one's.
    return { kind: 'raised', ...raised, after: before, reason: `${reason}, which the group holds` };
  }
  if (read.hold.kind === 'dry-run') {
    // Reported, not written, as the raise would have been (the dry run is the invocation's).
    return { kind: 'dry-run', groupName, reason: `${read.hold.reason}; ${reason}`, wouldSet: target };
  }
  await deps.scalingTarget.updateCapacity(groupName, now.hasScalingPolicies ? { minSize } : target);
  const kind = target.minSize < before.minSize ? 'lowered' : 'raised';
  return { kind, groupName, before, after: target, reason: `${reason}, set over this one` };
}
