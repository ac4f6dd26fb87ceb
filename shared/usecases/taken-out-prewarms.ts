import { GROUP_TAGS } from '../contracts/env';
import { type CampaignRunStore, type PrewarmRecord, raisedOnAnotherGroup } from '../ports/campaign-store';
import type { GroupOwnership } from '../ports/group-ownership';
import type { GroupBounds } from '../ports/scaling-target';

/**
 * The group's unreleased campaign pre-warms (`unreleasedPrewarms`): every record, to mark released
 * with the give-back; the MinSizes those raised on this group left (`afters`: not one raised on a
 * group of the same name since replaced, `raisedOnAnotherGroup`), which are Prescale's to give
 * back; and the lowest MinSize they raised from (`before`), the group's own where no loop run
 * recorded one (a pre-warm takes an unowned group before any run). Undefined without any.
 */
export async function takenOutPrewarms(
  deps: {
    readonly prewarms: Pick<CampaignRunStore, 'unreleasedPrewarms'>;
    readonly groupOwnership: Pick<GroupOwnership, 'deployment'>;
  },
  groupName: string,
  bounds: GroupBounds,
): Promise<
  | {
      readonly records: readonly PrewarmRecord[];
      readonly afters: readonly number[];
      readonly before?: number;
    }
  | undefined
> {
  const records = await deps.prewarms.unreleasedPrewarms(groupName);
  if (records.length === 0) return undefined;
  const deployment = { deploymentTagKey: GROUP_TAGS.deployment, deployment: deps.groupOwnership.deployment };
  const own = records.filter((r) => !raisedOnAnotherGroup(r, bounds, deployment));
  const afters = own.map((r) => r.after.minSize);
  const raisedFrom = own.filter((r) => r.after.minSize === bounds.minSize).map((r) => r.before.minSize);
  return { records, afters, ...(raisedFrom.length > 0 ? { before: Math.min(...raisedFrom) } : {}) };
}
