import type { GroupSettings } from '../contracts/group-settings-schema';
import { planRelease } from '../core/campaigns/plan-release';
import type { HoldDecision } from '../core/planning/decide-hold';
import type { CampaignCalendar } from '../ports/campaign-calendar';
import type { CampaignStore, StoredCampaign } from '../ports/campaign-store';
import type { GroupSnapshot, ScalingTarget } from '../ports/scaling-target';
import type { CampaignGroupResult } from './campaign-action-result';

/** What a release needs of the pre-warm Lambda's dependencies. */
export interface ReleaseCampaignDeps {
  readonly store: CampaignStore;
  readonly calendar: CampaignCalendar;
  readonly scalingTarget: ScalingTarget;
}

/**
 * Lowers one group by what the campaign's pre-warm recorded raising, never below its floor now
 * (`planRelease`), once: the record is marked released. Left to the loop where another campaign
 * is on the group.
 */
export async function releaseGroup(
  deps: ReleaseCampaignDeps,
  campaign: StoredCampaign,
  group: GroupSnapshot,
  settings: GroupSettings,
  hold: HoldDecision,
  nowMs: number,
): Promise<CampaignGroupResult> {
  const record = await deps.store.getPrewarm(campaign.campaignId, group.name);
  if (!record) return { kind: 'unchanged', groupName: group.name, reason: 'the pre-warm raised nothing' };
  if (record.releasedAtMs !== undefined) {
    return { kind: 'unchanged', groupName: group.name, reason: 'released already' };
  }
  // What this pre-warm added was sized on the load before the campaign; with another campaign on
  // the group, lowering it by that much may cut what the other still needs, terminating instances
  // mid-campaign. The loop plans every campaign on the group and lowers at its own pace instead.
  const soonMs = nowMs + settings.defaultLeadTimeSeconds * 1000 + 1;
  const others = (await deps.calendar.campaignsFor(group.name, nowMs, soonMs)).filter(
    (c) => c.campaignId !== campaign.campaignId,
  );
  if (others.length > 0) {
    if (hold.kind !== 'dry-run') await deps.store.markReleased(campaign.campaignId, group.name, nowMs);
    const names = others.map((c) => c.campaignId).join(', ');
    return {
      kind: 'unchanged',
      groupName: group.name,
      reason: `left to the loop: campaign ${names} is on the group too, and the loop lowers at its pace what they no longer need`,
    };
  }
  const plan = planRelease(record, group, {
    hasScalingPolicies: group.hasScalingPolicies,
    floorCapacity: settings.floorCapacity,
  });
  if (plan.kind === 'unchanged') {
    await deps.store.markReleased(campaign.campaignId, group.name, nowMs);
    return { kind: 'unchanged', groupName: group.name, reason: plan.reason };
  }
  const before = { minSize: group.minSize, desiredCapacity: group.desiredCapacity };
  const after = { minSize: plan.minSize, desiredCapacity: plan.desiredCapacity };
  const reason = [
    `lowered what the pre-warm added (MinSize ${record.before.minSize} → ${record.after.minSize})`,
    ...(plan.heldAtFloor ? [`MinSize held at the group's floor ${plan.minSize}`] : []),
  ].join('; ');
  if (hold.kind === 'dry-run') {
    return { kind: 'dry-run', groupName: group.name, reason: `${hold.reason}; ${reason}`, wouldSet: after };
  }
  await deps.scalingTarget.updateCapacity(group.name, after);
  await deps.store.markReleased(campaign.campaignId, group.name, nowMs);
  return { kind: 'lowered', groupName: group.name, before, after, reason };
}
