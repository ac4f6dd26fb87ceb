import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { type FakeScalingTarget, groupSnapshot } from '../../fakes/fake-scaling-target';
import {
  scaleGroupsConfig as config,
  forecastOf,
  scaleGroupsItem as item,
  SCALE_GROUPS_NOW_MS as NOW,
  scaleGroupsSetup as setup,
} from '../../helpers/scale-groups-setup';

describe('scaleGroups leaving a group unchanged', () => {
  it('changes nothing in forecast-only mode but records the plan', async () => {
    const { deps, scalingTarget, stateStore } = setup(
      undefined,
      forecastOf(() => 900),
    );
    const [result] = await scaleGroups(deps, config({ mode: 'forecast-only' }), [item()]);
    expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'held', reason: 'forecast-only mode' } });
    expect(scalingTarget.updates).toHaveLength(0);
    expect(stateStore.records.get('web')?.[0]?.plannedCapacity[0]).toBe(15);
  });

  it('changes nothing on a group whose override or tag says forecast-only, and scales the others', async () => {
    const { deps, scalingTarget } = setup(
      [
        groupSnapshot({ name: 'web', minSize: 2, desiredCapacity: 2 }),
        groupSnapshot({ name: 'api', minSize: 2, desiredCapacity: 2 }),
        groupSnapshot({
          name: 'db',
          minSize: 2,
          desiredCapacity: 2,
          tags: { 'prescale:mode': 'forecast-only' },
        }),
      ],
      forecastOf(() => 900),
    );
    const results = await scaleGroups(
      deps,
      config({ groups: { names: ['web', 'api', 'db'] }, groupOverrides: { web: { mode: 'forecast-only' } } }),
      [item('web'), item('api'), item('db')],
    );
    expect(results.map((r) => (r.kind === 'ran' ? [r.outcome.kind, r.outcome.reason] : r.kind))).toEqual([
      ['held', 'forecast-only mode'],
      ['applied', expect.any(String)],
      ['held', 'forecast-only mode'],
    ]);
    expect(new Set(scalingTarget.updates.map((u) => u.groupName))).toEqual(new Set(['api']));
  });

  it.each([
    ['paused by tag', { tags: { 'prescale:paused': 'true' } }, 'paused by tag'],
    ['refreshing', { instanceRefreshInProgress: true }, 'instance refresh'],
    ['suspended', { suspendedProcesses: ['Launch'] }, 'Launch'],
    ['predictively scaled', { predictiveScalingPolicy: 'cpu40' }, 'EC2 predictive scaling policy "cpu40"'],
  ])('leaves a %s group untouched', async (_name, overrides, reason) => {
    const { deps, scalingTarget } = setup(
      [groupSnapshot({ name: 'web', ...overrides })],
      forecastOf(() => 900),
    );
    const [result] = await scaleGroups(deps, config(), [item()]);
    expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'held' } });
    expect(result?.kind === 'ran' && result.outcome.reason).toContain(reason);
    expect(scalingTarget.updates).toHaveLength(0);
  });

  it('holds a group whose lock a rolling update holds, and every group under the kill switch', async () => {
    const { deps, scalingTarget, stateStore, pause } = setup(
      undefined,
      forecastOf(() => 900),
    );
    await stateStore.acquireLock({
      groupName: 'web',
      holder: 'rolling-update:web:7',
      acquiredAtMs: NOW,
      expiresAtMs: NOW + 3600_000,
    });
    const [locked] = await scaleGroups(deps, config(), [item()]);
    expect(locked?.kind === 'ran' && locked.outcome.reason).toContain('rolling-update:web:7');
    await stateStore.releaseLock('web', 'rolling-update:web:7');
    pause();
    const [paused] = await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: NOW + 1 }]);
    expect(paused?.kind === 'ran' && paused.outcome.reason).toContain('kill switch');
    expect(scalingTarget.updates).toHaveLength(0);
  });

  it.each([
    ['alone', {}, 'rolling-update:web:7'],
    ['with the group paused by tag', { tags: { 'prescale:paused': 'true' } }, undefined],
    ['with Launch suspended', { suspendedProcesses: ['Launch'] }, undefined],
    ['during its refresh', { instanceRefreshInProgress: true }, 'rolling-update:web:7'],
  ])(
    'records the lock holder of a run a rolling update held %s only when nothing else held it',
    async (_, group, holder) => {
      const { deps, stateStore } = setup(
        [groupSnapshot({ name: 'web', minSize: 2, desiredCapacity: 2, ...group })],
        forecastOf(() => 900),
      );
      const lock = { groupName: 'web', holder: 'rolling-update:web:7', acquiredAtMs: NOW };
      await stateStore.acquireLock({ ...lock, expiresAtMs: NOW + 3600_000 });
      await scaleGroups(deps, config(), [item()]);
      const recorded = stateStore.records.get('web')?.[0]?.outcome;
      expect(recorded).toMatchObject({ kind: 'held' });
      expect(recorded?.kind === 'held' && recorded.heldOnlyByLock).toBe(holder);
    },
  );

  it('applies a run delivered twice only once', async () => {
    const { deps, scalingTarget } = setup(
      undefined,
      forecastOf(() => 900),
    );
    await scaleGroups(deps, config(), [item()]);
    const [again] = await scaleGroups(deps, config(), [item()]);
    expect(again).toEqual({ kind: 'duplicate', groupName: 'web' });
    expect(scalingTarget.updates).toHaveLength(1);
  });

  it('runs a group one tick at a time: not beside a live run of the previous tick, never an older tick after a newer', async () => {
    const { deps, scalingTarget, stateStore } = setup(
      undefined,
      forecastOf(() => 900),
    );
    const previousTick = NOW - 300_000;
    // The previous tick's run, delivered late, still holds the group within its worker timeout.
    await stateStore.claimRun('web', previousTick, {
      nowMs: NOW - 10_000,
      leaseUntilMs: NOW + 260_000,
      expiresAtMs: NOW + 86_400_000,
    });
    const [beside] = await scaleGroups(deps, config(), [item()]);
    expect(beside).toEqual({ kind: 'duplicate', groupName: 'web' });
    expect(scalingTarget.updates).toHaveLength(0);
    await stateStore.completeRun('web', previousTick);
    await scaleGroups(deps, config(), [item()]);
    // Work of the previous tick that SQS delivers again after the newer tick ran is stale.
    const [late] = await scaleGroups(deps, config(), [{ groupName: 'web', tickMs: previousTick }]);
    expect(late).toEqual({ kind: 'duplicate', groupName: 'web' });
    expect(scalingTarget.updates).toHaveLength(1);
  });

  /**
   * A batch of `names` at tick NOW while the previous tick's worker, started late, holds web until
   * 30 s into this tick; each group's forecast takes a minute of the worker's time, and
   * `meanwhile` runs at each (what the older run writes).
   */
  const heldByLateWorker = async (names: readonly string[], meanwhile: (t: FakeScalingTarget) => void) => {
    const { deps, scalingTarget, stateStore } = setup(
      [
        groupSnapshot({ name: 'web', minSize: 2, desiredCapacity: 2, inServiceCapacity: 2 }),
        groupSnapshot({ name: 'api', minSize: 2, desiredCapacity: 2 }),
      ],
      forecastOf(() => 900),
    );
    await stateStore.claimRun('web', NOW - 300_000, {
      nowMs: NOW - 270_000,
      leaseUntilMs: NOW + 30_000,
      expiresAtMs: NOW + 86_400_000,
    });
    let nowMs = NOW;
    const forecast: typeof deps.forecast = (...args) => {
      nowMs += 60_000;
      meanwhile(scalingTarget);
      return deps.forecast(...args);
    };
    const results = await scaleGroups({ ...deps, forecast, clock: { nowMs: () => nowMs } }, config(), [
      ...names.map((groupName) => ({ groupName, tickMs: NOW })),
    ]);
    return { results, updated: scalingTarget.updates.map((u) => u.groupName) };
  };

  it('runs a tick held up by an older run whose lease runs out while the rest of the batch runs', async () => {
    const first = await heldByLateWorker(['web', 'api'], () => undefined);
    expect(first.results).toMatchObject([
      { kind: 'ran', groupName: 'web' },
      { kind: 'ran', groupName: 'api' },
    ]);
    expect(first.updated).toEqual(['api', 'web']);
    const last = await heldByLateWorker(['api', 'web'], () => undefined);
    expect(last.results).toMatchObject([
      { kind: 'ran', groupName: 'api' },
      { kind: 'ran', groupName: 'web' },
    ]);
  });

  it('plans a retried tick from the group as the run that held it left it, not as the batch read it', async () => {
    const { results } = await heldByLateWorker(['web', 'api'], (target) => {
      // While api runs, the older run that held web writes it (its launches are in service).
      const web = target.groups.get('web');
      if (web) target.groups.set('web', { ...web, minSize: 7, desiredCapacity: 7, inServiceCapacity: 7 });
    });
    expect(results).toMatchObject([
      { kind: 'ran', groupName: 'web', inServiceCapacity: 7 },
      { kind: 'ran', groupName: 'api' },
    ]);
  });

  it('records what a dry run would set and sets nothing', async () => {
    const { deps, scalingTarget } = setup(
      undefined,
      forecastOf(() => 900),
    );
    const [result] = await scaleGroups(deps, config({ dryRun: true }), [item()]);
    expect(result).toMatchObject({
      outcome: { kind: 'dry-run', wouldSet: { minSize: 15, desiredCapacity: 15 } },
    });
    expect(scalingTarget.updates).toHaveLength(0);
  });
});

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
