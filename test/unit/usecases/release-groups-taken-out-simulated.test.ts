import { overrideAwsTransport } from '../../../shared/aws/aws-clients';
import { releaseGroupsTakenOut } from '../../../shared/usecases/release-groups-taken-out';
import { type ForecastFn, scaleGroups } from '../../../shared/usecases/scale-groups';
import {
  SCALE_GROUPS_NOW_MS as NOW,
  peakWithinTheHour,
  webLookAheadConfig,
} from '../../helpers/scale-groups-setup';
import { simulatedWebGroup } from '../../helpers/simulated-web-group';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/**
 * `web` in the simulated Auto Scaling (MinSize 2, MaxSize 10) after a live run that raised MaxSize
 * to 12 and MinSize to 12 for a peak of 720 and wrote a look-ahead whose last action gives back
 * MinSize 2 and MaxSize 10 24 h out; then taken out of the enrolment (the dispatch no longer finds
 * it) and released by the real use case on the real adapters.
 */
async function takenOutAfterRaise() {
  const { world, deps } = simulatedWebGroup(10, peakWithinTheHour() as ForecastFn);
  const config = webLookAheadConfig(24, 2);
  const [live] = await scaleGroups(deps, config, [{ groupName: 'web', tickMs: NOW }]);
  expect(live).toMatchObject({ outcome: { kind: 'applied', after: { minSize: 12, maxSize: 12 } } });
  const bounds = () =>
    (
      world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
        AutoScalingGroups: { MinSize: number; MaxSize: number; DesiredCapacity: number }[];
      }
    ).AutoScalingGroups[0];
  const actions = () =>
    (
      world.autoScaling.describeScheduledActions({ AutoScalingGroupName: 'web' }) as {
        ScheduledUpdateGroupActions: { ScheduledActionName: string }[];
      }
    ).ScheduledUpdateGroupActions.map((a) => a.ScheduledActionName);
  const pause = () =>
    world.autoScaling.createOrUpdateTags({
      Tags: [
        {
          ResourceId: 'web',
          ResourceType: 'auto-scaling-group',
          Key: 'prescale:paused',
          Value: 'true',
          PropagateAtLaunch: false,
        },
      ],
    });
  let worldMs = NOW;
  /** Moves the world on to `toMs`, a quarter-minute at a time. */
  const advance = (toMs: number) => {
    for (; worldMs <= toMs; worldMs += 15_000) world.advanceTo(worldMs);
  };
  /** The dispatch's release, `atMinutes` after the live run. */
  const release = (atMinutes = 5) => {
    advance(NOW + atMinutes * MINUTE_MS);
    return releaseGroupsTakenOut(deps, config, new Set(), { nowMs: NOW + atMinutes * MINUTE_MS });
  };
  /** A day on, past the look-ahead's last action. */
  const aDayOn = () => advance(NOW + 25 * HOUR_MS);
  const tags = () =>
    (
      world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
        AutoScalingGroups: { Tags: { Key: string }[] }[];
      }
    ).AutoScalingGroups[0]?.Tags.map((t) => t.Key);
  return { world, bounds, actions, tags, pause, advance, release, aDayOn };
}

afterEach(() => overrideAwsTransport(undefined));

describe('releaseGroupsTakenOut on the simulated Auto Scaling', () => {
  it("keeps the give-back on a paused group whose bounds are still Prescale's: they are the group's own a day on", async () => {
    const w = await takenOutAfterRaise();
    w.pause();
    expect(await w.release()).toMatchObject([
      { kind: 'released', groupName: 'web', givesBack: { minSize: 2, maxSize: 10 } },
    ]);
    w.aDayOn();
    expect(w.bounds()).toMatchObject({ MinSize: 2, MaxSize: 10 });
  });

  it('deletes the give-back on a paused group whose MaxSize the operator set by hand, which it then no longer owns', async () => {
    const w = await takenOutAfterRaise();
    w.pause();
    w.world.autoScaling.updateAutoScalingGroup({ AutoScalingGroupName: 'web', MaxSize: 20 });
    const [released] = await w.release();
    expect(released).toMatchObject({ kind: 'released', groupName: 'web', restored: {} });
    expect(released).not.toHaveProperty('givesBack');
    expect(w.actions()).toEqual([]);
    w.aDayOn();
    expect(w.bounds()).toMatchObject({ MinSize: 12, MaxSize: 20, DesiredCapacity: 12 });
  });

  it('deletes the give-back on a paused group whose MinSize the operator set by hand', async () => {
    const w = await takenOutAfterRaise();
    w.pause();
    w.world.autoScaling.updateAutoScalingGroup({ AutoScalingGroupName: 'web', MinSize: 11 });
    const [released] = await w.release();
    expect(released).not.toHaveProperty('givesBack');
    w.aDayOn();
    expect(w.bounds()).toMatchObject({ MinSize: 11, MaxSize: 12 });
  });
});

describe('releaseGroupsTakenOut while someone else changes the group’s capacity', () => {
  it('gives back no bounds during an instance refresh: deletes the look-ahead, its give-back too, and waits for it to end', async () => {
    const w = await takenOutAfterRaise();
    // Once the raise's 12 instances are in service, the owner refreshes them, one at a time.
    w.advance(NOW + 5 * MINUTE_MS);
    w.world.autoScaling.startInstanceRefresh({
      AutoScalingGroupName: 'web',
      Preferences: { MinHealthyPercentage: 90, InstanceWarmup: 60 },
    });
    expect(await w.release(6)).toEqual([
      { kind: 'held', groupName: 'web', reason: 'an instance refresh is in progress', removedActions: 4 },
    ]);
    expect(w.actions()).toEqual([]);
    expect(w.bounds()).toMatchObject({ MinSize: 12, MaxSize: 12, DesiredCapacity: 12 });
    expect(w.tags()).toContain('prescale:deployment');
    // The first dispatch after the refresh gives the group's own bounds back.
    expect(await w.release(90)).toMatchObject([
      { kind: 'released', groupName: 'web', restored: { minSize: 2, maxSize: 10 } },
    ]);
    expect(w.tags()).not.toContain('prescale:deployment');
  });

  it('gives back no bounds while the owner has suspended Terminate, and keeps the tag for a later dispatch', async () => {
    const w = await takenOutAfterRaise();
    w.world.autoScaling.suspendProcesses({ AutoScalingGroupName: 'web', ScalingProcesses: ['Terminate'] });
    expect(await w.release()).toEqual([
      {
        kind: 'held',
        groupName: 'web',
        reason: 'processes suspended on the group: Terminate',
        removedActions: 4,
      },
    ]);
    w.aDayOn();
    expect(w.bounds()).toMatchObject({ MinSize: 12, MaxSize: 12, DesiredCapacity: 12 });
    expect(w.tags()).toContain('prescale:deployment');
  });
});
