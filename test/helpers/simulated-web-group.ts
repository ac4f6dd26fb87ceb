import { AutoScalingGroupOwnership } from '../../shared/aws/auto-scaling-group-ownership';
import { AutoScalingScalingTarget } from '../../shared/aws/auto-scaling-scaling-target';
import { AutoScalingScheduledCapacity } from '../../shared/aws/auto-scaling-scheduled-capacity';
import { drawableWarmPoolInstances } from '../../shared/aws/auto-scaling-warm-pool';
import { overrideAwsTransport } from '../../shared/aws/aws-clients';
import { createAwsClients } from '../../shared/aws/create-aws-clients';
import { SimulatedWorld } from '../../shared/simulation/world/simulated-world';
import type { ForecastFn } from '../../shared/usecases/scale-groups';
import { MemoryCampaigns } from '../fakes/memory-campaigns';
import { MemoryStateStore } from '../fakes/memory-state-store';
import { FixedHistory, SCALE_GROUPS_NOW_MS as NOW } from './scale-groups-setup';

/**
 * `web` in the simulated Auto Scaling (MinSize 2 of `maxSize`, target tracking at 60 % CPU) ten
 * minutes into the world, driven by the real adapters: the deps a `scaleGroups` run takes, with
 * the run's clock (`clock.ms`, noon at first) and the kill switch (`killSwitch.on`) to set, and the
 * group's MinSize as the world has it.
 */
export function simulatedWebGroup(maxSize: number, forecast: ForecastFn) {
  const world = new SimulatedWorld({ startMs: NOW - 600_000, seed: 1 });
  world.createGroup({
    name: 'web',
    minSize: 2,
    maxSize,
    desiredCapacity: 2,
    instanceType: 'm5.large',
    launchDelaySeconds: 60,
    launchJitterSeconds: 0,
    warmupSeconds: 60,
    warmPoolLaunchSeconds: 20,
    targetTrackingCpu: 60,
  });
  for (let t = NOW - 600_000; t <= NOW; t += 15_000) world.advanceTo(t);
  overrideAwsTransport({ answer: world.answer });
  const autoScaling = createAwsClients({ region: 'us-east-1' }).autoScaling;
  const clock = { ms: NOW };
  const killSwitch = { on: false };
  const stateStore = new MemoryStateStore();
  const deps = {
    scalingTarget: new AutoScalingScalingTarget(autoScaling, {
      warmPoolInstances: drawableWarmPoolInstances,
    }),
    scheduledCapacity: new AutoScalingScheduledCapacity(autoScaling),
    groupOwnership: new AutoScalingGroupOwnership(autoScaling, 'Prescale'),
    stateStore,
    metricHistory: new FixedHistory(),
    clock: { nowMs: () => clock.ms },
    forecast,
    isGloballyPaused: async () => killSwitch.on,
    // The campaign pre-warms a group taken out gives back (none here).
    prewarms: new MemoryCampaigns(),
  };
  const minSize = () =>
    (
      world.autoScaling.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as {
        AutoScalingGroups: { MinSize: number }[];
      }
    ).AutoScalingGroups[0]?.MinSize;
  return { world, deps, stateStore, clock, killSwitch, minSize };
}
