import type { GroupSnapshot } from '../../../shared/ports/scaling-target';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import {
  forecastOf,
  SCALE_GROUPS_NOW_MS,
  scaleGroupsConfig,
  scaleGroupsItem,
  scaleGroupsRaiseConfig,
  scaleGroupsSetup,
} from '../../helpers/scale-groups-setup';

/**
 * The batch describes its groups once and plans each in turn: another actor may change a group
 * while its forecast runs. `meanwhile` is that change, made as the forecast is asked for.
 */
function racedRun(
  start: Parameters<typeof groupSnapshot>[0],
  meanwhile: (group: GroupSnapshot) => GroupSnapshot,
  load: number,
) {
  const needs = forecastOf(() => load);
  const built = scaleGroupsSetup([groupSnapshot(start)], (input) => {
    const group = built.scalingTarget.groups.get('web');
    if (group) built.scalingTarget.groups.set('web', meanwhile(group));
    return needs(input);
  });
  return built;
}

const heldReason = async (built: ReturnType<typeof racedRun>, config = scaleGroupsConfig()) => {
  const [result] = await scaleGroups(built.deps, config, [scaleGroupsItem()]);
  expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'held' } });
  return result?.kind === 'ran' ? result.outcome.reason : '';
};

describe('scaleGroups and a change to the group between the batch read and the write', () => {
  it('writes nothing over a campaign pre-warm that landed on a group without policies', async () => {
    const built = racedRun(
      { name: 'web', minSize: 2, desiredCapacity: 2, inServiceCapacity: 2, maxSize: 20 },
      (g) => ({ ...g, minSize: 10, desiredCapacity: 10 }),
      240, // 4 instances at 60
    );
    expect(await heldReason(built)).toMatch(
      /^the group changed since this run read it \(MinSize 2 → 10; DesiredCapacity 2 → 10\): nothing written, the next run plans from it/,
    );
    expect(built.scalingTarget.updates).toEqual([]);
    expect(built.scalingTarget.groups.get('web')).toMatchObject({ minSize: 10, desiredCapacity: 10 });
  });

  it("writes nothing over the owner's lower MaxSize, so a raise is not made over the old one", async () => {
    const built = racedRun(
      { name: 'web', minSize: 2, desiredCapacity: 8, inServiceCapacity: 8, maxSize: 10 },
      (g) => ({ ...g, maxSize: 6, desiredCapacity: 6 }),
      840, // 14 instances: above MaxSize, raised by up to 5
    );
    expect(await heldReason(built, scaleGroupsRaiseConfig())).toContain('MaxSize 10 → 6');
    expect(built.scalingTarget.updates).toEqual([]);
    expect(built.stateStore.states.get('web')?.raisedMaxSize).toBeUndefined();
  });

  it('writes nothing on a group whose owner started an instance refresh meanwhile', async () => {
    const built = racedRun(
      { name: 'web', minSize: 2, desiredCapacity: 2, inServiceCapacity: 2, maxSize: 20 },
      (g) => ({ ...g, instanceRefreshInProgress: true }),
      240,
    );
    expect(await heldReason(built)).toMatch(
      /^the group changed since this run read it \(an instance refresh started\): nothing written/,
    );
    expect(built.scalingTarget.updates).toEqual([]);
  });

  it('writes nothing on a group paused or suspended meanwhile', async () => {
    const paused = racedRun(
      { name: 'web', minSize: 2, desiredCapacity: 2, maxSize: 20 },
      (g) => ({ ...g, tags: { ...g.tags, 'prescale:paused': 'true' } }),
      240,
    );
    expect(await heldReason(paused)).toContain('tag prescale:paused (none) → true');
    expect(paused.scalingTarget.updates).toEqual([]);

    const suspended = racedRun(
      { name: 'web', minSize: 2, desiredCapacity: 2, maxSize: 20 },
      (g) => ({ ...g, suspendedProcesses: ['Launch'] }),
      240,
    );
    expect(await heldReason(suspended)).toContain('suspended processes [Launch]');
    expect(suspended.scalingTarget.updates).toEqual([]);
  });

  it('writes a change that sets DesiredCapacity only over the desired capacity it read, policies or not', async () => {
    const built = racedRun(
      { name: 'web', minSize: 6, desiredCapacity: 6, inServiceCapacity: 6, maxSize: 20 },
      (g) => ({ ...g, desiredCapacity: 9 }),
      120, // 2 instances: the plan lowers MinSize and DesiredCapacity
    );
    expect(await heldReason(built)).toContain('DesiredCapacity 6 → 9');
    expect(built.scalingTarget.updates).toEqual([]);
  });

  it('leaves the look-ahead as the last run left it: the next run, not this one, redoes it', async () => {
    const built = racedRun(
      { name: 'web', minSize: 2, desiredCapacity: 2, maxSize: 20 },
      (g) => ({ ...g, tags: { ...g.tags, team: 'x' } }),
      240,
    );
    const lookAhead = { name: 'prescale-1', startMs: SCALE_GROUPS_NOW_MS + 3_600_000, minSize: 6 };
    const scheduledCapacity = new FakeScheduledCapacity({ web: [lookAhead] });
    const config = scaleGroupsConfig({ lookAhead: { hours: 24 } });
    const [result] = await scaleGroups({ ...built.deps, scheduledCapacity }, config, [scaleGroupsItem()]);
    expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'held' }, lookAhead: { kind: 'left' } });
    expect(await scheduledCapacity.scheduledActions('web')).toEqual([expect.objectContaining(lookAhead)]);
    expect(built.scalingTarget.updates).toEqual([]);
  });

  it('still writes when only its own policy moved DesiredCapacity and the write leaves it to follow the bounds', async () => {
    const built = racedRun(
      { name: 'web', minSize: 2, desiredCapacity: 3, inServiceCapacity: 3, hasScalingPolicies: true },
      (g) => ({ ...g, desiredCapacity: 8 }),
      240,
    );
    await scaleGroups(built.deps, scaleGroupsConfig(), [scaleGroupsItem()]);
    expect(built.scalingTarget.updates.map((u) => u.change)).toEqual([{ minSize: 4 }]);
  });

  it('still writes its first change though it tagged the group with its deployment just before', async () => {
    const built = racedRun({ name: 'web', minSize: 2, desiredCapacity: 2, maxSize: 20 }, (g) => g, 240);
    const [result] = await scaleGroups(built.deps, scaleGroupsConfig(), [scaleGroupsItem()]);
    expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'applied' } });
    expect(built.scalingTarget.groups.get('web')?.tags).toHaveProperty('prescale:deployment');
  });
});
