import { parseConfig } from '../../../shared/contracts/parse-config';
import { type WorkflowState, workflowStateSchema } from '../../../shared/contracts/rolling-update';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { ResourceNotFoundError } from '../../../shared/ports/errors';
import type { ScheduledCapacityAction } from '../../../shared/ports/scheduled-capacity';
import type { RunOutcome } from '../../../shared/ports/state-store';
import { planCapacityRestore } from '../../../shared/usecases/plan-capacity-restore';
import { FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import { FakeScheduledCapacity } from '../../fakes/fake-scheduled-capacity';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { validPlan } from '../../fixtures/valid-plan';

const NOW = Date.parse('2026-03-02T01:00:00Z');
const config = parseConfig(userConfigSchema, { groups: { names: ['web'] } }, 'test');

function state(): WorkflowState {
  return workflowStateSchema.parse({
    plan: validPlan({ executionName: 'x', deadlineMs: NOW, recordSk: 'ROLLOUT#1#x' }),
    headroom: {
      kind: 'raised',
      minSize: 6,
      desiredCapacity: 6,
      requiredHealthyCapacity: 5,
      healthyCapacity: 5,
      original: { minSize: 2, maxSize: 10, desiredCapacity: 4 },
      reason: 'r',
    },
  });
}

/**
 * The restore's dependencies, the loop's latest run planning [3, 5, 7] (5 now) with `raisesFloor`,
 * its outcome `outcome`.
 */
async function afterLoopRun(
  raisesFloor: boolean | undefined,
  outcome: RunOutcome = { kind: 'unchanged', reason: '' },
) {
  const stateStore = new MemoryStateStore();
  await stateStore.putRunRecord({
    groupName: 'web',
    tickMs: NOW - 60_000,
    mode: 'forecast-and-scale',
    forecastStartMs: NOW - 300_000,
    stepSeconds: 300,
    plannedLoad: [],
    medianLoad: [],
    planningQuantile: 0.9,
    plannedCapacity: [3, 5, 7],
    ...(raisesFloor !== undefined ? { raisesFloor } : {}),
    models: [],
    outcome,
  });
  return {
    scalingTarget: new FakeScalingTarget([
      groupSnapshot({ name: 'web', minSize: 6, desiredCapacity: 6, maxSize: 10 }),
    ]),
    stateStore,
    scheduledCapacity: new FakeScheduledCapacity(),
    clock: { nowMs: () => NOW },
  };
}

/** The restore's dependencies with no loop run, the group at the headroom, and `actions` on it. */
function withActions(actions: readonly ScheduledCapacityAction[], minSize = 6) {
  return {
    scalingTarget: new FakeScalingTarget([
      groupSnapshot({ name: 'web', minSize, desiredCapacity: 6, maxSize: 10 }),
    ]),
    stateStore: new MemoryStateStore(),
    scheduledCapacity: new FakeScheduledCapacity({ web: actions }),
    clock: { nowMs: () => NOW },
  };
}

/** A forced start's state on a group pre-warmed to MinSize 5, its kept give-back of MinSize 2 deleted. */
function forcedOverGiveBack(): WorkflowState {
  const { plan, headroom } = state();
  return workflowStateSchema.parse({
    plan,
    headroom: { ...headroom, original: { minSize: 5, maxSize: 10, desiredCapacity: 5 } },
    window: {
      decision: 'proceed',
      reason: 'forced',
      waitSeconds: 0,
      durationSeconds: 600,
      peakLoad: 0,
      refreshDeadlineMs: NOW,
      pollIntervalSeconds: 60,
      lock: { acquiredAtMs: '0', expiresAtMs: '1', expiresAt: '1' },
      keptGiveBack: { minSize: 2, atMs: NOW + 3_600_000 },
    },
  });
}

/**
 * A forecast-only group at min 4 / desired 4 given headroom 5 / 5 under a lock taken
 * `lockedMinutesAgo` minutes ago (`undefined`: a state with no window, which the schema allows),
 * restored at NOW (01:00) on a group at min 1 / desired 1.
 */
function afterNightAction(lockedMinutesAgo: number | undefined) {
  const { plan } = state();
  const lockedAtMs = NOW - (lockedMinutesAgo ?? 0) * 60_000;
  const restoreState = workflowStateSchema.parse({
    plan,
    headroom: {
      kind: 'raised',
      minSize: 5,
      desiredCapacity: 5,
      requiredHealthyCapacity: 5,
      healthyCapacity: 5,
      original: { minSize: 4, maxSize: 10, desiredCapacity: 4 },
      reason: 'r',
    },
    ...(lockedMinutesAgo !== undefined
      ? {
          window: {
            decision: 'proceed',
            reason: 'low load',
            waitSeconds: 0,
            durationSeconds: 600,
            peakLoad: 0,
            refreshDeadlineMs: NOW,
            pollIntervalSeconds: 60,
            lock: { acquiredAtMs: String(lockedAtMs), expiresAtMs: String(NOW + 1), expiresAt: '1' },
          },
        }
      : {}),
  });
  // Every day at 00:00 UTC the owner's night action sets MinSize 1 and DesiredCapacity 1.
  const night = [{ name: 'night', recurrence: '0 0 * * *', minSize: 1, desiredCapacity: 1 }];
  const deps = {
    ...withActions(night),
    scalingTarget: new FakeScalingTarget([
      groupSnapshot({ name: 'web', minSize: 1, desiredCapacity: 1, maxSize: 10 }),
    ]),
  };
  return { deps, restoreState };
}

describe('planCapacityRestore', () => {
  it("keeps the owner's scale-down that ran during the refresh, launching nothing", async () => {
    const { deps, restoreState } = afterNightAction(90);
    const restore = await planCapacityRestore(deps, config, restoreState);
    expect(restore).toMatchObject({
      minSize: 1,
      desiredCapacity: 1,
      reason: expect.stringContaining('set by their action during the refresh'),
    });
  });

  it.each([
    ['before the lock was taken', 30],
    ['before a lock time was recorded', undefined],
  ])('restores the original over an owner action that ran %s', async (_when, lockedMinutesAgo) => {
    const { deps, restoreState } = afterNightAction(lockedMinutesAgo);
    expect(await planCapacityRestore(deps, config, restoreState)).toMatchObject({
      minSize: 4,
      desiredCapacity: 4,
    });
  });

  it("gives a forced start's kept look-ahead give-back back in its place, keeping desired", async () => {
    const restore = await planCapacityRestore(withActions([]), config, forcedOverGiveBack());
    expect(restore).toMatchObject({ minSize: 2, desiredCapacity: 5 });
    expect(restore).toHaveProperty(
      'reason',
      expect.stringContaining(
        "given back to 2 in place of the look-ahead's give-back the update's lock deleted",
      ),
    );
  });

  it('gives back nothing early for the look-ahead give-back "Plan headroom" met: moved past the lock, it fires on its own', async () => {
    const forced = forcedOverGiveBack();
    // A run planned before the give-back was moved recorded it as the headroom's: dropped when read.
    const headroomKept = (window: WorkflowState['window']) =>
      workflowStateSchema.parse({
        ...forced,
        window,
        headroom: { ...forced.headroom, keptGiveBack: { minSize: 3, atMs: NOW + 1_800_000 } },
      });
    const { keptGiveBack: _, ...unforced } = forced.window as NonNullable<WorkflowState['window']>;
    const alone = await planCapacityRestore(withActions([]), config, headroomKept(unforced));
    expect(alone).toMatchObject({ minSize: 5, desiredCapacity: 5 });
    // A forced start's, which the lock had the loop delete, is still given back: the loop is up.
    const both = await planCapacityRestore(withActions([]), config, headroomKept(forced.window));
    expect(both).toMatchObject({ minSize: 2, desiredCapacity: 5 });
  });

  it("gives a kept give-back back no lower than the owner's scheduled MinSize now", async () => {
    const owners = [{ name: 'business-floor', recurrence: '0 0 * * *', minSize: 3 }];
    const restore = await planCapacityRestore(withActions(owners), config, forcedOverGiveBack());
    expect(restore).toMatchObject({ minSize: 3, desiredCapacity: 5 });
  });

  it.each([
    ['raises the floor', true],
    ['was recorded before records said whether it raises the floor', undefined],
  ])(
    'restores the original values but not below what the loop plans for now, when the loop %s',
    async (_, raises) => {
      expect(await planCapacityRestore(await afterLoopRun(raises), config, state())).toMatchObject({
        minSize: 5,
        desiredCapacity: 5,
      });
    },
  );

  it("restores the original floor when the loop keeps the user's floor (forecastFloor off)", async () => {
    const restore = await planCapacityRestore(await afterLoopRun(false), config, state());
    expect(restore).toMatchObject({
      minSize: 2,
      desiredCapacity: 4,
      reason: expect.not.stringContaining('loop needs'),
    });
  });

  it("keeps what the loop plans for now when only this update's lock held its latest run", async () => {
    const held: RunOutcome = { kind: 'held', reason: 'group is held by x', heldOnlyByLock: 'x' };
    expect(await planCapacityRestore(await afterLoopRun(true, held), config, state())).toMatchObject({
      minSize: 5,
      desiredCapacity: 5,
    });
  });

  it.each<[string, RunOutcome]>([
    ['the pause tag', { kind: 'held', reason: 'group is paused by tag (value "true")' }],
    ['the kill switch', { kind: 'held', reason: 'Prescale is paused for all groups (kill switch)' }],
    ['suspended processes beside the lock', { kind: 'held', reason: 'group is held by x' }],
    ["another update's lock", { kind: 'held', reason: 'group is held by y', heldOnlyByLock: 'y' }],
  ])("restores the original floor when %s held the loop's latest run", async (_, held) => {
    const restore = await planCapacityRestore(await afterLoopRun(true, held), config, state());
    expect(restore).toMatchObject({ minSize: 2, desiredCapacity: 4 });
  });

  it('ignores the loop when it only forecasts', async () => {
    const deps = {
      scalingTarget: new FakeScalingTarget([
        groupSnapshot({ name: 'web', minSize: 6, desiredCapacity: 6, maxSize: 10 }),
      ]),
      stateStore: new MemoryStateStore(),
      scheduledCapacity: new FakeScheduledCapacity(),
      clock: { nowMs: () => NOW },
    };
    expect(await planCapacityRestore(deps, config, state())).toMatchObject({
      minSize: 2,
      desiredCapacity: 4,
    });
  });

  it("keeps the MinSize the owner's recurring scheduled action holds now", async () => {
    // Every day at 00:00 UTC the owner's action sets MinSize 5; now is 01:00.
    const owners = [{ name: 'business-floor', recurrence: '0 0 * * *', minSize: 5 }];
    const restore = await planCapacityRestore(withActions(owners), config, state());
    expect(restore).toMatchObject({
      minSize: 5,
      desiredCapacity: 5,
      reason: expect.stringContaining("owner's scheduled MinSize 5"),
    });
  });

  it("ignores Prescale's own look-ahead actions", async () => {
    const ours = [{ name: 'prescale-la-0000', startMs: NOW - 60_000, minSize: 5 }];
    expect(await planCapacityRestore(withActions(ours), config, state())).toMatchObject({
      minSize: 2,
      desiredCapacity: 4,
    });
  });

  it('keeps a MinSize someone set during the refresh, above the original', async () => {
    const restore = await planCapacityRestore(withActions([], 3), config, state());
    expect(restore).toMatchObject({
      minSize: 3,
      desiredCapacity: 4,
      reason: expect.stringContaining('set to 3 by others during the refresh'),
    });
  });

  it.each([
    ['gone', []],
    ['being deleted', [groupSnapshot({ name: 'web', minSize: 0, desiredCapacity: 0, deleting: true })]],
  ])('has nothing to restore on a group %s, and says why the run ends', async (_what, groups) => {
    const deps = {
      scalingTarget: new FakeScalingTarget(groups),
      stateStore: new MemoryStateStore(),
      scheduledCapacity: new FakeScheduledCapacity(),
      clock: { nowMs: () => NOW },
    };
    expect(await planCapacityRestore(deps, config, state())).toEqual({
      groupDeleted: true,
      error: {
        Error: 'GroupDeletedDuringUpdate',
        Cause: 'Auto Scaling group web was deleted during the update to version 7',
      },
    });
  });

  it('has nothing to restore on a group Auto Scaling stops knowing after it was described', async () => {
    const deps = withActions([]);
    // As the adapter translates "AutoScalingGroup name not found" from DescribeScheduledActions.
    deps.scheduledCapacity.scheduledActions = async (groupName) => {
      throw new ResourceNotFoundError('group', groupName);
    };
    expect(await planCapacityRestore(deps, config, state())).toEqual({
      groupDeleted: true,
      error: {
        Error: 'GroupDeletedDuringUpdate',
        Cause: 'Auto Scaling group web was deleted during the update to version 7',
      },
    });
  });

  it("fails on another group's not-found answer, which says nothing of this group", async () => {
    const deps = withActions([]);
    deps.scheduledCapacity.scheduledActions = async () => {
      throw new ResourceNotFoundError('group', 'api');
    };
    await expect(planCapacityRestore(deps, config, state())).rejects.toThrow('group api was not found');
  });
});
