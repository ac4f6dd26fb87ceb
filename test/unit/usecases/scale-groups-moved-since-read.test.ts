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

/**
 * A scaling policy scales the group out to `desiredCapacity` while the run writes its first state
 * (`recordWayBack`, before the change): the DynamoDB round trip the change waits on.
 */
function scaleOutOnStateWrite(built: ReturnType<typeof scaleGroupsSetup>, desiredCapacity: number) {
  const put = built.stateStore.putGroupState.bind(built.stateStore);
  let moved = false;
  built.stateStore.putGroupState = async (...args) => {
    const group = built.scalingTarget.groups.get('web');
    if (!moved && group) built.scalingTarget.groups.set('web', { ...group, desiredCapacity });
    moved = true;
    return put(...args);
  };
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

  it("writes no DesiredCapacity below a policy's scale-out that landed while the run recorded its way back", async () => {
    // A tracked group sized for more than the forecast: scale-in ahead lowers DesiredCapacity.
    const built = scaleGroupsSetup(
      [
        groupSnapshot({
          name: 'web',
          minSize: 2,
          desiredCapacity: 12,
          inServiceCapacity: 12,
          hasScalingPolicies: true,
        }),
      ],
      forecastOf(() => 100),
    );
    scaleOutOnStateWrite(built, 14);
    expect(await heldReason(built)).toMatch(
      /^the group changed since this run read it \(DesiredCapacity 12 → 14\): nothing written, the next run plans from it/,
    );
    expect(built.scalingTarget.updates).toEqual([]);
    expect(built.scalingTarget.groups.get('web')).toMatchObject({ desiredCapacity: 14 });
  });

  it('settles the release it claimed back as it was when the group moved before its change', async () => {
    // No run lowers MinSize by itself (no policies, scaleInPerTick 0): the left release does.
    const built = scaleGroupsSetup(
      [groupSnapshot({ name: 'web', minSize: 8, desiredCapacity: 8, inServiceCapacity: 8 })],
      forecastOf(() => 240), // 4 instances at 60
    );
    const release = {
      campaignId: 'bf',
      before: { minSize: 2, desiredCapacity: 2 },
      after: { minSize: 8, desiredCapacity: 8 },
      leftAtMs: SCALE_GROUPS_NOW_MS - 3_600_000,
      expiresAtMs: SCALE_GROUPS_NOW_MS + 30 * 86_400_000,
    };
    await built.stateStore.leaveRelease('web', release, SCALE_GROUPS_NOW_MS - 7_200_000);
    scaleOutOnStateWrite(built, 10);
    const config = scaleGroupsConfig({
      defaults: { targetLoadPerInstance: 60, floorCapacity: 2, maxChangePerTick: 50, scaleInPerTick: 0 },
    });
    expect(await heldReason(built, config)).toContain('DesiredCapacity 8 → 10');
    expect(built.scalingTarget.updates.filter((u) => (u.change.desiredCapacity ?? 10) < 10)).toEqual([]);
    expect(built.scalingTarget.groups.get('web')).toMatchObject({ minSize: 8, desiredCapacity: 10 });
    // Claimed (version 1, under way), then settled as it was (version 2): the next run performs it.
    const [settled, ...others] = await built.stateStore.leftReleases('web');
    expect(others).toEqual([]);
    expect(settled).toEqual({ ...release, version: 2 });
  });

  it('still writes its first change though it tagged the group with its deployment just before', async () => {
    const built = racedRun({ name: 'web', minSize: 2, desiredCapacity: 2, maxSize: 20 }, (g) => g, 240);
    const findGroupBounds = jest.spyOn(built.scalingTarget, 'findGroupBounds');
    const [result] = await scaleGroups(built.deps, scaleGroupsConfig(), [scaleGroupsItem()]);
    expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'applied' } });
    // Read again once, after its first state write, just before its change.
    expect(findGroupBounds).toHaveBeenCalledTimes(1);
    expect(built.scalingTarget.groups.get('web')?.tags).toHaveProperty('prescale:deployment');
  });
});
