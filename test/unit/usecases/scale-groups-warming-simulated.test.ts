import { AutoScalingScalingTarget } from '../../../shared/aws/auto-scaling-scaling-target';
import { overrideAwsTransport } from '../../../shared/aws/aws-clients';
import { createAwsClients } from '../../../shared/aws/create-aws-clients';
import { SimulatedWorld } from '../../../shared/simulation/world/simulated-world';
import { FLAT_RUN_NOW as NOW, runFlatForecast as run } from '../../helpers/flat-forecast-run';

/**
 * A group without scaling policies in the simulated Auto Scaling, which terminates the oldest
 * (ready) instances first on scale-in: 12 ready instances, then 3 launched 150 s before the run,
 * InService 90 s before it and warming (180 s) when it runs.
 */
function untrackedGroupWithWarmingLaunches(): SimulatedWorld {
  const world = new SimulatedWorld({ startMs: NOW - 600_000, seed: 1 });
  world.createGroup({
    name: 'web',
    minSize: 12,
    maxSize: 20,
    desiredCapacity: 12,
    instanceType: 'm5.large',
    launchDelaySeconds: 60,
    launchJitterSeconds: 0,
    warmupSeconds: 180,
    warmPoolLaunchSeconds: 20,
  });
  for (let t = NOW - 600_000; t <= NOW - 150_000; t += 15_000) world.advanceTo(t);
  world.autoScaling.updateAutoScalingGroup({ AutoScalingGroupName: 'web', MinSize: 15, DesiredCapacity: 15 });
  for (let t = NOW - 150_000; t <= NOW; t += 15_000) world.advanceTo(t);
  return world;
}

/** The adapter under test on the SDK's Auto Scaling client, its commands answered by the simulated world. */
function scalingTargetOn(world: SimulatedWorld): AutoScalingScalingTarget {
  overrideAwsTransport({ answer: world.answer });
  return new AutoScalingScalingTarget(createAwsClients({ region: 'us-east-1' }).autoScaling);
}

afterEach(() => overrideAwsTransport(undefined));

describe('scaleGroups on a simulated group without scaling policies while launches warm', () => {
  it("leaves the recent peak's need in ready instances when it scales in", async () => {
    const world = untrackedGroupWithWarmingLaunches();
    expect(world.autoScaling.counts('web')).toMatchObject({ inService: 15, ready: 12, warming: 3 });
    const { result } = await run({
      forecastLoad: 120,
      actual: [240, 250, 240],
      defaults: { scaleInPerTick: 20 },
      scalingTarget: scalingTargetOn(world),
    });
    // The forecast needs 2; the newest 240 at 54 per instance needs 5 ready, on top of 3 warming.
    expect(result?.kind === 'ran' && result.outcome).toMatchObject({
      kind: 'applied',
      after: { minSize: 8, desiredCapacity: 8 },
    });
    world.advanceTo(NOW + 15_000);
    expect(world.autoScaling.counts('web')).toMatchObject({ inService: 8, ready: 5, warming: 3 });
  });
});
