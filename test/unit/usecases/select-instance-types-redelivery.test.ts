import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import {
  applyingSelectionConfig as applying,
  byName,
  SELECTION_NOW_MS,
  SELECTION_REGION,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

const config = applying();
const HOUR_MS = 3_600_000;
const SCHEDULED_MS = SELECTION_NOW_MS - 5 * 60_000;

describe('selectInstanceTypes delivered more than once', () => {
  it('rolls out one launch template version through one execution when a scheduled run is redelivered', async () => {
    const w = world([webGroup()]);
    const input = { config, region: SELECTION_REGION, scheduledTimeMs: SCHEDULED_MS };
    const first = await selectInstanceTypes(w.deps, input);
    // Lambda's retry of a timed-out run, or Scheduler delivering the same scheduled time twice.
    const redelivered = await selectInstanceTypes(w.deps, input);

    const change = {
      kind: 'launch-template-version',
      launchTemplateId: 'lt-web',
      sourceVersion: 7,
      instanceType: 'c7g.large',
      newVersion: 10,
      executionArn: expect.stringMatching(/:web-lt-web-v10$/),
    };
    expect(byName(first.groups, 'web')).toMatchObject({ kind: 'applied', change });
    expect(byName(redelivered.groups, 'web')).toEqual(byName(first.groups, 'web'));
    const creates = w.applier.calls.filter((c) => c.method === 'createLaunchTemplateVersion');
    expect(creates).toHaveLength(2);
    expect(creates[1]?.args).toEqual(creates[0]?.args);
    expect(creates[0]?.args[4]).toMatch(/^prescale-[A-Za-z0-9_-]{43}$/);
  });

  it('reports the rollout already started, with how it ended, when a redelivery comes after it closed', async () => {
    const w = world([webGroup()]);
    const input = { config, region: SELECTION_REGION, scheduledTimeMs: SCHEDULED_MS };
    const first = await selectInstanceTypes(w.deps, input);
    const { executionArn } = (byName(first.groups, 'web') as { change: { executionArn: string } }).change;
    // The rollout was refused and rolled back before Lambda's retry (or a dead letter redone).
    w.applier.closeRollout(executionArn, 'FAILED');
    const redelivered = await selectInstanceTypes(w.deps, input);
    expect(byName(redelivered.groups, 'web')).toMatchObject({
      kind: 'applied',
      change: { newVersion: 10, executionArn, rollout: 'already-started', rolloutStatus: 'FAILED' },
    });
    expect(byName(first.groups, 'web')).toMatchObject({ change: { rollout: 'started' } });
    expect(byName(first.groups, 'web')).not.toHaveProperty('change.rolloutStatus');
  });

  it('fails the group, starting nothing, when the rollout’s name is held by another input', async () => {
    const w = world([webGroup()]);
    w.applier.takeRolloutName('web-lt-web-v10', 'SUCCEEDED');
    const result = await selectInstanceTypes(w.deps, {
      config,
      region: SELECTION_REGION,
      scheduledTimeMs: SCHEDULED_MS,
    });
    expect(byName(result.groups, 'web')).toMatchObject({
      kind: 'failed',
      error: expect.objectContaining({
        name: 'RejectedRequestError',
        message: expect.stringMatching(
          /ExecutionAlreadyExists: arn:.*:web-lt-web-v10 \(SUCCEEDED\) has another input; the rollout was NOT started/,
        ),
      }),
    });
  });

  it('creates a new version for a later run of the same decision', async () => {
    const w = world([webGroup()]);
    const run = (scheduledTimeMs: number) =>
      selectInstanceTypes(w.deps, { config, region: SELECTION_REGION, scheduledTimeMs });
    const first = await run(SCHEDULED_MS);
    expect(byName(first.groups, 'web')).toMatchObject({ change: { newVersion: 10 } });
    // Its rollout has ended (while it runs, the next run is held: the waiting-rollout tests),
    // stopped by an operator: one that succeeded and was reverted is held (revertedChangeHold).
    w.applier.closeRollout(rolloutOf(first), 'ABORTED');
    const nextDay = await run(SCHEDULED_MS + 24 * HOUR_MS);
    expect(byName(nextDay.groups, 'web')).toMatchObject({
      kind: 'applied',
      change: { newVersion: 11, executionArn: expect.stringMatching(/-v11$/) },
    });
  });

  it('takes each on-demand run, which has no scheduled time, as a run of its own', async () => {
    const w = world([webGroup()]);
    let nowMs = SELECTION_NOW_MS;
    const deps = { ...w.deps, clock: { nowMs: () => nowMs } };
    const first = await selectInstanceTypes(deps, { config, region: SELECTION_REGION });
    w.applier.closeRollout(rolloutOf(first), 'ABORTED');
    nowMs += 60_000;
    const again = await selectInstanceTypes(deps, { config, region: SELECTION_REGION });
    expect(byName(again.groups, 'web')).toMatchObject({ change: { newVersion: 11 } });
  });

  it('fails the group, changing nothing more, when a redelivery of the run decides another type', async () => {
    const w = world([webGroup()]);
    const input = { config, region: SELECTION_REGION, scheduledTimeMs: SCHEDULED_MS };
    await selectInstanceTypes(w.deps, input);
    // Another type for the same run: its token was used with another request.
    const other = await selectInstanceTypes(w.deps, {
      ...input,
      config: applying({ excludedFamilies: ['c7g'] }),
    });
    expect(byName(other.groups, 'web')).toMatchObject({
      kind: 'failed',
      error: expect.objectContaining({
        name: 'RejectedRequestError',
        message: expect.stringContaining('IdempotentParameterMismatch'),
      }),
    });
    expect(w.applier.calls.filter((c) => c.method === 'startRollingUpdate')).toHaveLength(1);
  });
});

/** The execution ARN of the rollout a run started for `web`. */
function rolloutOf(result: Awaited<ReturnType<typeof selectInstanceTypes>>): string {
  return (byName(result.groups, 'web') as { change: { executionArn: string } }).change.executionArn;
}
