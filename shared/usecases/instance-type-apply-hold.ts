import type { GroupSnapshot } from '../ports/scaling-target';
import { decideGroupHold } from './decide-group-hold';
import type { GroupContext } from './instance-type-selection-context';
import { ignoredTagReasons, resolveGroupSettings } from './resolve-group-settings';

/** Without a state store (no rolling-update workflow deployed) no lock can be held. */
const NO_LOCKS = { getLock: async () => undefined };

/**
 * Why the scaling loop's holds keep an instance-type change off `group` now, or undefined: the
 * kill switch (read now), the pause tag (any value but `false`, in any case), a lock, a refresh,
 * suspended processes, forecast-only mode, another deployment managing it. A dry run is handled
 * by the caller, reporting what it would do. An EC2 predictive scaling policy sets capacity, not
 * instance types: it does not hold a change. Run on the first read and again on the group as
 * re-read right before the change, so a pause or a mode set meanwhile is honoured. The reason names
 * the group's tags that could not be read.
 * @throws what the kill switch's read and `StateStore.getLock` throw.
 */
export async function instanceTypeApplyHold(
  { deps, config }: GroupContext,
  group: GroupSnapshot,
): Promise<string | undefined> {
  const { mode, ignoredTags } = resolveGroupSettings(config, group.name, group.tags);
  const hold = await decideGroupHold(deps.stateStore ?? NO_LOCKS, group, {
    mode,
    dryRun: false,
    globallyPaused: await deps.isGloballyPaused(),
    nowMs: deps.clock.nowMs(),
    deployment: deps.deployment,
    changesCapacity: false,
  });
  if (hold.kind !== 'hold') return undefined;
  // Named as the loop names it: a mistyped prescale:mode is often why the group is held.
  return [hold.reason, ...ignoredTagReasons(ignoredTags)].join('; ');
}
