import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import { MemoryUpdatePlanStore } from '../../fakes/memory-update-plan-store';
import {
  apiGroup,
  byName,
  rolloutSelectionConfig,
  SELECTION_NOW_MS,
  SELECTION_REGION,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

const config = rolloutSelectionConfig();
const HOUR_MS = 3_600_000;

/** `web` and `api`, both with a cheaper configuration to apply, and the update plans' locks. */
function twoGroupsAndPlans() {
  const w = world([webGroup(), apiGroup()]);
  const planLocks = new MemoryUpdatePlanStore();
  const run = () =>
    selectInstanceTypes(
      { ...w.deps, planLocks },
      { config, region: SELECTION_REGION, scheduledTimeMs: SELECTION_NOW_MS },
    );
  const calls = (method: string) => w.applier.calls.filter((c) => c.method === method);
  const lockFor = (groupName: string, holder: string, expiresAtMs = SELECTION_NOW_MS + HOUR_MS) =>
    planLocks.acquirePlanLock({ groupName, holder, acquiredAtMs: SELECTION_NOW_MS - HOUR_MS, expiresAtMs });
  return { w, run, calls, lockFor };
}

describe('selectInstanceTypes while an update plan holds a group', () => {
  it('holds a group of a running plan whose slot for it is still to come, naming the plan', async () => {
    const { run, calls, lockFor } = twoGroupsAndPlans();
    await lockFor('web', 'plan-nightly');
    const result = await run();
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining('the update plan plan-nightly holds the group'),
    });
    expect(calls('createLaunchTemplateVersion')).toHaveLength(0);
    expect(calls('startRollingUpdate')).toHaveLength(0);
    // The plan holds only its own groups.
    expect(byName(result.groups, 'api')).toMatchObject({ kind: 'applied' });
  });

  it('holds a mixed group of a running plan: new overrides would fight its slot', async () => {
    const { run, calls, lockFor } = twoGroupsAndPlans();
    await lockFor('api', 'plan-nightly');
    expect(byName((await run()).groups, 'api')).toMatchObject({ kind: 'recommended' });
    expect(calls('setMixedInstanceOverrides')).toHaveLength(0);
  });

  it('holds nothing once the plan lock has expired', async () => {
    const { run, lockFor } = twoGroupsAndPlans();
    await lockFor('web', 'plan-nightly', SELECTION_NOW_MS - 1);
    expect(byName((await run()).groups, 'web')).toMatchObject({ kind: 'applied' });
  });
});
