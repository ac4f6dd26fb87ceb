import type { GroupState } from '../../../shared/ports/state-store';
import { withOperatorsMaxSize } from '../../../shared/usecases/max-size-raise';
import { scaleGroups } from '../../../shared/usecases/scale-groups';
import { groupSnapshot } from '../../fakes/fake-scaling-target';
import {
  forecastOf,
  scaleGroupsRun as run,
  scaleGroupsRaiseConfig,
  scaleGroupsSetup as setup,
} from '../../helpers/scale-groups-setup';

/**
 * `web` without scaling policies at 2 of 2–10, allowed 5 over MaxSize, its load `need()` instances'
 * worth at the target; the first run raises MaxSize 10 → 13 for a need of 13.
 */
async function raisedTo13() {
  let need = 13;
  const built = setup(
    [groupSnapshot({ name: 'web', minSize: 2, maxSize: 10, desiredCapacity: 2 })],
    forecastOf(() => need * 60),
  );
  const cfg = scaleGroupsRaiseConfig();
  await scaleGroups(built.deps, cfg, [run(0)]);
  const setGroup = (over: Partial<ReturnType<typeof groupSnapshot>>) => {
    const g = built.scalingTarget.groups.get('web');
    if (g) built.scalingTarget.groups.set('web', { ...g, ...over });
  };
  return { ...built, cfg, setGroup, setNeed: (n: number) => (need = n) };
}

describe('scaleGroups and a MaxSize the operator changes while Prescale has raised it', () => {
  it('raises MaxSize within the allowance and keeps what it raised it to', async () => {
    const { scalingTarget, stateStore } = await raisedTo13();
    expect(scalingTarget.groups.get('web')?.maxSize).toBe(13);
    expect(await stateStore.getGroupState('web')).toMatchObject({ originalMaxSize: 10, raisedMaxSize: 13 });
  });

  it("keeps the operator's higher MaxSize instead of writing its own raise back", async () => {
    const { deps, cfg, scalingTarget, stateStore, setGroup } = await raisedTo13();
    // The DemandAboveMaxSize runbook: the operator raises MaxSize for the demand.
    setGroup({ maxSize: 40 });
    const [result] = await scaleGroups(deps, cfg, [run(1)]);
    expect(scalingTarget.groups.get('web')?.maxSize).toBe(40);
    expect(scalingTarget.updates.slice(1).every((u) => u.change.maxSize === undefined)).toBe(true);
    expect(result?.kind === 'ran' && result.outcome.reason).not.toContain('MaxSize raised');
    const state = (await stateStore.getGroupState('web')) as GroupState;
    expect(state.originalMaxSize).toBeUndefined();
    expect(state.raisedMaxSize).toBeUndefined();
  });

  it("keeps the operator's lower MaxSize instead of restoring the one it had stored", async () => {
    const { deps, cfg, scalingTarget, setGroup, setNeed } = await raisedTo13();
    setGroup({ maxSize: 8, minSize: 8, desiredCapacity: 8 });
    setNeed(6);
    await scaleGroups(deps, cfg, [run(1)]);
    expect(scalingTarget.groups.get('web')?.maxSize).toBe(8);
  });

  it('restores the group’s own MaxSize once the need is back under it, when the operator left it alone', async () => {
    const { deps, cfg, scalingTarget, stateStore, setNeed } = await raisedTo13();
    setNeed(4);
    for (let tick = 1; tick <= 12; tick += 1) await scaleGroups(deps, cfg, [run(tick)]);
    expect(scalingTarget.groups.get('web')?.maxSize).toBe(10);
    expect((await stateStore.getGroupState('web'))?.originalMaxSize).toBeUndefined();
  });

  it('says so when a hold leaves the raise in place', async () => {
    const { deps, cfg, scalingTarget, setGroup } = await raisedTo13();
    setGroup({ tags: { 'prescale:paused': 'true' } });
    const [result] = await scaleGroups(deps, cfg, [run(1)]);
    expect(result).toMatchObject({ kind: 'ran', outcome: { kind: 'held' } });
    expect(result?.kind === 'ran' && result.outcome.reason).toContain(
      "MaxSize 13 is Prescale's raise over the group's own 10, left in place while held",
    );
    expect(scalingTarget.groups.get('web')?.maxSize).toBe(13);
  });
});

describe('withOperatorsMaxSize', () => {
  const state = (over: Partial<GroupState>): GroupState => ({
    planningQuantile: 0.6,
    updatedAtMs: 0,
    ...over,
  });

  it.each([
    ['Prescale’s raise still in place', 13, { originalMaxSize: 10, raisedMaxSize: 13 }],
    ['restored by the look-ahead’s last action', 10, { originalMaxSize: 10, raisedMaxSize: 13 }],
    ['a state from before the raised MaxSize was kept', 40, { originalMaxSize: 10 }],
  ])('keeps the raise: %s', (_name, maxSize, kept) => {
    expect(withOperatorsMaxSize(state(kept), { maxSize })).toEqual(state(kept));
  });

  it('forgets the raise for any other MaxSize', () => {
    expect(withOperatorsMaxSize(state({ originalMaxSize: 10, raisedMaxSize: 13 }), { maxSize: 12 })).toEqual(
      state({}),
    );
  });
});
