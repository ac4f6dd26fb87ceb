import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import {
  byName,
  rolloutSelectionConfig,
  SELECTION_NOW_MS,
  SELECTION_REGION,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

const config = rolloutSelectionConfig();
const DAY_MS = 86_400_000;

/** A world whose first daily run started a rollout (v10) that still waits for its window. */
async function afterFirstRollout() {
  const w = world([webGroup()]);
  const run = (scheduledTimeMs: number) =>
    selectInstanceTypes(w.deps, { config, region: SELECTION_REGION, scheduledTimeMs });
  const first = await run(SELECTION_NOW_MS);
  expect(byName(first.groups, 'web')).toMatchObject({ kind: 'applied', change: { newVersion: 10 } });
  const executionArn = (first.groups[0] as { change: { executionArn: string } }).change.executionArn;
  const starts = () => w.applier.calls.filter((c) => c.method === 'startRollingUpdate').length;
  return { w, run, executionArn, starts };
}

describe('selectInstanceTypes while an earlier rollout waits for its window', () => {
  it('holds a group whose earlier rollout is still running, naming it', async () => {
    const { run, executionArn, starts } = await afterFirstRollout();
    // No lock, no refresh, the group still on v7: the next day's run decides the same change again.
    const nextDay = await run(SELECTION_NOW_MS + DAY_MS);
    expect(byName(nextDay.groups, 'web')).toMatchObject({ kind: 'recommended' });
    expect(JSON.stringify(byName(nextDay.groups, 'web'))).toContain(executionArn);
    expect(starts()).toBe(1);
  });

  it('still answers a redelivery of the run that started it with that rollout', async () => {
    const { run, starts } = await afterFirstRollout();
    const again = await run(SELECTION_NOW_MS);
    expect(byName(again.groups, 'web')).toMatchObject({ kind: 'applied', change: { newVersion: 10 } });
    expect(starts()).toBe(2);
  });

  it('holds nothing once it has succeeded', async () => {
    const { w, run, executionArn, starts } = await afterFirstRollout();
    w.applier.closeRollout(executionArn, 'SUCCEEDED');
    // The fake group is still on c6gn.large, a revert of the rollout that revertedChangeHold holds
    // (select-instance-types-reverted-change.test.ts); without its record, nothing holds the group.
    w.appliedChanges.records.delete('web');
    const nextDay = await run(SELECTION_NOW_MS + DAY_MS);
    expect(byName(nextDay.groups, 'web')).toMatchObject({ kind: 'applied', change: { newVersion: 11 } });
    expect(starts()).toBe(2);
  });

  it('once it has been rolled back, holds its type only (failedRolloutHold), not the group', async () => {
    const { w, run, executionArn, starts } = await afterFirstRollout();
    w.applier.closeRollout(executionArn, 'FAILED');
    const nextDay = await run(SELECTION_NOW_MS + DAY_MS);
    expect(byName(nextDay.groups, 'web')).toMatchObject({
      kind: 'recommended',
      reason: expect.stringContaining('ended FAILED (its execution says why)'),
    });
    expect(starts()).toBe(1);
  });

  it('holds nothing once an operator stopped it (ABORTED)', async () => {
    const { w, run, executionArn, starts } = await afterFirstRollout();
    w.applier.closeRollout(executionArn, 'ABORTED');
    const nextDay = await run(SELECTION_NOW_MS + DAY_MS);
    expect(byName(nextDay.groups, 'web')).toMatchObject({ kind: 'applied' });
    expect(starts()).toBe(2);
  });

  it('fails the group, starting nothing, when the rollout cannot be read', async () => {
    const { w, run, starts } = await afterFirstRollout();
    w.applier.rolloutStatus = async () => {
      throw new Error('AccessDeniedException: states:DescribeExecution');
    };
    const nextDay = await run(SELECTION_NOW_MS + DAY_MS);
    expect(byName(nextDay.groups, 'web')).toMatchObject({ kind: 'failed' });
    expect(starts()).toBe(1);
  });

  it('holds nothing for a rollout recorded whose start never came', async () => {
    const { w, run, executionArn, starts } = await afterFirstRollout();
    // The first rollout closed (a running one would hold the group, listed as running).
    w.applier.closeRollout(executionArn, 'FAILED');
    w.rollouts.records.set('web', {
      rollout: {
        executionArn: 'arn:aws:states:eu-west-1:123456789012:execution:rolling-update:never-started',
        runTimeMs: 1,
      },
      expiresAtMs: Number.MAX_SAFE_INTEGER,
    });
    const nextDay = await run(SELECTION_NOW_MS + DAY_MS);
    expect(byName(nextDay.groups, 'web')).toMatchObject({ kind: 'applied' });
    expect(starts()).toBe(2);
  });

  it('records the rollout before starting it, so a run failing at the record starts none', async () => {
    const w = world([webGroup()]);
    const run = (scheduledTimeMs: number) =>
      selectInstanceTypes(w.deps, { config, region: SELECTION_REGION, scheduledTimeMs });
    const recordRollout = w.rollouts.recordRollout.bind(w.rollouts);
    w.rollouts.recordRollout = async () => {
      throw new Error('ProvisionedThroughputExceededException');
    };
    expect(byName((await run(SELECTION_NOW_MS)).groups, 'web')).toMatchObject({ kind: 'failed' });
    w.rollouts.recordRollout = recordRollout;
    expect(byName((await run(SELECTION_NOW_MS + DAY_MS)).groups, 'web')).toMatchObject({ kind: 'applied' });
    expect(w.applier.calls.filter((c) => c.method === 'startRollingUpdate')).toHaveLength(1);
  });

  it('fails the group when the record cannot be read', async () => {
    const { w, run, starts } = await afterFirstRollout();
    w.rollouts.lastRollout = async () => {
      throw new Error('DynamoDB GetItem failed');
    };
    const nextDay = await run(SELECTION_NOW_MS + DAY_MS);
    expect(byName(nextDay.groups, 'web')).toMatchObject({ kind: 'failed' });
    expect(starts()).toBe(1);
  });
});
