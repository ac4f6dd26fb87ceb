import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import {
  forecastOf,
  scaleGroupsConfig,
  scaleGroupsItem,
  scaleGroupsSetup,
} from '../../helpers/scale-groups-setup';

/** One run of `web` at `scheduleRateMinutes` before a rise from 600 to 1200 five steps (25 minutes) ahead. */
async function runBeforeRise(scheduleRateMinutes: number) {
  const { deps, scalingTarget } = scaleGroupsSetup(
    [groupSnapshot({ name: 'web', minSize: 2, desiredCapacity: 2, maxSize: 50 })],
    forecastOf((h) => (h >= 5 ? 1200 : 600)),
  );
  const [result] = await scaleGroups(deps, scaleGroupsConfig({ scheduleRateMinutes }), [scaleGroupsItem()]);
  return {
    minSize: scalingTarget.groups.get('web')?.minSize,
    reason: result?.kind === 'ran' ? result.outcome.reason : '',
  };
}

describe('scaleGroups at the configured schedule rate', () => {
  it('covers the load until the next run’s launches are in service: the lead time plus its own interval', async () => {
    // The 10-minute lead time plus 5 minutes reaches 12:15, before the rise: 600 at 60.
    expect(await runBeforeRise(5)).toMatchObject({
      minSize: 10,
      reason: expect.stringContaining('by 2026-03-02T12:15'),
    });
    // Plus 15 minutes it reaches 12:25, the rise: the next run would launch too late for it.
    expect(await runBeforeRise(15)).toMatchObject({
      minSize: 20,
      reason: expect.stringContaining('by 2026-03-02T12:25'),
    });
  });
});
