import { FAILED_ROLLOUT_BACKOFF_MS } from '../../../shared/usecases/instance-type-apply-hold';
import { selectInstanceTypes } from '../../../shared/usecases/select-instance-types';
import {
  byName,
  SELECTION_NOW_MS,
  SELECTION_REGION,
  selectionConfig,
  webGroup,
  selectionWorld as world,
} from '../../helpers/select-instance-types-world';

const config = selectionConfig({
  pricing: { apply: true },
  rollingUpdate: { autoStartOnInstanceTypeChange: true },
});
const DAY_MS = 24 * 3_600_000;

/** The selection's daily run `days` after the first, on the world's clock. */
async function runOnDay(w: ReturnType<typeof world>, days: number) {
  const nowMs = SELECTION_NOW_MS + days * DAY_MS;
  w.deps = { ...w.deps, clock: { nowMs: () => nowMs } };
  return selectInstanceTypes(w.deps, { config, region: SELECTION_REGION, scheduledTimeMs: nowMs });
}

/** Ends the rollout the selection recorded for web with `status`, as its rolling update would have. */
function endRollouts(w: ReturnType<typeof world>, status: 'SUCCEEDED' | 'FAILED', error?: string) {
  const rollout = w.rollouts.records.get('web')?.rollout;
  if (!rollout) throw new Error('no rollout of web was recorded');
  w.applier.closeRollout(rollout.executionArn, status, error);
}

const creates = (w: ReturnType<typeof world>) =>
  w.applier.calls.filter((c) => c.method === 'createLaunchTemplateVersion').length;

describe('selectInstanceTypes after a rollout of its recommended type failed', () => {
  it('does not try the same type again for seven days, then does', async () => {
    const w = world([webGroup()]);
    expect(byName((await runOnDay(w, 0)).groups, 'web')).toMatchObject({ kind: 'applied' });
    // Rolled back: its Fail state's Error is the step's that failed (an alarm, a launch).
    endRollouts(w, 'FAILED', 'RefreshFailed');

    const next = byName((await runOnDay(w, 1)).groups, 'web');
    expect(next).toMatchObject({
      kind: 'recommended',
      reason: expect.stringMatching(
        /ended FAILED with RefreshFailed \(its execution says why\): Prescale does not try c7g\.large on the group again before /,
      ),
    });
    expect(creates(w)).toBe(1);

    const later = byName((await runOnDay(w, FAILED_ROLLOUT_BACKOFF_MS / DAY_MS)).groups, 'web');
    expect(later).toMatchObject({ kind: 'applied' });
    expect(creates(w)).toBe(2);
  });

  it('rolls the type out again the next day after a rollout that succeeded', async () => {
    const w = world([webGroup()]);
    await runOnDay(w, 0);
    endRollouts(w, 'SUCCEEDED');
    // The fake group is still on c6gn.large, a revert of the rollout that revertedChangeHold holds
    // (select-instance-types-reverted-change.test.ts); without its record, the type is not held.
    w.appliedChanges.records.delete('web');
    expect(byName((await runOnDay(w, 1)).groups, 'web')).toMatchObject({ kind: 'applied' });
  });

  it.each([
    ['refused: the group changed while it waited', 'GroupChangedSinceValidation', false],
    ['refused: the group was locked', 'GroupLocked', false],
    ['a step failed before any headroom, nothing changed', 'FailedBeforeAnyChange', false],
    ['rolled out, a later step failed', 'RolledOutNeedsAttention', true],
  ])(
    'rolls it out again the next day after a failure that says nothing against the type (%s)',
    async (_why, error, rolledOut) => {
      const w = world([webGroup()]);
      await runOnDay(w, 0);
      endRollouts(w, 'FAILED', error);
      // One that rolled out left the group on the new type: the fake's old type is then a revert
      // (held by revertedChangeHold, as above); without its record, the type is not held.
      if (rolledOut) w.appliedChanges.records.delete('web');
      expect(byName((await runOnDay(w, 1)).groups, 'web')).toMatchObject({ kind: 'applied' });
    },
  );
});
