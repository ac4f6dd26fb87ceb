import type { HoldDecision } from '../core/planning/decide-hold';
import { type OwnerScheduledAction, ownerMinSizeNow } from '../core/planning/owner-scheduled-min-size';
import type { GroupSnapshot } from '../ports/scaling-target';
import type { LookAheadResult } from './sync-look-ahead';

/**
 * What a held run or a dry run says about a MinSize above the group's own that it leaves on the
 * group (Prescale's last pre-warm: such a run changes no bounds): which look-ahead action gives it
 * back and when, or that none does, so whoever reads the record knows whether the group returns to
 * its own MinSize by itself. The group's own is what the owner's scheduled actions hold now, else
 * `userMinSize` (first seen). Only where Prescale stands down (`HoldDecision.keepsGiveBack`): nothing
 * for a run that may act, a group another deployment manages, or one a rolling update, an instance
 * refresh or suspended processes hold.
 */
export function minSizeLeftInPlace(
  group: Pick<GroupSnapshot, 'minSize'>,
  run: {
    readonly hold: HoldDecision;
    readonly userMinSize: number;
    readonly nowMs: number;
    /** The owner's scheduled actions as the run knows them (`GroupRunPlan.ownerActions`). */
    readonly ownerActions: readonly OwnerScheduledAction[];
    readonly lookAhead?: LookAheadResult;
  },
): string | undefined {
  const { hold, lookAhead } = run;
  // Not while another actor changes the group's capacity (a rolling update's headroom is a MinSize
  // of its own), nor on another deployment's group: the MinSize there is not Prescale's to name.
  if (hold.kind === 'proceed' || hold.keepsGiveBack !== true) return undefined;
  const own = ownerMinSizeNow(run.ownerActions, run.nowMs)?.minSize ?? run.userMinSize;
  if (group.minSize <= own) return undefined;
  const above = `MinSize ${group.minSize} is above the group's own ${own}`;
  const giveBack =
    lookAhead?.kind === 'cleared' || lookAhead?.kind === 'dry-run' ? lookAhead.givesBack : undefined;
  const whileHeld = hold.kind === 'dry-run' ? 'in a dry run' : 'while held';
  if (giveBack === undefined)
    return `${above}, left in place ${whileHeld}: no look-ahead action gives it back; the next run that may act lowers it, or set it back by hand`;
  const sizes = `MinSize ${giveBack.minSize}${giveBack.maxSize !== undefined ? ` and MaxSize ${giveBack.maxSize}` : ''}`;
  return `${above}: the look-ahead's last action "${giveBack.name}", kept ${whileHeld}, gives back ${sizes} at ${new Date(giveBack.startMs).toISOString()}`;
}
