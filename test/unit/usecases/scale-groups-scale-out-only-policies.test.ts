import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import {
  scaleGroupsConfig as config,
  forecastOf,
  scaleGroupsItem as item,
  scaleGroupsSetup as setup,
} from '../../helpers/scale-groups-setup';

describe('scaleGroups on a group whose own policies never scale in', () => {
  it.each([
    [true, "the group's scaling policies never scale in: predictive scale-in alone releases capacity"],
    [false, 'predictive scale-in is off: nothing releases capacity above MinSize'],
  ])('with predictive scale-in %s, says what releases capacity', async (scaleInAhead, said) => {
    const scaleOutOnly = groupSnapshot({
      name: 'web',
      minSize: 2,
      desiredCapacity: 2,
      hasScalingPolicies: true,
      policiesScaleIn: false,
    });
    const { deps } = setup(
      [scaleOutOnly],
      forecastOf(() => 900),
    );
    const [result] = await scaleGroups(deps, config({ defaults: { scaleInAhead } }), [item()]);
    expect(result?.kind === 'ran' && result.outcome.reason).toContain(said);
  });
});
