import { LOOK_AHEAD_PREFIX } from '../../core/planning/plan-look-ahead';
import type { SimulatedWorld } from '../world/simulated-world';

/**
 * The scheduled actions Prescale put (named `prescale-…`) on `groupNames` that Auto Scaling could
 * not apply when they fired (a Failed "Executing scheduled action" activity: inconsistent
 * MinSize/MaxSize/DesiredCapacity, say), as `group: name at ISO time: why`. Empty when every one
 * applied. A planner bug shows here, where the group's capacity alone may hide it.
 */
export function failedLookAheadActions(world: SimulatedWorld, groupNames: readonly string[]): string[] {
  return groupNames.flatMap((groupName) =>
    world.autoScaling.exists(groupName)
      ? world.autoScaling
          .failedScheduledActions(groupName)
          .filter((a) => a.name.startsWith(LOOK_AHEAD_PREFIX))
          .map((a) => `${groupName}: ${a.name} at ${new Date(a.firedAtMs).toISOString()}: ${a.message}`)
      : [],
  );
}
