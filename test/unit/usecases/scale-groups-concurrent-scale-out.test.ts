import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import {
  forecastOf,
  scaleGroupsConfig,
  scaleGroupsItem,
  scaleGroupsSetup,
} from '../../helpers/scale-groups-setup';

/**
 * The batch describes its groups once, then plans each: beside the group's own policies, one of
 * them may scale out meanwhile. Prescale's change must not set DesiredCapacity back.
 */
describe('scaleGroups and a policy scale-out between the describe and the update', () => {
  function racedSetup(desiredMeanwhile: number) {
    const needs4 = forecastOf(() => 240); // 4 instances of 60
    const built = scaleGroupsSetup(
      [
        groupSnapshot({
          name: 'web',
          minSize: 2,
          desiredCapacity: 3,
          inServiceCapacity: 3,
          hasScalingPolicies: true,
        }),
      ],
      (input) => {
        const group = built.scalingTarget.groups.get('web');
        if (group) built.scalingTarget.groups.set('web', { ...group, desiredCapacity: desiredMeanwhile });
        return needs4(input);
      },
    );
    return built;
  }

  it('raises MinSize alone, so the policy’s larger DesiredCapacity stands', async () => {
    const built = racedSetup(8);
    await scaleGroups(built.deps, scaleGroupsConfig(), [scaleGroupsItem()]);
    expect(built.scalingTarget.updates.map((u) => u.change)).toEqual([{ minSize: 4 }]);
    expect(built.scalingTarget.groups.get('web')).toMatchObject({ minSize: 4, desiredCapacity: 8 });
  });

  it('still brings DesiredCapacity up to the new MinSize, as Auto Scaling does with MinSize alone', async () => {
    const built = racedSetup(3);
    await scaleGroups(built.deps, scaleGroupsConfig(), [scaleGroupsItem()]);
    expect(built.scalingTarget.groups.get('web')).toMatchObject({ minSize: 4, desiredCapacity: 4 });
  });
});
