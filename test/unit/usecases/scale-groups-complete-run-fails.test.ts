import { TransientDependencyError } from '../../../shared/ports/errors';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import {
  forecastOf,
  scaleGroupsConfig,
  scaleGroupsItem,
  scaleGroupsSetup as setup,
} from '../../helpers/scale-groups-setup';

describe('scaleGroups when marking a run done fails after it scaled the group', () => {
  it('keeps the run as ran, with the claim left to its lease, so no dead letter or failure counts a run that succeeded', async () => {
    const built = setup(
      [groupSnapshot({ name: 'web', minSize: 2, maxSize: 20, desiredCapacity: 2 })],
      forecastOf(() => 600),
    );
    const released: number[] = [];
    const releaseRun = built.stateStore.releaseRun.bind(built.stateStore);
    built.stateStore.releaseRun = async (groupName, tickMs) => {
      released.push(tickMs);
      return releaseRun(groupName, tickMs);
    };
    // DynamoDB throttled past the SDK's retries, after the group was changed and the run recorded.
    built.stateStore.completeRun = async () => {
      throw new TransientDependencyError('DynamoDB', 'UpdateItem', {
        cause: new Error('ThrottlingException'),
      });
    };
    const [result] = await scaleGroups(built.deps, scaleGroupsConfig(), [scaleGroupsItem()]);
    expect(result).toMatchObject({
      kind: 'ran',
      outcome: { kind: 'applied' },
      claimNotCompleted: expect.stringContaining('TransientDependencyError'),
    });
    expect(built.scalingTarget.groups.get('web')?.minSize).toBe(10);
    expect(await built.stateStore.latestRunRecord('web', 0)).toMatchObject({ outcome: { kind: 'applied' } });
    // The claim is not given back: the lease runs out by itself, and a second delivery finds it held.
    expect(released).toEqual([]);
    const [again] = await scaleGroups(built.deps, scaleGroupsConfig(), [scaleGroupsItem()]);
    expect(again?.kind).toBe('duplicate');
  });
});
