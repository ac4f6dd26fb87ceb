import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import {
  apiGroup,
  byName,
  rolloutSelectionConfig,
  SELECTION_NOW_MS,
  SELECTION_REGION,
  selectionConfig,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

const config = rolloutSelectionConfig();

/** A world of `web` (single-type) and `api` (mixed), both with a cheaper configuration to apply. */
function twoGroups() {
  const w = world([webGroup(), apiGroup()]);
  const run = () =>
    selectInstanceTypes(w.deps, { config, region: SELECTION_REGION, scheduledTimeMs: SELECTION_NOW_MS });
  const calls = (method: string) => w.applier.calls.filter((c) => c.method === method);
  return { w, run, calls };
}

describe('selectInstanceTypes while a rolling update it did not start runs', () => {
  it.each([
    ['a Rolling Update Requested event', 'web-v8-20261121T0300'],
    ['an update plan', 'plan-nightly-s1-web'],
    ['a person', 'my-manual-rollout'],
  ])('holds a single-type group whose rolling update %s started, naming it', async (_by, name) => {
    const { w, run, calls } = twoGroups();
    const executionArn = w.applier.startOtherRollingUpdate(name, 'web');
    const result = await run();
    expect(byName(result.groups, 'web')).toMatchObject({ kind: 'recommended' });
    expect(JSON.stringify(byName(result.groups, 'web'))).toContain(executionArn);
    expect(calls('createLaunchTemplateVersion')).toHaveLength(0);
    expect(calls('startRollingUpdate')).toHaveLength(0);
    // Another group's rolling update holds only that group.
    expect(byName(result.groups, 'api')).toMatchObject({ kind: 'applied' });
  });

  it('holds a mixed group whose rolling update runs: new overrides would fight its refresh', async () => {
    const { w, run, calls } = twoGroups();
    w.applier.startOtherRollingUpdate('api-v3-20261121T0300', 'api');
    const result = await run();
    expect(byName(result.groups, 'api')).toMatchObject({ kind: 'recommended' });
    expect(calls('setMixedInstanceOverrides')).toHaveLength(0);
    expect(byName(result.groups, 'web')).toMatchObject({ kind: 'applied' });
  });

  it.each(['SUCCEEDED', 'FAILED', 'ABORTED'] as const)(
    'holds nothing once it has closed (%s)',
    async (status) => {
      const { w, run, calls } = twoGroups();
      w.applier.closeRollout(w.applier.startOtherRollingUpdate('web-v8-20261121T0300', 'web'), status);
      expect(byName((await run()).groups, 'web')).toMatchObject({ kind: 'applied' });
      expect(calls('startRollingUpdate')).toHaveLength(1);
    },
  );

  it('holds a group whose rolling update started after the first read, right before the change', async () => {
    const { w, calls } = twoGroups();
    const list = w.applier.runningRollingUpdates.bind(w.applier);
    let reads = 0;
    w.applier.runningRollingUpdates = async () => {
      reads += 1;
      // The first read (before pricing the change) sees none; the one right before the change sees it.
      if (reads === 2) w.applier.startOtherRollingUpdate('web-v8-20261122T0559', 'web');
      return list();
    };
    const result = await selectInstanceTypes(w.deps, {
      config,
      region: SELECTION_REGION,
      groupNames: ['web'],
      scheduledTimeMs: SELECTION_NOW_MS,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringMatching(/^pre-apply check failed: .*web-v8-20261122T0559/),
    });
    expect(calls('createLaunchTemplateVersion')).toHaveLength(0);
  });

  it('fails the group, changing nothing, when the running rolling updates cannot be read', async () => {
    const { w, run, calls } = twoGroups();
    w.applier.runningRollingUpdates = async () => {
      throw new Error('AccessDeniedException: states:ListExecutions');
    };
    const result = await run();
    expect(byName(result.groups, 'web')).toMatchObject({ kind: 'failed' });
    expect(byName(result.groups, 'api')).toMatchObject({ kind: 'failed' });
    expect(calls('startRollingUpdate')).toHaveLength(0);
    expect(calls('setMixedInstanceOverrides')).toHaveLength(0);
  });

  it('reads no rolling update when it applies nothing (pricing.apply off)', async () => {
    const { w } = twoGroups();
    w.applier.startOtherRollingUpdate('web-v8-20261121T0300', 'web');
    await selectInstanceTypes(w.deps, {
      config: selectionConfig(),
      region: SELECTION_REGION,
      scheduledTimeMs: SELECTION_NOW_MS,
    });
    expect(w.applier.runningReads).toBe(0);
  });
});
