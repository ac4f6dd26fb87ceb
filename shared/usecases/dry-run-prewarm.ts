import type { GroupSettings } from '../contracts/group-settings-schema';
import { rebasePrewarm } from '../core/campaigns/plan-prewarm';
import type { StoredCampaign } from '../ports/campaign-store';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { CampaignGroupResult } from './campaign-action-result';
import { ownerCeiling, type RaiseCampaignDeps } from './raise-campaign-group';

/**
 * What a pre-warm in a dry run would set, bounded as the raise it stands for would be
 * (`rebasePrewarm`: the group's MaxSize, the floor, and the MaxSize the owner's scheduled actions
 * set before the campaign's release), so the dry run reports what a live run would write, not
 * more. Nothing is taken, recorded or written.
 */
export async function dryRunPrewarm(
  deps: Pick<RaiseCampaignDeps, 'scheduledCapacity'>,
  run: {
    readonly campaign: StoredCampaign;
    readonly group: GroupSnapshot;
    readonly settings: GroupSettings;
    readonly holdReason: string;
    readonly nowMs: number;
  },
  change: {
    readonly after: { readonly minSize: number; readonly desiredCapacity: number };
    readonly reason: string;
  },
): Promise<CampaignGroupResult> {
  const { group } = run;
  const owner = await ownerCeiling(deps, group.name, run.nowMs, run.campaign.endMs, group.maxSize);
  const rebased = rebasePrewarm(change.after, group, {
    hasScalingPolicies: group.hasScalingPolicies,
    floorCapacity: run.settings.floorCapacity,
    ...(owner ? { ceiling: owner.maxSize } : {}),
  });
  const capped =
    owner && change.after.minSize > owner.maxSize ? `; ${owner.reason(change.after.minSize)}` : '';
  if (rebased.kind === 'unchanged') {
    const holds = `MinSize ${group.minSize}, DesiredCapacity ${group.desiredCapacity}`;
    const reason = `${change.reason}${capped}; the group already holds what a raise could set (${holds})`;
    return { kind: 'unchanged', groupName: group.name, reason };
  }
  const wouldSet = { minSize: rebased.minSize, desiredCapacity: rebased.desiredCapacity };
  const reason = `${run.holdReason}; ${change.reason}${capped}`;
  return { kind: 'dry-run', groupName: group.name, reason, wouldSet };
}
