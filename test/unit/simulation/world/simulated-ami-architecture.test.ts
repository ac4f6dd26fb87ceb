import { launchTemplateIdOf } from '../../../../shared/simulation/world/auto-scaling/group-state';
import type { GroupSpec } from '../../../../shared/simulation/world/simulated-auto-scaling';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { type Described, MIXED_WEB, overrides } from '../../../helpers/mixed-web-group';
import { MINUTE, START } from '../../../helpers/simulated-auto-scaling-world';

describe('the simulated Auto Scaling and an AMI of another architecture', () => {
  const architectureMismatch =
    /^You must use a valid fully-formed launch template\. The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI/;

  function worldWith(spec: GroupSpec) {
    const world = new SimulatedWorld({ startMs: START, seed: 1 });
    world.createGroup(spec);
    const update = (input: Record<string, unknown>) =>
      world.answer('autoscaling', 'UpdateAutoScalingGroupCommand', {
        AutoScalingGroupName: spec.name,
        ...input,
      });
    return { world, update };
  }

  it('refuses overrides of a Graviton type on the group’s x86_64 template, and takes them on an arm64 template of their own', async () => {
    const { world, update } = worldWith(MIXED_WEB);
    await expect(update({ MixedInstancesPolicy: overrides('m5.large', 'c6g.large') })).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(architectureMismatch),
    });
    world.services.ec2.registerImage({ imageId: 'ami-0arm', name: 'arm', architecture: 'arm64' });
    world.services.ec2.createLaunchTemplate({ id: 'lt-0arm', name: 'arm', data: { ImageId: 'ami-0arm' } });
    await update({
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0776656200000000', Version: '1' },
          Overrides: [
            { InstanceType: 'm5.large' },
            {
              InstanceType: 'c6g.large',
              LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0arm', Version: '1' },
            },
          ],
        },
      },
    });
  });

  it('refuses a launch template version whose instance type does not run its AMI', async () => {
    const { world, update } = worldWith({ ...MIXED_WEB, mixedInstances: undefined });
    const templateId = launchTemplateIdOf({ spec: MIXED_WEB });
    const version = world.services.ec2.addLaunchTemplateVersion(templateId, { InstanceType: 'm7g.large' }, 1);
    await expect(
      update({ LaunchTemplate: { LaunchTemplateId: templateId, Version: String(version) } }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      message: expect.stringMatching(architectureMismatch),
    });
  });

  it('fails the launches of an instance refresh to such a version, with EC2’s reason in the activity', async () => {
    const { world } = worldWith({ ...MIXED_WEB, mixedInstances: undefined });
    const templateId = launchTemplateIdOf({ spec: MIXED_WEB });
    const version = world.services.ec2.addLaunchTemplateVersion(templateId, { InstanceType: 'm7g.large' }, 1);
    await world.answer('autoscaling', 'StartInstanceRefreshCommand', {
      AutoScalingGroupName: 'web',
      DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: templateId, Version: String(version) } },
      Preferences: { MinHealthyPercentage: 50 },
    });
    world.autoScaling.advanceTo(START + 5 * MINUTE);
    const { Activities } = (await world.answer('autoscaling', 'DescribeScalingActivitiesCommand', {
      AutoScalingGroupName: 'web',
    })) as { Activities: { StatusCode: string; StatusMessage?: string }[] };
    expect(Activities.find((a) => a.StatusCode === 'Failed')?.StatusMessage).toMatch(
      /^The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI\..* Launching EC2 instance failed\.$/,
    );
    const { AutoScalingGroups } = (await world.answer('autoscaling', 'DescribeAutoScalingGroupsCommand', {
      AutoScalingGroupNames: ['web'],
    })) as Described;
    expect(AutoScalingGroups[0]?.Instances.map((i) => i.InstanceType)).not.toContain('m7g.large');
  });
});
