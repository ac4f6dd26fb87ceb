import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeAutoScalingInstancesCommand,
  DescribeInstanceRefreshesCommand,
  DescribePoliciesCommand,
} from '@aws-sdk/client-auto-scaling';
import { DescribeInstanceStatusCommand, EC2Client } from '@aws-sdk/client-ec2';
import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { ENV } from '../../../shared/contracts/env';
import { lambdaContext as context } from '../../helpers/powertools-output';

const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:RollingUpdate';
const asg = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const sfn = mockClient(SFNClient);
const ssm = mockClient(SSMClient);

/** A group on its launch template's version 6, enrolled by name. */
const group = (name: string) => ({
  AutoScalingGroupName: name,
  AutoScalingGroupARN: `arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:id:autoScalingGroupName/${name}`,
  MinSize: 1,
  MaxSize: 5,
  DesiredCapacity: 2,
  DefaultCooldown: 300,
  AvailabilityZones: ['eu-west-1a'],
  HealthCheckType: 'EC2',
  CreatedTime: new Date(),
  LaunchTemplate: { LaunchTemplateId: 'lt-0a1b2c3d4e5f60718', Version: '6' },
  Instances: [],
});

beforeAll(() => {
  process.env[ENV.config] = JSON.stringify({
    mode: 'forecast-and-scale',
    groups: { names: ['a-api', 'b-web'] },
    rollingUpdate: { autoStartOnScheduledEvents: true },
  });
  process.env[ENV.deployment] = 'Prescale';
  process.env[ENV.stateTableName] = 'state';
  process.env[ENV.rollingUpdateStateMachineArn] = STATE_MACHINE;
  process.env[ENV.killSwitchParameterName] = '/prescale/kill';
});

beforeEach(() => {
  for (const client of [asg, ec2, sfn, ssm]) client.reset();
  ssm.on(GetParameterCommand).resolves({ Parameter: { Name: '/prescale/kill', Value: 'running' } });
  ec2.on(DescribeInstanceStatusCommand).resolves({
    InstanceStatuses: ['i-1', 'i-2'].map((InstanceId) => ({
      InstanceId,
      Events: [
        {
          Code: 'instance-retirement',
          Description: 'degraded hardware',
          NotBefore: new Date(Date.now() + 3 * 86_400_000),
        },
      ],
    })),
  });
  asg.on(DescribeAutoScalingInstancesCommand).resolves({
    AutoScalingInstances: [
      ['i-1', 'a-api'],
      ['i-2', 'b-web'],
    ].map(([InstanceId, AutoScalingGroupName]) => ({
      InstanceId,
      AutoScalingGroupName,
      AvailabilityZone: 'eu-west-1a',
      LifecycleState: 'InService',
      HealthStatus: 'HEALTHY',
      ProtectedFromScaleIn: false,
    })),
  });
  asg.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [group('a-api'), group('b-web')] });
  asg.on(DescribePoliciesCommand).resolves({ ScalingPolicies: [] });
  asg.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
});

describe('find-scheduled-maintenance handler', () => {
  it("starts the other groups' refreshes when one group's start fails, then fails the scan naming it", async () => {
    const denied = Object.assign(new Error('not authorized'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    sfn.on(StartExecutionCommand).callsFake(async (input: { name: string }) => {
      if (input.name.startsWith('a-api-')) throw denied;
      return {
        executionArn: `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${input.name}`,
        startDate: new Date(),
      };
    });
    const { handler } = await import('../../../functions/find-scheduled-maintenance/handler');
    await expect(handler({}, context)).rejects.toThrow(
      /^scheduled-maintenance scan failed for a-api \(.*not authorized\)$/,
    );
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE,
      name: expect.stringMatching(/^b-web-v6-/),
    });
  });
});
