import { seededRandom } from '../../../../shared/simulation/seeded-random';
import { SimulatedAutoScaling } from '../../../../shared/simulation/world/simulated-auto-scaling';
import { webGroupSpec } from '../../../helpers/web-group-spec';

const START = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

/** `web`: 10 instances of version 1, 2-minute launches, 1-minute warmup. */
function tenInstances() {
  const asg = new SimulatedAutoScaling(seededRandom(1), START);
  asg.createGroup(webGroupSpec({ maxSize: 20, desiredCapacity: 10 }));
  return asg;
}

const status = (asg: SimulatedAutoScaling) =>
  (
    asg.describeInstanceRefreshes({ AutoScalingGroupName: 'web' }) as {
      InstanceRefreshes: { Status: string }[];
    }
  ).InstanceRefreshes[0]?.Status;

/** Runs a refresh to version 2 with the given healthy bounds; the fewest ready and most active instances on the way. */
function refreshWithin(minHealthy: number, maxHealthy: number, failVersion2 = false) {
  const asg = tenInstances();
  if (failVersion2) asg.failHealthChecksOf('web', '2');
  asg.startInstanceRefresh({
    AutoScalingGroupName: 'web',
    DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
    Preferences: {
      MinHealthyPercentage: minHealthy,
      MaxHealthyPercentage: maxHealthy,
      ...(failVersion2 ? { AutoRollback: true } : {}),
    },
  });
  let fewestReady = Number.POSITIVE_INFINITY;
  let mostActive = 0;
  for (let t = START; t <= START + 240 * MINUTE; t += MINUTE / 4) {
    asg.advanceTo(t);
    const c = asg.counts('web');
    fewestReady = Math.min(fewestReady, c.ready);
    mostActive = Math.max(mostActive, c.pending + c.inService);
  }
  return { asg, fewestReady, mostActive };
}

describe('a simulated instance refresh within MinHealthyPercentage and MaxHealthyPercentage', () => {
  it.each([
    [100, 110, 10, 11],
    [90, 110, 9, 11],
    [90, 100, 9, 10],
    [50, 150, 5, 15],
  ])(
    'at %i / %i %% keeps at least %i instances ready and at most %i in the group',
    (min, max, ready, active) => {
      const { asg, fewestReady, mostActive } = refreshWithin(min, max);
      expect(status(asg)).toBe('Successful');
      expect(fewestReady).toBe(ready);
      expect(mostActive).toBe(active);
      const described = asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
        AutoScalingGroups: { Instances: { LaunchTemplate: { Version: string } }[] }[];
      };
      const versions = described.AutoScalingGroups[0]?.Instances.map((i) => i.LaunchTemplate.Version);
      expect(versions).toEqual(Array.from({ length: 10 }, () => '2'));
    },
  );

  it('refuses MaxHealthyPercentage without MinHealthyPercentage with ValidationError, as AWS does', () => {
    const asg = tenInstances();
    expect(() =>
      asg.startInstanceRefresh({
        AutoScalingGroupName: 'web',
        DesiredConfiguration: { LaunchTemplate: { Version: '2' } },
        Preferences: { MaxHealthyPercentage: 150 },
      }),
    ).toThrow(
      expect.objectContaining({
        Code: 'ValidationError',
        message: expect.stringMatching(/MinHealthyPercentage.*MaxHealthyPercentage 150/),
      }),
    );
    expect(status(asg)).toBeUndefined();
  });

  it('keeps the old instances a failed batch was replacing: the rollback finds them in service', () => {
    const { asg, fewestReady } = refreshWithin(100, 110, true);
    expect(status(asg)).toBe('RollbackSuccessful');
    // The unhealthy replacement never served; the instance it was replacing never left.
    expect(fewestReady).toBe(10);
    const c = asg.counts('web');
    expect(c.pending + c.inService).toBe(10);
  });
});
