import type { GroupSpec } from '../../shared/simulation/world/simulated-auto-scaling';
import { autoScalingWorld } from './simulated-auto-scaling-world';
import { webGroupSpec } from './web-group-spec';

/** What DescribeAutoScalingGroups answers about a group, as far as the mixed-instances tests read it. */
export type Described = {
  AutoScalingGroups: {
    LaunchTemplate?: unknown;
    MixedInstancesPolicy?: {
      LaunchTemplate: {
        LaunchTemplateSpecification: { Version: string };
        Overrides: { InstanceType: string }[];
      };
      InstancesDistribution: Record<string, unknown>;
    };
    Instances: { InstanceType: string }[];
  }[];
};

/** `web`: m5.large then m6i.large, one on-demand instance as its base, launches of a minute. */
export const MIXED_WEB: GroupSpec = webGroupSpec({
  launchDelaySeconds: 60,
  mixedInstances: {
    instanceTypes: ['m5.large', 'm6i.large'],
    instancesDistribution: { OnDemandBaseCapacity: 1 },
  },
});

/**
 * A simulated Auto Scaling (see `autoScalingWorld`) holding MIXED_WEB with `over` on top, and
 * `describeWeb`, which answers DescribeAutoScalingGroups for `web`.
 */
export function mixedGroup(over: Partial<GroupSpec> = {}) {
  const { asg } = autoScalingWorld({ ...MIXED_WEB, ...over });
  const describeWeb = () =>
    (asg.describeAutoScalingGroups({ AutoScalingGroupNames: ['web'] }) as Described).AutoScalingGroups[0];
  return { asg, describeWeb };
}

/** A MixedInstancesPolicy's LaunchTemplate member: MIXED_WEB's template, version 1, with `types` as overrides. */
export const overrides = (...types: string[]) => ({
  LaunchTemplate: {
    LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0776656200000000', Version: '1' },
    Overrides: types.map((InstanceType) => ({ InstanceType })),
  },
});
