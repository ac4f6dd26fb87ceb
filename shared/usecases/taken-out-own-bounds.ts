import { prescaleMinSizesAt } from '../core/planning/look-ahead-give-back';
import type { CapacityChange, GroupBounds } from '../ports/scaling-target';
import type { ScheduledCapacityAction } from '../ports/scheduled-capacity';
import type { GroupState, StateStore } from '../ports/state-store';
import { ownerFloorNow } from './group-owner-floor';

/** A MinSize the release leaves as its owner set it, and the one Prescale's changes left. */
export interface MinSizeLeft {
  readonly minSize: number;
  readonly ownMinSize: number;
  readonly prescaleMinSizes: readonly number[];
}

/** Why the group keeps a MinSize above its own: its owner set it since Prescale's last run. */
export function minSizeLeftReason({ minSize, ownMinSize, prescaleMinSizes }: MinSizeLeft): string {
  const prescales = [...new Set(prescaleMinSizes)].sort((a, b) => a - b).join(' or ');
  return `MinSize ${minSize} is not the one Prescale left (${prescales}): left as its owner set it since, not lowered to its own ${ownMinSize}`;
}

/**
 * The group's own bounds where Prescale's are still on it: MinSize back down to `ownMin` (the
 * owner's scheduled MinSize of the moment, else the one Prescale first saw; never raised by the
 * release, never above MaxSize) while it is one Prescale's changes left (`prescales`,
 * `prescaleMinSizesOn`: one at another value is the owner's, set by hand since, and stays, named
 * in `minSizeLeft`), MaxSize back to the group's own while the raise Prescale recorded
 * is what the group has; the MinSize an unreleased campaign pre-warm raised it to is Prescale's too
 * (`takenOutPrewarms`: no loop run recorded it). A state written before Prescale's MinSize was kept cannot
 * tell, and gets its own MinSize back as before. DesiredCapacity is left to the group's own policies (or its owner).
 */
export function ownBounds(
  bounds: GroupBounds,
  state: Awaited<ReturnType<StateStore['getGroupState']>>,
  ownMin: number | undefined,
  [loops, prewarms]: readonly [readonly number[] | undefined, readonly number[] | undefined],
): { readonly restored: CapacityChange; readonly minSizeLeft?: MinSizeLeft } {
  // An unreleased pre-warm's raise is Prescale's too: no loop run recorded it. Without the loop's
  // (no state, or one written before they were kept) any MinSize above the own is taken for Prescale's.
  const prescales = loops === undefined ? undefined : [...loops, ...(prewarms ?? [])];
  const change: { minSize?: number; maxSize?: number } = {};
  const raiseStands =
    state?.originalMaxSize !== undefined &&
    state.raisedMaxSize !== undefined &&
    bounds.maxSize === state.raisedMaxSize;
  const maxSize = raiseStands ? (state?.originalMaxSize as number) : bounds.maxSize;
  if (maxSize !== bounds.maxSize) change.maxSize = maxSize;
  // `prescales` undefined (a state written before Prescale's MinSize was kept): any MinSize above
  // the group's own is taken for Prescale's, as before.
  let minSizeLeft: MinSizeLeft | undefined;
  if (ownMin !== undefined && bounds.minSize > Math.min(ownMin, maxSize)) {
    if (prescales === undefined || prescales.includes(bounds.minSize))
      change.minSize = Math.min(ownMin, maxSize);
    // The owner's MinSize, but never above the MaxSize given back.
    else if (bounds.minSize > maxSize) change.minSize = maxSize;
    else minSizeLeft = { minSize: bounds.minSize, ownMinSize: ownMin, prescaleMinSizes: prescales };
  } else if (bounds.minSize > maxSize) change.minSize = maxSize;
  return { restored: change, ...(minSizeLeft ? { minSizeLeft } : {}) };
}

/**
 * The group's own MinSize now: what the owner's own scheduled actions set last (a one-time one that
 * has run and still holds included, `ownerFloorNow`), if they set one, else the one Prescale first saw.
 */
export function ownMinSizeOf(
  existing: readonly ScheduledCapacityAction[],
  state: Awaited<ReturnType<StateStore['getGroupState']>>,
  bounds: GroupBounds,
  nowMs: number,
): number | undefined {
  return ownerFloorNow(state, existing, bounds, nowMs)?.minSize ?? state?.userMinSize;
}

/**
 * The MinSizes Prescale's own changes may have left on the group (`prescaleMinSizesAt`, as the
 * loop's held give-back reads them), and, where MinSize is none of those, the one each campaign
 * pre-warm release left to the loop and not performed yet would lower it from (`LeftRelease`: the
 * raise stands, and a group taken out gets no run to perform it). Read only then: most releases
 * need no query. Undefined in a state written before Prescale's MinSize was kept.
 */
export async function prescaleMinSizesOn(
  stateStore: Pick<StateStore, 'leftReleases'>,
  groupName: string,
  bounds: GroupBounds,
  state: GroupState | undefined,
  nowMs: number,
): Promise<readonly number[] | undefined> {
  const prescales = state ? prescaleMinSizesAt(state, nowMs) : undefined;
  if (prescales === undefined || prescales.includes(bounds.minSize)) return prescales;
  const left = await stateStore.leftReleases(groupName);
  return [...prescales, ...left.map((r) => r.settledAtMinSize ?? r.after.minSize)];
}
