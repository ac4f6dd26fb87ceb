import { RejectedRequestError, TransientDependencyError } from '../../../shared/ports/errors';
import type { WarmPoolSettings } from '../../../shared/ports/scaling-target';
import { releaseGroupsTakenOut } from '../../../shared/usecases/release-groups-taken-out';
import { type ForecastFn, scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import { MemoryCampaigns } from '../../fakes/memory-campaigns';
import {
  scaleGroupsConfig as config,
  forecastOf,
  scaleGroupsItem as item,
  scaleGroupsRun as runAt,
  SCALE_GROUPS_NOW_MS,
  scaleGroupsSetup as setup,
} from '../../helpers/scale-groups-setup';

/** A forecast whose p99 is twice its mean: a Stopped pool capped below the room gets a MinSize. */
const uncertain: ForecastFn = (input) => {
  const f = forecastOf(() => 600)(input);
  return { ...f, intervals: f.intervals.map((i) => ({ ...i, upper: i.upper.map((u) => 2 * u) })) };
};

/** The Stopped pool capped at 12 (below the room under MaxSize 40) that Prescale sizes from 0. */
const STOPPED_CAPPED_POOL = { minSize: 0, maxGroupPreparedCapacity: 12, poolState: 'Stopped' } as const;

/**
 * A run sizing `STOPPED_CAPPED_POOL`, then the owner's change to it (`changed`, given the MinSize
 * Prescale set), then the next run: the world after it, its pool writes the second run's only.
 */
async function afterOwnerChangedSizedPool(
  changed: (raised: number) => WarmPoolSettings,
): Promise<ReturnType<typeof setup>> {
  const built = setup(
    [
      groupSnapshot({
        name: 'web',
        minSize: 2,
        maxSize: 40,
        desiredCapacity: 2,
        warmPool: STOPPED_CAPPED_POOL,
      }),
    ],
    uncertain,
  );
  await scaleGroups(built.deps, config(), [item()]);
  const raised = built.scalingTarget.warmPoolUpdates[0]?.minSize as number;
  expect(raised).toBeGreaterThan(0);
  const group = built.scalingTarget.groups.get('web');
  if (group) built.scalingTarget.groups.set('web', { ...group, warmPool: changed(raised) });
  built.scalingTarget.warmPoolUpdates.length = 0;
  await scaleGroups(built.deps, config(), [runAt(1)]);
  return built;
}

/**
 * A run sizing `STOPPED_CAPPED_POOL` from 0, recorded; then a run on a higher forecast whose
 * PutWarmPool lands but answers a server error after a retry (its outcome unknown), so the run
 * fails before its record: the pool left at that run's MinSize, `landed`, which no record names.
 */
async function afterPoolWriteOfUnknownOutcome() {
  let forecast: ForecastFn = uncertain;
  const built = setup(
    [
      groupSnapshot({
        name: 'web',
        minSize: 2,
        maxSize: 40,
        desiredCapacity: 2,
        warmPool: STOPPED_CAPPED_POOL,
      }),
    ],
    (input) => forecast(input),
  );
  const { scalingTarget } = built;
  /** PutWarmPool as Auto Scaling applies it: the pool the next read finds. */
  const lands = async (groupName: string, minSize: number, current: WarmPoolSettings) => {
    scalingTarget.warmPoolUpdates.push({ groupName, minSize, current });
    const group = scalingTarget.groups.get(groupName);
    if (group) scalingTarget.groups.set(groupName, { ...group, warmPool: { ...current, minSize } });
  };
  scalingTarget.setWarmPoolMinSize = lands;
  await scaleGroups(built.deps, config(), [item()]);
  const recorded = (await built.stateStore.getGroupState('web'))?.prescaleWarmPoolMinSize as number;
  expect(recorded).toBeGreaterThan(0);
  forecast = (input) => {
    const f = uncertain(input);
    return { ...f, intervals: f.intervals.map((i) => ({ ...i, upper: i.upper.map((u) => 2 * u) })) };
  };
  scalingTarget.setWarmPoolMinSize = async (groupName, minSize, current) => {
    await lands(groupName, minSize, current);
    throw new TransientDependencyError('Auto Scaling', 'PutWarmPool', { refused: false });
  };
  const [failed] = await scaleGroups(built.deps, config(), [runAt(1)]);
  expect(failed?.kind).toBe('failed');
  const landed = scalingTarget.groups.get('web')?.warmPool?.minSize as number;
  expect(landed).toBeGreaterThan(recorded);
  // Written before the PutWarmPool, as pending: the failed run left no record.
  expect(await built.stateStore.getGroupState('web')).toMatchObject({
    prescaleWarmPoolMinSize: recorded,
    pendingWarmPoolMinSize: landed,
  });
  scalingTarget.setWarmPoolMinSize = lands;
  scalingTarget.warmPoolUpdates.length = 0;
  return { ...built, landed };
}

describe('scaleGroups sizing the warm pool', () => {
  it('bounds the warm pool by the room left under MaxSize and restates the rest of the pool', async () => {
    const warmPool = {
      minSize: 5,
      maxGroupPreparedCapacity: 10,
      poolState: 'Hibernated',
      reuseOnScaleIn: true,
    };
    const { deps, scalingTarget } = setup(
      [groupSnapshot({ name: 'web', minSize: 2, maxSize: 12, desiredCapacity: 2, warmPool })],
      forecastOf(() => 3000),
    );
    await scaleGroups(deps, config(), [item()]);
    const group = scalingTarget.groups.get('web');
    expect(group).toMatchObject({ maxSize: 12, desiredCapacity: 12 });
    expect(scalingTarget.warmPoolUpdates).toEqual([{ groupName: 'web', minSize: 0, current: warmPool }]);
  });

  it('records the run and writes its look-ahead when Auto Scaling refuses the pool, naming the refusal', async () => {
    const warmPool = { minSize: 5, maxGroupPreparedCapacity: 10, poolState: 'Stopped' };
    const { deps, scalingTarget, stateStore } = setup(
      [groupSnapshot({ name: 'web', minSize: 2, maxSize: 12, desiredCapacity: 2, warmPool })],
      forecastOf(() => 3000),
    );
    scalingTarget.setWarmPoolMinSize = async () => {
      throw new RejectedRequestError(
        'Auto Scaling',
        'PutWarmPool',
        'ValidationError: pool pending deletion',
        {
          refused: true,
        },
      );
    };
    const scheduledCapacity = new FakeScheduledCapacity();
    await scaleGroups({ ...deps, scheduledCapacity }, config(), [item()]);
    // The capacity change landed; so do the record and the look-ahead that gives it back.
    expect(scalingTarget.groups.get('web')).toMatchObject({ desiredCapacity: 12 });
    const [record] = await stateStore.recentRunRecords('web', 0);
    expect(record?.outcome).toMatchObject({
      kind: 'applied',
      reason: expect.stringContaining(
        'warm pool MinSize 0 not set (RejectedRequestError: Auto Scaling PutWarmPool was rejected: ValidationError: pool pending deletion): the pool keeps 5',
      ),
    });
    expect(scheduledCapacity.of('web').some((a) => a.name.startsWith('prescale-'))).toBe(true);
    // The pool kept its MinSize: the state does not take Prescale's for it.
    const state = await stateStore.getGroupState('web');
    expect(state).toMatchObject({ userWarmPoolMinSize: 5 });
    expect(state?.prescaleWarmPoolMinSize).toBeUndefined();
  });

  it('keeps the pool’s own MinSize, first seen, before it sizes the pool, for a give-back', async () => {
    const warmPool = { minSize: 5, maxGroupPreparedCapacity: 10, poolState: 'Stopped' };
    const { deps, stateStore } = setup(
      [groupSnapshot({ name: 'web', minSize: 2, maxSize: 12, desiredCapacity: 2, warmPool })],
      forecastOf(() => 3000),
    );
    // Even when the run fails after sizing the pool, before its record.
    stateStore.recordRun = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };
    await scaleGroups(deps, config(), [item()]);
    expect((await stateStore.getGroupState('web'))?.userWarmPoolMinSize).toBe(5);
  });

  it('leaves a default warm pool (no prepared-capacity cap) alone: it already holds all the room', async () => {
    // A MinSize Prescale would move (its floor here is 0: the forecast's p99 is the plan's load).
    const warmPool = { minSize: 3, poolState: 'Stopped', reuseOnScaleIn: false };
    const { deps, scalingTarget } = setup(
      [groupSnapshot({ name: 'web', minSize: 2, maxSize: 40, desiredCapacity: 2, warmPool })],
      forecastOf(() => 600),
    );
    await scaleGroups(deps, config(), [item()]);
    expect(scalingTarget.groups.get('web')?.desiredCapacity).toBeGreaterThan(2);
    expect(scalingTarget.warmPoolUpdates).toEqual([]);
    // Capped below the room, the same plan sizes the pool (between the plan and the forecast's p99).
    const capped = setup(
      [
        groupSnapshot({
          name: 'web',
          minSize: 2,
          maxSize: 40,
          desiredCapacity: 2,
          warmPool: { ...warmPool, maxGroupPreparedCapacity: 12 },
        }),
      ],
      forecastOf(() => 600),
    );
    await scaleGroups(capped.deps, config(), [item()]);
    expect(capped.scalingTarget.warmPoolUpdates.map((u) => u.minSize)).toEqual([0]);
  });

  it('leaves a pool capped at MaxSize alone: like the default pool, it already holds all the room', async () => {
    const capped = (maxGroupPreparedCapacity: number) => {
      const warmPool = { minSize: 0, maxGroupPreparedCapacity, poolState: 'Stopped' };
      return setup(
        [groupSnapshot({ name: 'web', minSize: 2, maxSize: 40, desiredCapacity: 2, warmPool })],
        uncertain,
      );
    };
    for (const cap of [40, 100]) {
      const atMax = capped(cap);
      await scaleGroups(atMax.deps, config(), [item()]);
      expect(atMax.scalingTarget.groups.get('web')?.desiredCapacity).toBeGreaterThan(2);
      expect(atMax.scalingTarget.warmPoolUpdates).toEqual([]);
      expect((await atMax.stateStore.getGroupState('web'))?.userWarmPoolMinSize).toBeUndefined();
    }
    // One below MaxSize still caps the pool: Prescale sizes it.
    const below = capped(39);
    await scaleGroups(below.deps, config(), [item()]);
    expect(below.scalingTarget.warmPoolUpdates[0]?.minSize).toBeGreaterThan(0);
  });

  it('gives a pool it sized back its own MinSize once its cap is raised to MaxSize', async () => {
    const built = await afterOwnerChangedSizedPool((raised) => ({
      ...STOPPED_CAPPED_POOL,
      minSize: raised,
      maxGroupPreparedCapacity: 40,
    }));
    expect(built.scalingTarget.warmPoolUpdates.map((u) => u.minSize)).toEqual([0]);
    expect((await built.stateStore.getGroupState('web'))?.userWarmPoolMinSize).toBeUndefined();
  });

  it('names why it gives a pool it sized its own MinSize back: Running, its cap removed, or at MaxSize', async () => {
    /** The sized pool, then changed by its owner as `changed` says. */
    const givenBack = async (changed: {
      readonly uncapped?: true;
      readonly pool?: { readonly poolState?: string; readonly maxGroupPreparedCapacity?: number };
    }) => {
      const { maxGroupPreparedCapacity: _, ...uncapped } = STOPPED_CAPPED_POOL;
      const built = await afterOwnerChangedSizedPool((raised) => ({
        ...(changed.uncapped ? uncapped : STOPPED_CAPPED_POOL),
        minSize: raised,
        ...changed.pool,
      }));
      const record = (await built.stateStore.recentRunRecords('web', 0)).at(-1);
      return record?.outcome.reason.split('; ').filter((part) => part.startsWith('warm pool'));
    };
    expect(await givenBack({ pool: { poolState: 'Running' } })).toEqual([
      'warm pool MinSize back to its own 0: Prescale sizes no Running pool',
    ]);
    expect(await givenBack({ uncapped: true })).toEqual([
      'warm pool MinSize back to its own 0: its MaxGroupPreparedCapacity was removed, so the pool already holds all the room under MaxSize 40',
    ]);
    expect(await givenBack({ pool: { maxGroupPreparedCapacity: 40 } })).toEqual([
      'warm pool MinSize back to its own 0: its MaxGroupPreparedCapacity 40 is not below MaxSize 40, so the pool already holds all the room under it',
    ]);
  });

  it('leaves a Running warm pool alone: a running pool instance is billed as one in service and serves nothing', async () => {
    const sized = (poolState: string) => {
      const warmPool = { minSize: 0, maxGroupPreparedCapacity: 12, poolState };
      return setup(
        [groupSnapshot({ name: 'web', minSize: 2, maxSize: 40, desiredCapacity: 2, warmPool })],
        uncertain,
      );
    };
    const stopped = sized('Stopped');
    await scaleGroups(stopped.deps, config(), [item()]);
    expect(stopped.scalingTarget.warmPoolUpdates.map((u) => u.minSize)).toEqual([expect.any(Number)]);
    expect(stopped.scalingTarget.warmPoolUpdates[0]?.minSize).toBeGreaterThan(0);
    const running = sized('Running');
    await scaleGroups(running.deps, config(), [item()]);
    expect(running.scalingTarget.groups.get('web')?.desiredCapacity).toBeGreaterThan(2);
    expect(running.scalingTarget.warmPoolUpdates).toEqual([]);
    // Nothing of the pool's to give back either.
    expect((await running.stateStore.getGroupState('web'))?.userWarmPoolMinSize).toBeUndefined();
  });

  it('gives a pool that turned Running back its own MinSize once, unless its owner set another', async () => {
    /** A Stopped pool Prescale raised from 0, then switched to Running by its owner at `minSize`. */
    const turnedRunning = (minSize?: number) =>
      afterOwnerChangedSizedPool((raised) => ({
        ...STOPPED_CAPPED_POOL,
        minSize: minSize ?? raised,
        poolState: 'Running',
      }));
    const left = await turnedRunning();
    expect(left.scalingTarget.warmPoolUpdates).toEqual([
      {
        groupName: 'web',
        minSize: 0,
        current: { minSize: expect.any(Number), maxGroupPreparedCapacity: 12, poolState: 'Running' },
      },
    ]);
    // Once: nothing of the pool's is tracked after.
    expect((await left.stateStore.getGroupState('web'))?.userWarmPoolMinSize).toBeUndefined();
    // The owner's own MinSize, set with the switch, stays.
    const owned = await turnedRunning(17);
    expect(owned.scalingTarget.warmPoolUpdates).toEqual([]);
    expect((await owned.stateStore.getGroupState('web'))?.userWarmPoolMinSize).toBeUndefined();
  });

  it('gives back a pool whose last write landed with an unknown outcome once its cap is raised to MaxSize', async () => {
    const built = await afterPoolWriteOfUnknownOutcome();
    const group = built.scalingTarget.groups.get('web');
    if (group?.warmPool)
      built.scalingTarget.groups.set('web', {
        ...group,
        warmPool: { ...group.warmPool, maxGroupPreparedCapacity: 40 },
      });
    await scaleGroups(built.deps, config(), [runAt(2)]);
    expect(built.scalingTarget.warmPoolUpdates.map((u) => u.minSize)).toEqual([0]);
  });

  it('gives back a paused group’s pool whose last write landed with an unknown outcome once it is taken out', async () => {
    const built = await afterPoolWriteOfUnknownOutcome();
    const group = built.scalingTarget.groups.get('web');
    if (group)
      built.scalingTarget.groups.set('web', { ...group, tags: { ...group.tags, 'prescale:paused': 'true' } });
    // Held runs while paused carry what they found on the pool.
    await scaleGroups(built.deps, config(), [runAt(2)]);
    expect(built.scalingTarget.warmPoolUpdates).toEqual([]);
    const released = await releaseGroupsTakenOut(
      {
        scalingTarget: built.scalingTarget,
        scheduledCapacity: new FakeScheduledCapacity(),
        groupOwnership: built.groupOwnership,
        stateStore: built.stateStore,
        prewarms: new MemoryCampaigns(),
      },
      config(),
      new Set(),
      { nowMs: SCALE_GROUPS_NOW_MS + 900_000 },
    );
    expect(released).toMatchObject([{ kind: 'released', groupName: 'web', restoredWarmPoolMinSize: 0 }]);
    expect(built.scalingTarget.warmPoolUpdates.map((u) => u.minSize)).toEqual([0]);
  });

  it('tracks a pool whose write landed with an unknown outcome as Prescale’s no longer once a run records it', async () => {
    const built = await afterPoolWriteOfUnknownOutcome();
    // The next run finds the pool where the failed one left it, and sizes it there again.
    await scaleGroups(built.deps, config(), [runAt(2)]);
    const state = await built.stateStore.getGroupState('web');
    expect(state).toMatchObject({ userWarmPoolMinSize: 0, prescaleWarmPoolMinSize: built.landed });
    expect(state?.pendingWarmPoolMinSize).toBeUndefined();
  });
});
