import type { GroupSnapshot } from '../../shared/ports/scaling-target';
import type { ScheduledCapacityAction } from '../../shared/ports/scheduled-capacity';
import { FakeScalingTarget } from '../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../fakes/fake-scheduled-capacity';
import { MemoryCampaigns } from '../fakes/memory-campaigns';
import { MemoryStateStore } from '../fakes/memory-state-store';
import { RecordingGroupOwnership } from '../fakes/recording-group-ownership';

/**
 * What `removeLookAhead` and `releaseGroupsTakenOut` run on, all fakes: `groups` as Auto Scaling
 * has them, `actions` their scheduled actions by group name, `stateStore` (empty unless given),
 * ownership recorded on the same groups, and no campaign pre-warms. Its `sleep` returns at once,
 * moving `clock` on by the time asked (a test that sleeps sets `clock.ms` first), keeping each wait
 * asked in `slept` and then running `duringSleep` (what a run still under way does meanwhile), if a
 * test sets it.
 */
export function releaseGroupsDeps(
  groups: readonly GroupSnapshot[],
  actions: Record<string, readonly ScheduledCapacityAction[]> = {},
  stateStore = new MemoryStateStore(),
) {
  const scalingTarget = new FakeScalingTarget(groups);
  const slept: number[] = [];
  const clock = {
    ms: undefined as number | undefined,
    nowMs: () => {
      if (clock.ms === undefined) throw new Error('the test sleeps: set clock.ms to its start first');
      return clock.ms;
    },
  };
  const deps = {
    scalingTarget,
    scheduledCapacity: new FakeScheduledCapacity(actions),
    groupOwnership: new RecordingGroupOwnership({ target: scalingTarget }),
    stateStore,
    prewarms: new MemoryCampaigns(),
    slept,
    duringSleep: undefined as (() => Promise<void>) | undefined,
    clock,
    sleep: async (ms: number) => {
      slept.push(ms);
      clock.ms = clock.nowMs() + ms;
      await deps.duringSleep?.();
    },
  };
  return deps;
}
