import { ROLLED_OUT_ERROR } from '../../../shared/core/update-plan/types';
import type { InstanceTypeOverride } from '../../../shared/ports/instance-catalog';
import type { MixedInstancesOverride } from '../../../shared/ports/scaling-target';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import {
  apiGroup,
  applyingSelectionConfig,
  byName,
  SELECTION_NOW_MS,
  SELECTION_REGION,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

const config = applyingSelectionConfig();
const DAY_MS = 24 * 3_600_000;
type World = ReturnType<typeof world>;

/** The selection's daily run `days` after the first, on the world's clock. */
async function runOnDay(w: World, days: number, groupName: string) {
  const nowMs = SELECTION_NOW_MS + days * DAY_MS;
  w.deps = { ...w.deps, clock: { nowMs: () => nowMs } };
  const result = await selectInstanceTypes(w.deps, {
    config,
    region: SELECTION_REGION,
    scheduledTimeMs: nowMs,
  });
  return byName(result.groups, groupName);
}

const writes = (w: World) =>
  w.applier.calls.filter(
    (c) => c.method === 'setMixedInstanceOverrides' || c.method === 'createLaunchTemplateVersion',
  ).length;

const API_OVERRIDES = apiGroup().mixedInstances?.overrides ?? [];

/** Gives the fake group `api` these overrides, as Auto Scaling would after a write of them. */
function setApiOverrides(w: World, overrides: readonly MixedInstancesOverride[]) {
  const group = apiGroup();
  const mixed = group.mixedInstances;
  if (!mixed) throw new Error('api is a mixed group');
  w.target.groups.set('api', { ...group, mixedInstances: { ...mixed, overrides } });
}

/** The overrides the selection last wrote to `api`. */
function writtenOverrides(w: World): readonly InstanceTypeOverride[] {
  const call = w.applier.calls.filter((c) => c.method === 'setMixedInstanceOverrides').at(-1);
  if (!call) throw new Error('no overrides were written');
  return call.args[2] as readonly InstanceTypeOverride[];
}

const REVERTED =
  /reverted since 2026-11-22T06:00:00\.000Z by another actor \(e\.g\. the owner's infrastructure as code\).*Prescale will not re-apply it/s;

describe('selectInstanceTypes after another actor reverted the change it applied', () => {
  it("recommends only, and writes nothing, once a mixed group's overrides are back to what it changed", async () => {
    const w = world([apiGroup()]);
    expect(await runOnDay(w, 0, 'api')).toMatchObject({ kind: 'applied' });
    setApiOverrides(w, writtenOverrides(w));
    expect(await runOnDay(w, 1, 'api')).toMatchObject({ kind: 'unchanged' });

    // The owner's deploy puts its own overrides back.
    setApiOverrides(w, API_OVERRIDES);
    const next = await runOnDay(w, 2, 'api');
    expect(next).toMatchObject({ kind: 'recommended', reason: expect.stringMatching(REVERTED) });
    expect(next).toMatchObject({ reason: expect.stringContaining('m5.large, m5.xlarge') });
    expect(writes(w)).toBe(1);
  });

  it('applies again when the owner chose other types since (a new baseline)', async () => {
    const w = world([apiGroup()]);
    await runOnDay(w, 0, 'api');
    setApiOverrides(w, [
      { instanceType: 'm6i.large', weightedCapacity: 2 },
      { instanceType: 'm6i.xlarge', weightedCapacity: 4 },
    ]);
    expect(await runOnDay(w, 1, 'api')).toMatchObject({ kind: 'applied' });
    expect(writes(w)).toBe(2);
  });

  it('applies again once the record of the reverted change is deleted (the opt back in)', async () => {
    const w = world([apiGroup()]);
    await runOnDay(w, 0, 'api');
    setApiOverrides(w, API_OVERRIDES);
    expect(await runOnDay(w, 1, 'api')).toMatchObject({ kind: 'recommended' });
    w.appliedChanges.records.delete('api');
    expect(await runOnDay(w, 2, 'api')).toMatchObject({ kind: 'applied' });
    expect(writes(w)).toBe(2);
  });

  it("makes no new version once a single-type group's rolled-out type is back to what it changed", async () => {
    const w = world([webGroup()]);
    expect(await runOnDay(w, 0, 'web')).toMatchObject({
      kind: 'applied',
      change: { instanceType: 'c7g.large', newVersion: 10 },
    });
    const executionArn = w.rollouts.records.get('web')?.rollout.executionArn ?? '';
    w.applier.closeRollout(executionArn, 'SUCCEEDED');
    const template = w.instanceCatalog.templates['lt-web'];
    if (!template) throw new Error('lt-web is a template of the world');
    // The rollout leaves the group on the new version.
    w.instanceCatalog.templates['lt-web'] = { ...template, versionNumber: 10, instanceType: 'c7g.large' };
    w.target.groups.set('web', webGroup({ launchTemplate: { id: 'lt-web', version: '10' } }));
    expect(await runOnDay(w, 1, 'web')).toMatchObject({ kind: 'unchanged' });

    // A stack update makes version 11 of the owner's type and points the group at it.
    w.instanceCatalog.templates['lt-web'] = { ...template, versionNumber: 11, instanceType: 'c6gn.large' };
    w.target.groups.set('web', webGroup({ launchTemplate: { id: 'lt-web', version: '11' } }));
    expect(await runOnDay(w, 2, 'web')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringMatching(REVERTED),
    });
    expect(w.applier.calls.map((c) => c.method)).toEqual([
      'createLaunchTemplateVersion',
      'startRollingUpdate',
    ]);
  });

  it('makes no new version once the owner restores a type whose rollout ended Rolled out, needs attention', async () => {
    const w = world([webGroup()]);
    await runOnDay(w, 0, 'web');
    const executionArn = w.rollouts.records.get('web')?.rollout.executionArn ?? '';
    // The refresh rolled out and a later step (the capacity restore) failed: the group ran the new
    // type, so the owner's stack update that restores the old one is a revert.
    w.applier.closeRollout(executionArn, 'FAILED', ROLLED_OUT_ERROR);
    const template = w.instanceCatalog.templates['lt-web'];
    if (!template) throw new Error('lt-web is a template of the world');
    w.instanceCatalog.templates['lt-web'] = { ...template, versionNumber: 11, instanceType: 'c6gn.large' };
    w.target.groups.set('web', webGroup({ launchTemplate: { id: 'lt-web', version: '11' } }));
    expect(await runOnDay(w, 1, 'web')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringMatching(REVERTED),
    });
    expect(w.applier.calls.map((c) => c.method)).toEqual([
      'createLaunchTemplateVersion',
      'startRollingUpdate',
    ]);
  });

  it('rolls the type out again after its rollout was rolled back: no other actor reverted it', async () => {
    const w = world([webGroup()]);
    await runOnDay(w, 0, 'web');
    const executionArn = w.rollouts.records.get('web')?.rollout.executionArn ?? '';
    w.applier.closeRollout(executionArn, 'FAILED', 'GroupChangedSinceValidation');
    expect(await runOnDay(w, 1, 'web')).toMatchObject({ kind: 'applied' });
  });
});
