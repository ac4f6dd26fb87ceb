import {
  type AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeInstanceRefreshesCommand,
  DescribePoliciesCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstanceStatusCommand, type EC2Client } from '@aws-sdk/client-ec2';
import { ListExecutionsCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClientStub } from 'aws-sdk-client-mock';

/** The clients the find-scheduled-maintenance handler calls, mocked by the test file. */
export interface MaintenanceScanMocks {
  readonly asg: AwsClientStub<AutoScalingClient>;
  readonly ec2: AwsClientStub<EC2Client>;
  readonly sfn: AwsClientStub<SFNClient>;
  readonly ssm: AwsClientStub<SSMClient>;
}

/** The groups the scan finds: `a-api` (instance i-1) and `b-web` (i-2). */
export const MAINTENANCE_SCAN_GROUPS = ['a-api', 'b-web'] as const;

/**
 * Resets `mocks` and answers the scan's reads as AWS would: the kill switch `/prescale/kill`
 * running, one instance-retirement three days after `nowMs` on i-1 (a-api) and i-2 (b-web), both
 * in service and unprotected, both groups on version 6 of lt-0a1b2c3d4e5f60718 with the tags in
 * `tags` (by group name), no policies, no instance refresh and no execution running.
 * StartExecution is left to the test.
 */
export function answerMaintenanceScan(
  mocks: MaintenanceScanMocks,
  nowMs: number,
  tags: Readonly<Record<string, readonly { Key: string; Value: string }[]>> = {},
): void {
  const { asg, ec2, sfn, ssm } = mocks;
  for (const mock of [asg, ec2, sfn, ssm]) mock.reset();
  ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/prescale/kill', Value: 'running' } });
  ec2.on(DescribeInstanceStatusCommand).resolves({
    InstanceStatuses: ['i-1', 'i-2'].map((InstanceId) => ({
      InstanceId,
      Events: [
        {
          Code: 'instance-retirement',
          Description: 'degraded hardware',
          NotBefore: new Date(nowMs + 3 * 86_400_000),
        },
      ],
    })),
  });
  asg.on(DescribeAutoScalingInstancesCommand).resolves({
    AutoScalingInstances: MAINTENANCE_SCAN_GROUPS.map((AutoScalingGroupName, i) => ({
      InstanceId: `i-${i + 1}`,
      AutoScalingGroupName,
      AvailabilityZone: 'eu-west-1a',
      LifecycleState: 'InService',
      HealthStatus: 'HEALTHY',
      ProtectedFromScaleIn: false,
    })),
  });
  asg.on(DescribeAutoScalingGroupsCommand).resolves({
    AutoScalingGroups: MAINTENANCE_SCAN_GROUPS.map((name) => ({
      AutoScalingGroupName: name,
      AutoScalingGroupARN: `arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:id:autoScalingGroupName/${name}`,
      MinSize: 1,
      MaxSize: 5,
      DesiredCapacity: 2,
      DefaultCooldown: 300,
      AvailabilityZones: ['eu-west-1a'],
      HealthCheckType: 'EC2',
      CreatedTime: new Date('2026-01-01T00:00:00Z'),
      LaunchTemplate: { LaunchTemplateId: 'lt-0a1b2c3d4e5f60718', Version: '6' },
      Instances: [],
      Tags: (tags[name] ?? []).map((t) => ({ ...t, ResourceId: name, ResourceType: 'auto-scaling-group' })),
    })),
  });
  asg.on(DescribePoliciesCommand).resolves({ ScalingPolicies: [] });
  asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
}
