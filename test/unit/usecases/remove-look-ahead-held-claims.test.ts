import { workerTimeoutSeconds } from '../../../shared/contracts/function-timeouts';
import { parseConfig } from '../../../shared/contracts/parse-config';
import { userConfigSchema } from '../../../shared/contracts/user-config';
import { removeLookAhead } from '../../../shared/usecases/remove-look-ahead';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import { MemoryStateStore } from '../../fakes/memory-state-store';
import { releaseGroupsDeps } from '../../helpers/release-groups-deps';

const T = Date.UTC(2026, 10, 29, 14);
const config = parseConfig(
  userConfigSchema,
  { groups: { names: ['web'], tag: { key: 'prescale:enabled', value: 'true' } } },
  'test',
);

describe('removeLookAhead while a scaling run holds a group', () => {
  const MINUTE_MS = 60_000;
  const owned = { 'prescale:deployment': 'Prescale' };
  const runClaimed = (stateStore: MemoryStateStore, groupName: string, leaseUntilMs: number) =>
    stateStore.claimRun(groupName, T - MINUTE_MS, {
      nowMs: T - MINUTE_MS,
      leaseUntilMs,
      expiresAtMs: T + 1e9,
    });
  const ownState = {
    planningQuantile: 0.9,
    userMinSize: 2,
    prescaleMinSize: 6,
    updatedAtMs: T - 5 * MINUTE_MS,
  };

  it('waits, reading the claim every few seconds, until the run ends, then gives the group back as the run left it', async () => {
    const stateStore = new MemoryStateStore();
    await stateStore.putGroupState('web', ownState);
    await runClaimed(stateStore, 'web', T + 4 * MINUTE_MS);
    const deps = releaseGroupsDeps(
      [groupSnapshot({ name: 'web', minSize: 6, maxSize: 20, desiredCapacity: 6, tags: owned })],
      { web: [{ name: 'prescale-next', startMs: T + 10 * MINUTE_MS, minSize: 2 }] },
      stateStore,
    );
    deps.clock.ms = T;
    // The worker, deleted but still running, writes its last change 12 s into the wait.
    deps.duringSleep = async () => {
      if (deps.clock.nowMs() < T + 12_000) return;
      const web = deps.scalingTarget.groups.get('web');
      if (web) deps.scalingTarget.groups.set('web', { ...web, minSize: 8, desiredCapacity: 8 });
      await deps.scheduledCapacity.putScheduledActions('web', [
        { name: 'prescale-20261129T1500Z', startMs: T + 60 * MINUTE_MS, minSize: 8 },
      ]);
      await stateStore.putGroupState('web', { ...ownState, prescaleMinSize: 8 });
      await stateStore.completeRun('web', T - MINUTE_MS);
    };
    const result = await removeLookAhead(deps, config, { nowMs: T, waitDeadlineMs: T + 10 * MINUTE_MS });
    expect(deps.slept).toEqual([5_000, 5_000, 5_000]);
    expect(result.failed).toEqual([]);
    expect(result.released).toEqual(['web']);
    expect(result.restored).toEqual({ web: { minSize: 2 } });
    expect(deps.scheduledCapacity.of('web')).toEqual([]);
    expect(deps.scalingTarget.groups.get('web')).toMatchObject({ minSize: 2 });
    expect(deps.scalingTarget.groups.get('web')?.tags).not.toHaveProperty('prescale:deployment');
  });

  it('gives back a group whose lease outlasts the remover’s wait once its run ends within it (scheduleRateMinutes 60)', async () => {
    // The worker's timeout at an hourly rate is 900 s; its batch started a minute before the
    // remover, whose own timeout is 840 s: the remover may wait 840 − 60 (reserve) − 120 (give-back) s.
    const leaseUntilMs = T - MINUTE_MS + workerTimeoutSeconds(60) * 1_000;
    const waitDeadlineMs = T + (840 - 60 - 120) * 1_000;
    expect(leaseUntilMs).toBeGreaterThan(waitDeadlineMs);
    const stateStore = new MemoryStateStore();
    await stateStore.putGroupState('web', ownState);
    await runClaimed(stateStore, 'web', leaseUntilMs);
    const deps = releaseGroupsDeps(
      [groupSnapshot({ name: 'web', minSize: 6, maxSize: 20, desiredCapacity: 6, tags: owned })],
      { web: [{ name: 'prescale-next', startMs: T + 10 * MINUTE_MS, minSize: 2 }] },
      stateStore,
    );
    deps.clock.ms = T;
    // The run finishes 5 s into the wait: its claim marked done (lease 0).
    deps.duringSleep = async () => {
      if (deps.clock.nowMs() >= T + 5_000) await stateStore.completeRun('web', T - MINUTE_MS);
    };
    const result = await removeLookAhead(deps, config, { nowMs: T, waitDeadlineMs });
    expect(result.failed).toEqual([]);
    expect(deps.slept).toEqual([5_000]);
    expect(result.released).toEqual(['web']);
    expect(result.restored).toEqual({ web: { minSize: 2 } });
    expect(deps.scalingTarget.groups.get('web')).toMatchObject({ minSize: 2, tags: {} });
  });

  it('leaves a group whose run holds it past the remover’s time as it is, failed with the reason, for a deletion tried again', async () => {
    const stateStore = new MemoryStateStore();
    await stateStore.putGroupState('web', ownState);
    await runClaimed(stateStore, 'web', T + 14 * MINUTE_MS);
    const deps = releaseGroupsDeps(
      [groupSnapshot({ name: 'web', minSize: 6, maxSize: 20, desiredCapacity: 6, tags: owned })],
      { web: [{ name: 'prescale-next', startMs: T + 10 * MINUTE_MS, minSize: 2 }] },
      stateStore,
    );
    deps.clock.ms = T;
    const result = await removeLookAhead(deps, config, { nowMs: T, waitDeadlineMs: T + 10 * MINUTE_MS });
    // Read again every 5 s until the deadline, the run never ending.
    expect(deps.slept).toEqual(Array.from({ length: 120 }, () => 5_000));
    expect(result.released).toEqual([]);
    expect(result.restored).toEqual({});
    expect(result.failed).toEqual([
      {
        groupName: 'web',
        error: expect.stringContaining(
          "a scaling run still holds it (its claim's lease ends 2026-11-29T14:14:00.000Z) at the end of the time the remover may wait",
        ),
      },
    ]);
    expect(deps.scheduledCapacity.of('web')).toHaveLength(1);
    expect(deps.scalingTarget.groups.get('web')).toMatchObject({ minSize: 6, tags: owned });

    // Tried again after the lease: given back.
    const again = await removeLookAhead(deps, config, {
      nowMs: T + 15 * MINUTE_MS,
      waitDeadlineMs: T + 25 * MINUTE_MS,
    });
    expect(again.failed).toEqual([]);
    expect(again.released).toEqual(['web']);
    expect(deps.scalingTarget.groups.get('web')).toMatchObject({ minSize: 2 });
  });

  it('ends its wait at the deadline even when the clock it reads never moves (a virtual clock the sleep does not advance)', async () => {
    const stateStore = new MemoryStateStore();
    await stateStore.putGroupState('web', ownState);
    await runClaimed(stateStore, 'web', T + 14 * MINUTE_MS);
    const deps = releaseGroupsDeps(
      [groupSnapshot({ name: 'web', minSize: 6, maxSize: 20, desiredCapacity: 6, tags: owned })],
      { web: [{ name: 'prescale-next', startMs: T + 10 * MINUTE_MS, minSize: 2 }] },
      stateStore,
    );
    deps.clock.ms = T;
    // Sleeps leave the clock where it is; past (deadline − start) / 5 s of them the wait would never end.
    const bound = (10 * MINUTE_MS) / 5_000;
    let sleeps = 0;
    const stuck = {
      ...deps,
      sleep: async () => {
        sleeps += 1;
        if (sleeps > bound) throw new Error(`slept ${sleeps} times: the wait does not end`);
      },
    };
    const result = await removeLookAhead(stuck, config, { nowMs: T, waitDeadlineMs: T + 10 * MINUTE_MS });
    expect(sleeps).toBeLessThanOrEqual(bound);
    expect(result.released).toEqual([]);
    expect(result.failed).toEqual([
      { groupName: 'web', error: expect.stringContaining('a scaling run still holds it') },
    ]);
    expect(deps.scalingTarget.groups.get('web')).toMatchObject({ minSize: 6, tags: owned });
  });
});
