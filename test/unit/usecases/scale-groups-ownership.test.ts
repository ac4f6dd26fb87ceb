import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import {
  scaleGroupsConfig as config,
  forecastOf,
  scaleGroupsItem as item,
  SCALE_GROUPS_NOW_MS as NOW,
  scaleGroupsSetup as setup,
} from '../../helpers/scale-groups-setup';

const group = (tags: Record<string, string> = {}) =>
  groupSnapshot({ name: 'web', minSize: 2, desiredCapacity: 2, tags });

describe('scaleGroups and the deployment that manages a group', () => {
  it('takes a group no deployment owns before its first change, once', async () => {
    const { deps, scalingTarget, groupOwnership } = setup(
      [group()],
      forecastOf(() => 900),
    );
    const [first] = await scaleGroups(deps, config(), [item()]);
    expect(first).toMatchObject({ kind: 'ran', outcome: { kind: 'applied' } });
    expect(groupOwnership.taken).toEqual(['web']);
    expect(scalingTarget.groups.get('web')?.tags['prescale:deployment']).toBe('Prescale');
    await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW + 300_000 }]);
    expect(groupOwnership.taken).toEqual(['web']);
  });

  it('takes a group whose plan changes nothing: its look-ahead is a change too', async () => {
    const { deps, groupOwnership } = setup(
      [group()],
      forecastOf(() => 100),
    );
    const [result] = await scaleGroups(deps, config(), [item()]);
    expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'unchanged' } });
    expect(groupOwnership.taken).toEqual(['web']);
  });

  it.each([
    ['forecast-only', { mode: 'forecast-only' as const }],
    ['a dry run', { dryRun: true }],
  ])('takes nothing in %s: a deployment that only watches must not hold the others back', async (_n, o) => {
    const { deps, groupOwnership } = setup(
      [group()],
      forecastOf(() => 900),
    );
    await scaleGroups(deps, config(o), [item()]);
    expect(groupOwnership.taken).toEqual([]);
  });

  it("holds a group another deployment manages, and changes nothing of it, whatever this one's mode", async () => {
    for (const o of [{}, { mode: 'forecast-only' as const }, { dryRun: true }]) {
      const { deps, scalingTarget, groupOwnership } = setup(
        [group({ 'prescale:deployment': 'PrescaleStaging' })],
        forecastOf(() => 900),
      );
      const [result] = await scaleGroups(deps, config(o), [item()]);
      expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'held' } });
      expect(result?.kind === 'ran' && result.outcome.reason).toMatch(
        /^group is managed by Prescale deployment "PrescaleStaging" \(its prescale:deployment tag\), not "Prescale"/,
      );
      expect([scalingTarget.updates, groupOwnership.taken]).toEqual([[], []]);
    }
  });
});
