import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import {
  forecastOf,
  scaleGroupsRun as run,
  scaleGroupsRaiseConfig,
  scaleGroupsSetup as setup,
} from '../../helpers/scale-groups-setup';

const CONFIG = scaleGroupsRaiseConfig();

/**
 * `web` at 3 of 3–10, allowed 5 over MaxSize, its load `need` instances' worth; the first run's
 * record is refused once (DynamoDB throttled past the SDK's retries) after the group was changed.
 */
function failingOnce(firstNeed: number) {
  let need = firstNeed;
  const built = setup(
    [groupSnapshot({ name: 'web', minSize: 3, maxSize: 10, desiredCapacity: 3 })],
    forecastOf(() => need * 60),
  );
  const recordRun = built.stateStore.recordRun.bind(built.stateStore);
  let refuse = true;
  built.stateStore.recordRun = async (...args: Parameters<typeof recordRun>) => {
    if (!refuse) return recordRun(...args);
    refuse = false;
    throw new Error('ProvisionedThroughputExceededException');
  };
  return { ...built, setNeed: (n: number) => (need = n) };
}

describe('scaleGroups when a run fails after it changed the group', () => {
  it('keeps the group’s own MaxSize, so the raise neither compounds nor stays', async () => {
    const built = failingOnce(13);
    const [first] = await scaleGroups(built.deps, CONFIG, [run(0)]);
    expect(first?.kind).toBe('failed');
    expect(built.scalingTarget.groups.get('web')?.maxSize).toBe(13);
    built.setNeed(20);
    await scaleGroups(built.deps, CONFIG, [run(1)]);
    // Within the group's own 10 plus 5, not 13 plus 5.
    expect(built.scalingTarget.groups.get('web')?.maxSize).toBe(15);
    built.setNeed(3);
    for (let tick = 2; tick < 14; tick += 1) await scaleGroups(built.deps, CONFIG, [run(tick)]);
    expect(built.scalingTarget.groups.get('web')?.maxSize).toBe(10);
  });

  it('keeps the group’s own MinSize, first seen, for the look-ahead to give back', async () => {
    const built = failingOnce(8);
    await scaleGroups(built.deps, CONFIG, [run(0)]);
    expect(built.scalingTarget.groups.get('web')?.minSize).toBe(8);
    await scaleGroups(built.deps, CONFIG, [run(1)]);
    expect((await built.stateStore.getGroupState('web'))?.userMinSize).toBe(3);
  });
});
