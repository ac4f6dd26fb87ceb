import { GROUP_TAGS } from '../contracts/env';
import type { LookAheadGiveBack } from '../core/planning/look-ahead-give-back';
import { type CampaignRunStore, type PrewarmRecord, raisedOnAnotherGroup } from '../ports/campaign-store';
import type { GroupOwnership } from '../ports/group-ownership';
import type { GroupBounds } from '../ports/scaling-target';
import type { ScheduledCapacityAction } from '../ports/scheduled-capacity';
import type { GroupState } from '../ports/state-store';
import { ownMinSizeOf } from './taken-out-own-bounds';

/** What `takenOutPrewarms` reads: the group's unreleased pre-warms, and whose group it is. */
interface TakenOutPrewarmsDeps {
  readonly prewarms: Pick<CampaignRunStore, 'unreleasedPrewarms'>;
  readonly groupOwnership: Pick<GroupOwnership, 'deployment'>;
}

/**
 * The group's unreleased campaign pre-warms (`unreleasedPrewarms`): every record, to mark released
 * with the give-back; the MinSizes those raised on this group left (`afters`: not one raised on a
 * group of the same name since replaced, `raisedOnAnotherGroup`), which are Prescale's to give
 * back; and the lowest MinSize they raised from (`before`), the group's own where no loop run
 * recorded one (a pre-warm takes an unowned group before any run). Undefined without any.
 */
export async function takenOutPrewarms(
  deps: TakenOutPrewarmsDeps,
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

/**
 * Where the group's MinSize is still the one an unreleased campaign pre-warm raised it to, and the
 * release leaves its bounds (held at stack deletion, paused, forecast-only): why it stays, what
 * gives it back (the look-ahead's last action, kept) or the command that does. Undefined where no
 * such raise stands. Its records stay unreleased: a campaign release, should the group be enrolled
 * again before it, lowers it still.
 */
export async function prewarmLeftReason(
  deps: TakenOutPrewarmsDeps,
  groupName: string,
  bounds: GroupBounds,
  existing: readonly ScheduledCapacityAction[],
  state: GroupState | undefined,
  nowMs: number,
  givesBack: LookAheadGiveBack | undefined,
): Promise<string | undefined> {
  const prewarms = await takenOutPrewarms(deps, groupName, bounds);
  if (!prewarms?.afters.includes(bounds.minSize)) return undefined;
  const campaigns = [...new Set(prewarms.records.map((r) => r.campaignId))].sort().join(', ');
  const raise = `MinSize ${bounds.minSize} is campaign ${campaigns}'s pre-warm raise, which no campaign release lowers now`;
  if (givesBack && givesBack.minSize < bounds.minSize)
    return `${raise}: its look-ahead's last action gives MinSize ${givesBack.minSize} back at ${new Date(givesBack.startMs).toISOString()}`;
  const own = ownMinSizeOf(existing, state, bounds, nowMs) ?? prewarms.before;
  if (own === undefined || own >= bounds.minSize) return `${raise}: lower it by hand when you want`;
  // An Auto Scaling group name may hold spaces and quotes: quoted for a POSIX shell where it does.
  const name = /^[\w.-]+$/.test(groupName) ? groupName : `'${groupName.replaceAll("'", "'\\''")}'`;
  return `${raise}: set its own MinSize ${own} back by hand: aws autoscaling update-auto-scaling-group --auto-scaling-group-name ${name} --min-size ${own}`;
}
