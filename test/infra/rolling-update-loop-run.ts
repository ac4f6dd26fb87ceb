import type { RunOutcome } from '../../shared/ports/state-store';
import { scaleGroups } from '../../shared/usecases/scale-groups';
import { RecordingGroupOwnership } from '../fakes/recording-group-ownership';
import type { RollingUpdateWorld } from './rolling-update-harness';

/**
 * One scaling-loop run of `web` at the world's time, as the deployed loop makes it beside the
 * workflow: the workflow's lock (a state-table item in the harness) read by the loop as its own
 * store's lock, the kill switch and the group's tags as the world has them. Its run record lands
 * in the store the restore reads.
 */
export async function runScalingLoop(world: RollingUpdateWorld): Promise<RunOutcome> {
  const lock = world.lockItem();
  if (lock?.holder?.S !== undefined) {
    await world.stateStore.acquireLock({
      groupName: 'web',
      holder: lock.holder.S,
      acquiredAtMs: Number(lock.acquiredAtMs?.N),
      expiresAtMs: Number(lock.expiresAtMs?.N),
    });
  }
  const rateMs = world.config.scheduleRateMinutes * 60_000;
  const deps = {
    ...world.deps,
    groupOwnership: new RecordingGroupOwnership({ target: world.scalingTarget }),
  };
  const [result] = await scaleGroups(deps, world.config, [
    { groupName: 'web', tickMs: Math.floor(world.nowMs / rateMs) * rateMs },
  ]);
  if (result?.kind !== 'ran') throw new Error(`the loop did not run web: ${JSON.stringify(result)}`);
  return result.outcome;
}
