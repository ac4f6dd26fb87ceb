import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import {
  forecastOf,
  scaleGroupsConfig,
  scaleGroupsItem,
  scaleGroupsSetup,
} from '../../helpers/scale-groups-setup';

/**
 * The MinSize the group state says Prescale left (`prescaleMinSize`), which a kept give-back
 * lowers only from: a run at the group's bounds records them as Prescale's only when it went ahead.
 */
describe('scaleGroups: the MinSize Prescale left, on a group already at its plan', () => {
  const atPlan = () =>
    scaleGroupsSetup(
      [groupSnapshot({ name: 'web', minSize: 4, desiredCapacity: 4, inServiceCapacity: 4, maxSize: 20 })],
      forecastOf(() => 240), // 4 instances at 60: nothing to change
    );

  it('is the MinSize a run that went ahead found', async () => {
    const built = atPlan();
    const [result] = await scaleGroups(built.deps, scaleGroupsConfig(), [scaleGroupsItem()]);
    expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'unchanged' } });
    expect(built.stateStore.states.get('web')?.prescaleMinSize).toBe(4);
  });

  it('is not what a dry run found: the MinSize may be the operator’s', async () => {
    const built = atPlan();
    const [result] = await scaleGroups(built.deps, scaleGroupsConfig({ dryRun: true }), [scaleGroupsItem()]);
    expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'unchanged' } });
    expect(built.stateStore.states.get('web')?.prescaleMinSize).toBeUndefined();
  });
});
