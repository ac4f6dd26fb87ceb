import { overrideAwsTransport } from '../../../shared/aws/aws-clients';
import { removeLookAhead } from '../../../shared/usecases/remove-look-ahead';
import { type ForecastFn, scaleGroups } from '../../../shared/usecases/scale-groups';
import {
  SCALE_GROUPS_NOW_MS as NOW,
  peakWithinTheHour,
  webLookAheadConfig,
} from '../../helpers/scale-groups-setup';
import { simulatedWebGroup } from '../../helpers/simulated-web-group';

const MINUTE_MS = 60_000;

/**
 * `web` in the simulated Auto Scaling (MinSize 2, MaxSize 10) after a live run that raised MaxSize
 * to 12 and MinSize to 12 for a peak of 720, then a run held by the kill switch half an hour on,
 * which keeps only the look-ahead's last action (it gives MinSize 2 and MaxSize 10 back 24 h out):
 * the state an operator who sets the kill switch and then deletes the stack leaves.
 */
async function heldAfterRaise() {
  const { world, deps, clock, killSwitch } = simulatedWebGroup(10, peakWithinTheHour() as ForecastFn);
  const config = webLookAheadConfig(24, 2);
  const [live] = await scaleGroups(deps, config, [{ groupName: 'web', tickMs: NOW }]);
  expect(live).toMatchObject({ outcome: { kind: 'applied', after: { minSize: 12, maxSize: 12 } } });
  let worldMs = NOW;
  /** Moves the world on to `toMs`, a quarter-minute at a time. */
  const advance = (toMs: number) => {
    for (; worldMs <= toMs; worldMs += 15_000) world.advanceTo(worldMs);
  };
  killSwitch.on = true;
  advance(NOW + 30 * MINUTE_MS);
  clock.ms = NOW + 30 * MINUTE_MS;
  await scaleGroups(deps, config, [{ groupName: 'web', tickMs: clock.ms }]);
  const group = () =>
    (
      world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
        AutoScalingGroups: { MinSize: number; MaxSize: number; Tags: { Key: string }[] }[];
      }
    ).AutoScalingGroups[0];
  const actions = () =>
    (
      world.autoScaling.describeScheduledActions({ AutoScalingGroupName: 'web' }) as {
        ScheduledUpdateGroupActions: { ScheduledActionName: string }[];
      }
    ).ScheduledUpdateGroupActions.map((a) => a.ScheduledActionName);
  expect(actions()).toHaveLength(1);
  /** The stack's deletion, `atMinutes` after the live run. */
  const remove = (atMinutes: number) => {
    advance(NOW + atMinutes * MINUTE_MS);
    // Every run has ended by then: nothing to wait for.
    const sleep = async () => {
      throw new Error('no scaling run holds the group');
    };
    return removeLookAhead({ ...deps, sleep }, config, { nowMs: NOW + atMinutes * MINUTE_MS });
  };
  return { world, group, actions, advance, remove };
}

afterEach(() => overrideAwsTransport(undefined));

describe('removeLookAhead on the simulated Auto Scaling', () => {
  it("gives the group its own bounds back under the kill switch, since the give-back action it deletes can't any more", async () => {
    const w = await heldAfterRaise();
    const result = await w.remove(35);
    expect(w.group()).toMatchObject({ MinSize: 2, MaxSize: 10 });
    expect(result).toEqual({
      groups: 1,
      removed: { web: 1 },
      restored: { web: { minSize: 2, maxSize: 10 } },
      notRestored: {},
      leftToOtherDeployments: {},
      released: ['web'],
      failed: [],
    });
    expect(w.group()?.Tags.map((t) => t.Key)).not.toContain('prescale:deployment');
    expect(w.actions()).toEqual([]);
  });

  it("gives up a group under an instance refresh without failing the deletion: its tag goes, the look-ahead's give-back of its own bounds stays", async () => {
    const w = await heldAfterRaise();
    w.world.autoScaling.startInstanceRefresh({
      AutoScalingGroupName: 'web',
      Preferences: { MinHealthyPercentage: 90, InstanceWarmup: 60 },
    });
    const before = { MinSize: w.group()?.MinSize, MaxSize: w.group()?.MaxSize };
    expect(before.MaxSize).toBe(12);
    const during = await w.remove(36);
    expect(during).toMatchObject({
      failed: [],
      released: ['web'],
      notRestored: {
        web: expect.stringMatching(
          /^an instance refresh is in progress: its look-ahead's last action gives MinSize 2 back at /,
        ),
      },
    });
    expect(w.group()).toMatchObject(before);
    expect(w.group()?.Tags.map((t) => t.Key)).not.toContain('prescale:deployment');
    // Auto Scaling runs the kept give-back at its time: the group's own bounds, with no Prescale left.
    w.advance(NOW + 26 * 60 * MINUTE_MS);
    expect(w.group()).toMatchObject({ MinSize: 2, MaxSize: 10 });
  });
});
