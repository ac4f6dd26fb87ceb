import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AutoScalingGroupReader } from '../../../shared/aws/auto-scaling-group-reader';

const asg = mockClient(AutoScalingClient);
const reader = new AutoScalingGroupReader(asg as unknown as AutoScalingClient);

// Shapes from the AutoScalingGroup data type in the Amazon EC2 Auto Scaling API reference
// (LaunchTemplateSpecification: LaunchTemplateId, LaunchTemplateName, Version).
const group = (name: string, extra: object) => ({
  AutoScalingGroupName: name,
  MinSize: 1,
  MaxSize: 4,
  DesiredCapacity: 2,
  DefaultCooldown: 300,
  AvailabilityZones: ['eu-west-1a'],
  HealthCheckType: 'EC2',
  CreatedTime: new Date('2026-01-01T00:00:00Z'),
  ...extra,
});

describe('AutoScalingGroupReader.groupsLaunching', () => {
  beforeEach(() => asg.reset());

  it("lists every group of the region, page by page, that launches the template: as its own, its mixed policy's or an override's", async () => {
    asg
      .on(DescribeAutoScalingGroupsCommand, { MaxRecords: 100 })
      .resolves({
        AutoScalingGroups: [
          group('web', {
            LaunchTemplate: { LaunchTemplateId: 'lt-0abc', LaunchTemplateName: 'web', Version: '7' },
          }),
          group('other', { LaunchTemplate: { LaunchTemplateId: 'lt-0def', Version: '$Latest' } }),
        ],
        NextToken: 'page-2',
      })
      .on(DescribeAutoScalingGroupsCommand, { MaxRecords: 100, NextToken: 'page-2' })
      .resolves({
        AutoScalingGroups: [
          group('batch', {
            MixedInstancesPolicy: {
              LaunchTemplate: {
                LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abc', LaunchTemplateName: 'web' },
                Overrides: [{ InstanceType: 'm7g.large' }],
              },
            },
          }),
          group('arm', {
            MixedInstancesPolicy: {
              LaunchTemplate: {
                LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0ghi', Version: '3' },
                Overrides: [
                  { InstanceType: 'm7g.large' },
                  {
                    InstanceType: 'm7i.large',
                    LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abc', Version: '$Latest' },
                  },
                ],
              },
            },
          }),
        ],
      });
    await expect(reader.groupsLaunching('lt-0abc')).resolves.toEqual([
      { groupName: 'web', version: '7' },
      // No Version: Auto Scaling launches the template's default.
      { groupName: 'batch', version: '$Default' },
      { groupName: 'arm', version: '$Latest' },
    ]);
    expect(asg).toHaveReceivedCommandTimes(DescribeAutoScalingGroupsCommand, 2);
    // Only the groups' own launch settings count: their instances are left out of every page.
    for (const call of asg.commandCalls(DescribeAutoScalingGroupsCommand))
      expect(call.args[0].input.IncludeInstances).toBe(false);
  });
});
