import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeInstanceRefreshesCommand,
  DescribePoliciesCommand,
  UpdateAutoScalingGroupCommand,
} from '@aws-sdk/client-auto-scaling';
import { CreateLaunchTemplateVersionCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import {
  AutoScalingInstanceTypeApplier,
  rollingUpdateExecutionName,
} from '../../../shared/aws/auto-scaling-instance-type-applier';
import { AutoScalingScalingTarget } from '../../../shared/aws/auto-scaling-scaling-target';
import {
  RejectedRequestError,
  ResourceNotFoundError,
  TransientDependencyError,
} from '../../../shared/ports/errors';

const autoScaling = mockClient(AutoScalingClient);
const ec2 = mockClient(EC2Client);
const sfn = mockClient(SFNClient);
const clients = {
  autoScaling: autoScaling as unknown as AutoScalingClient,
  ec2: ec2 as unknown as EC2Client,
  sfn: sfn as unknown as SFNClient,
};
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:prescale-rolling-update';
const applier = new AutoScalingInstanceTypeApplier(clients, STATE_MACHINE);

beforeEach(() => {
  autoScaling.reset();
  ec2.reset();
  sfn.reset();
});

describe('AutoScalingInstanceTypeApplier', () => {
  it('replaces a mixed group’s overrides with weights as strings, keeping its launch template', async () => {
    autoScaling.on(UpdateAutoScalingGroupCommand).resolves({});
    await applier.setMixedInstanceOverrides('web', { id: 'lt-0abc', version: '$Latest' }, [
      { instanceType: 'm7g.large', weightedCapacity: 2 },
      { instanceType: 'c7g.xlarge', weightedCapacity: 4 },
    ]);
    expect(autoScaling).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, {
      AutoScalingGroupName: 'web',
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abc', Version: '$Latest' },
          Overrides: [
            { InstanceType: 'm7g.large', WeightedCapacity: '2' },
            { InstanceType: 'c7g.xlarge', WeightedCapacity: '4' },
          ],
        },
      },
    });
  });

  it('restates the instances distribution and per-override launch templates it is given', async () => {
    autoScaling.on(UpdateAutoScalingGroupCommand).resolves({});
    const distribution = { OnDemandBaseCapacity: 1, SpotAllocationStrategy: 'price-capacity-optimized' };
    await applier.setMixedInstanceOverrides(
      'web',
      { id: 'lt-0abc', version: '7' },
      [
        { instanceType: 'm7i.large' },
        { instanceType: 'm7g.large', launchTemplate: { id: 'lt-arm', version: '3' } },
      ],
      distribution,
    );
    expect(autoScaling).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, {
      AutoScalingGroupName: 'web',
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abc', Version: '7' },
          Overrides: [
            { InstanceType: 'm7i.large' },
            {
              InstanceType: 'm7g.large',
              LaunchTemplateSpecification: { LaunchTemplateId: 'lt-arm', Version: '3' },
            },
          ],
        },
        InstancesDistribution: distribution,
      },
    });
  });

  it('writes back a described price-capacity-optimized distribution without the SpotInstancePools Auto Scaling would refuse', async () => {
    // InstancesDistribution as DescribeAutoScalingGroups reports it (API reference shape), pools
    // included though "SpotInstancePools: Valid only when the SpotAllocationStrategy is lowest-price".
    autoScaling.on(DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        {
          AutoScalingGroupName: 'web',
          MinSize: 2,
          MaxSize: 10,
          DesiredCapacity: 4,
          DefaultCooldown: 300,
          AvailabilityZones: ['eu-west-1a'],
          HealthCheckType: 'EC2',
          CreatedTime: new Date('2026-01-01T00:00:00Z'),
          Instances: [],
          MixedInstancesPolicy: {
            LaunchTemplate: {
              LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abc', Version: '7' },
              Overrides: [{ InstanceType: 'm7i.large' }, { InstanceType: 'm7g.large' }],
            },
            InstancesDistribution: {
              OnDemandAllocationStrategy: 'prioritized',
              OnDemandBaseCapacity: 1,
              OnDemandPercentageAboveBaseCapacity: 20,
              SpotAllocationStrategy: 'price-capacity-optimized',
              SpotInstancePools: 2,
            },
          },
        },
      ],
    });
    autoScaling.on(DescribePoliciesCommand).resolves({ ScalingPolicies: [] });
    autoScaling.on(DescribeInstanceRefreshesCommand).resolves({ InstanceRefreshes: [] });
    autoScaling.on(UpdateAutoScalingGroupCommand).resolves({});
    const [group] = await new AutoScalingScalingTarget(clients.autoScaling).describeGroups({
      names: ['web'],
    });
    const mixed = group?.mixedInstances;
    await applier.setMixedInstanceOverrides(
      'web',
      { id: 'lt-0abc', version: '7' },
      [{ instanceType: 'm7g.large' }, { instanceType: 'm7i.large' }],
      mixed?.instancesDistribution,
    );
    expect(autoScaling).toHaveReceivedCommandWith(UpdateAutoScalingGroupCommand, {
      MixedInstancesPolicy: expect.objectContaining({
        InstancesDistribution: {
          OnDemandAllocationStrategy: 'prioritized',
          OnDemandBaseCapacity: 1,
          OnDemandPercentageAboveBaseCapacity: 20,
          SpotAllocationStrategy: 'price-capacity-optimized',
        },
      }),
    });
  });

  it('creates a launch template version from the current one with the new type, under the client token', async () => {
    ec2.on(CreateLaunchTemplateVersionCommand).resolves({ LaunchTemplateVersion: { VersionNumber: 8 } });
    expect(
      await applier.createLaunchTemplateVersion(
        'lt-0abc',
        7,
        'm7g.large',
        'Prescale: m7g.large',
        'run-token',
      ),
    ).toBe(8);
    expect(ec2).toHaveReceivedCommandWith(CreateLaunchTemplateVersionCommand, {
      ClientToken: 'run-token',
      LaunchTemplateId: 'lt-0abc',
      SourceVersion: '7',
      LaunchTemplateData: { InstanceType: 'm7g.large' },
    });
  });

  it('starts the rolling-update workflow with its input contract and an idempotent name', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:exec', startDate: new Date() });
    const start = await applier.startRollingUpdate({
      groupName: 'web',
      launchTemplateId: 'lt-0abc',
      launchTemplateVersion: '8',
      reason: 'instance-type-change',
    });
    expect(start).toEqual({
      kind: 'started',
      executionName: 'instance-type-web-lt-0abc-v8',
      executionArn: 'arn:exec',
    });
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: STATE_MACHINE,
      name: 'instance-type-web-lt-0abc-v8',
      input: JSON.stringify({ groupName: 'web', launchTemplateVersion: '8', reason: 'instance-type-change' }),
    });
  });

  it('reads the execution holding a taken name: the same rollout closed is already started, another input a conflict', async () => {
    const name = 'instance-type-web-lt-0abc-v8';
    const executionArn = `arn:aws:states:eu-west-1:123456789012:execution:prescale-rolling-update:${name}`;
    const input = { groupName: 'web', launchTemplateVersion: '8', reason: 'instance-type-change' };
    // What AWS answers a name used by a closed execution (or a running one with another input).
    sfn.on(StartExecutionCommand).rejects(
      Object.assign(new Error(`Execution Already Exists: '${executionArn}'`), {
        name: 'ExecutionAlreadyExists',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const rollout = () =>
      applier.startRollingUpdate({
        groupName: 'web',
        launchTemplateId: 'lt-0abc',
        launchTemplateVersion: '8',
        reason: 'instance-type-change',
      });
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn,
      status: 'SUCCEEDED',
      input: JSON.stringify({ reason: 'instance-type-change', launchTemplateVersion: '8', groupName: 'web' }),
    });
    await expect(rollout()).resolves.toEqual({
      kind: 'already-started',
      executionName: name,
      executionArn,
      existingStatus: 'SUCCEEDED',
    });
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn });
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn,
      status: 'RUNNING',
      input: JSON.stringify({ ...input, reason: 'maintenance' }),
    });
    await expect(rollout()).resolves.toEqual({
      kind: 'conflict',
      executionName: name,
      executionArn,
      existingStatus: 'RUNNING',
      existingInput: { ...input, reason: 'maintenance' },
    });
  });

  it('refuses to start a rollout without a state machine', async () => {
    const without = new AutoScalingInstanceTypeApplier(clients);
    expect(without.rollingUpdateAvailable).toBe(false);
    await expect(
      without.startRollingUpdate({
        groupName: 'web',
        launchTemplateId: 'lt-0abc',
        launchTemplateVersion: '8',
        reason: 'instance-type-change',
      }),
    ).rejects.toThrow(RejectedRequestError);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('translates SDK errors into port errors', async () => {
    autoScaling
      .on(UpdateAutoScalingGroupCommand)
      .rejects(Object.assign(new Error('busy'), { name: 'ResourceContention' }));
    await expect(applier.setMixedInstanceOverrides('web', { id: 'lt', version: '1' }, [])).rejects.toThrow(
      TransientDependencyError,
    );
    ec2
      .on(CreateLaunchTemplateVersionCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'InvalidLaunchTemplateId.NotFound' }));
    await expect(
      applier.createLaunchTemplateVersion('lt-gone', 1, 'm7g.large', 'x', 'run-token'),
    ).rejects.toThrow(ResourceNotFoundError);
    sfn.on(StartExecutionCommand).rejects(
      Object.assign(new Error('no'), {
        name: 'StateMachineDoesNotExist',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    await expect(
      applier.startRollingUpdate({
        groupName: 'web',
        launchTemplateId: 'lt-0abc',
        launchTemplateVersion: '8',
        reason: 'instance-type-change',
      }),
    ).rejects.toThrow(RejectedRequestError);
  });
});

describe('rollingUpdateExecutionName', () => {
  const LT = 'lt-0123456789abcdef0';

  it('names the group, template and version, and the same rollout alike on a retry', () => {
    expect(rollingUpdateExecutionName('web', LT, '8')).toBe(`instance-type-web-${LT}-v8`);
    expect(rollingUpdateExecutionName('web', LT, '8')).toBe(rollingUpdateExecutionName('web', LT, '8'));
  });

  it('keeps to 80 allowed characters and ends with the template and version', () => {
    const name = rollingUpdateExecutionName(`web/${'x'.repeat(250)}`, LT, '123');
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(new RegExp(`^instance-type-[A-Za-z0-9_-]+-${LT}-v123$`));
  });

  it('gives groups that clean or cut to the same characters different names', () => {
    const names = [
      'svc.a',
      'svc-a',
      'svc/a',
      'svc a',
      `${'x'.repeat(200)}-one`,
      `${'x'.repeat(200)}-two`,
    ].map((group) => rollingUpdateExecutionName(group, LT, '8'));
    expect(new Set(names).size).toBe(names.length);
  });

  it('gives the same version of a replaced launch template another name', () => {
    expect(rollingUpdateExecutionName('web', 'lt-0aaaaaaaaaaaaaaaa', '2')).not.toBe(
      rollingUpdateExecutionName('web', 'lt-0bbbbbbbbbbbbbbbb', '2'),
    );
  });

  describe('rolloutStatus', () => {
    const executionArn = 'arn:aws:states:eu-west-1:123456789012:execution:prescale-rolling-update:x';

    it('reads the status of the rollout execution', async () => {
      sfn.on(DescribeExecutionCommand, { executionArn }).resolves({ status: 'RUNNING' });
      await expect(applier.rolloutStatus(executionArn)).resolves.toBe('RUNNING');
    });

    it("reads a failed rollout's Error (DescribeExecution's error: its Fail state's)", async () => {
      sfn
        .on(DescribeExecutionCommand, { executionArn })
        .resolves({ status: 'FAILED', error: 'GroupLocked', cause: 'group web is locked by another update' });
      await expect(applier.rolloutEnding(executionArn)).resolves.toEqual({
        status: 'FAILED',
        error: 'GroupLocked',
      });
    });

    it("reads a succeeded rollout's outcome from its output: rolled out, or deferred without a change", async () => {
      sfn.on(DescribeExecutionCommand, { executionArn }).resolves({
        status: 'SUCCEEDED',
        output: JSON.stringify({ status: 'Deferred', reason: 'no window' }),
      });
      await expect(applier.rolloutEnding(executionArn)).resolves.toEqual({
        status: 'SUCCEEDED',
        outcome: 'Deferred',
      });
      sfn
        .on(DescribeExecutionCommand, { executionArn })
        .resolves({ status: 'SUCCEEDED', output: 'not json' });
      await expect(applier.rolloutEnding(executionArn)).resolves.toEqual({ status: 'SUCCEEDED' });
    });

    it('reads a rollout recorded but never started, or of a replaced state machine, as not started', async () => {
      sfn.on(DescribeExecutionCommand).rejects(
        Object.assign(new Error('no such execution'), {
          name: 'ExecutionDoesNotExist',
          $metadata: { httpStatusCode: 400 },
        }),
      );
      await expect(applier.rolloutStatus(executionArn)).resolves.toBe('NOT_STARTED');
      sfn.reset();
      const replaced = executionArn.replace(':prescale-rolling-update:', ':prescale-rolling-update-old:');
      await expect(applier.rolloutStatus(replaced)).resolves.toBe('NOT_STARTED');
      expect(sfn.calls()).toHaveLength(0);
    });

    it('gives the ARN a rollout will have before it starts', () => {
      const request = {
        groupName: 'web',
        launchTemplateId: 'lt-1',
        launchTemplateVersion: '8',
        reason: 'instance-type-change',
      } as const;
      expect(applier.rolloutExecutionArn(request)).toBe(
        `${STATE_MACHINE.replace(':stateMachine:', ':execution:')}:${rollingUpdateExecutionName('web', 'lt-1', '8')}`,
      );
    });

    it('throws, never guessing, when the execution cannot be read or has no status', async () => {
      sfn.on(DescribeExecutionCommand).rejects(
        Object.assign(new Error('not authorized'), {
          name: 'AccessDeniedException',
          $metadata: { httpStatusCode: 400 },
        }),
      );
      await expect(applier.rolloutStatus(executionArn)).rejects.toBeInstanceOf(RejectedRequestError);
      sfn.reset();
      sfn.on(DescribeExecutionCommand).resolves({});
      await expect(applier.rolloutStatus(executionArn)).rejects.toThrow(/no status/);
    });
  });
});
