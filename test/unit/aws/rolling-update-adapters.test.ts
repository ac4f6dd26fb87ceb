import { AutoScalingClient, DescribeAutoScalingInstancesCommand } from '@aws-sdk/client-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeInstanceStatusCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeExecutionCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CloudWatchAlarmStates } from '../../../shared/aws/cloud-watch-alarm-states';
import { Ec2ScheduledEvents } from '../../../shared/aws/ec2-scheduled-events';
import { StepFunctionsWorkflowStarter } from '../../../shared/aws/step-functions-workflow-starter';
import { RejectedRequestError, TransientDependencyError } from '../../../shared/ports/errors';

const awsError = (name: string, status: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('CloudWatchAlarmStates', () => {
  const cw = mockClient(CloudWatchClient);
  const alarms = new CloudWatchAlarmStates(cw as unknown as CloudWatchClient);
  beforeEach(() => cw.reset());

  it('asks only for the named alarms in ALARM, metric and composite', async () => {
    cw.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: 'web-5xx', StateValue: 'ALARM' }],
      CompositeAlarms: [{ AlarmName: 'web-health', StateValue: 'ALARM' }],
    });
    expect(await alarms.alarmsInAlarm(['web-5xx', 'web-health', 'web-latency'])).toEqual([
      'web-5xx',
      'web-health',
    ]);
    expect(cw).toHaveReceivedCommandWith(DescribeAlarmsCommand, {
      AlarmNames: ['web-5xx', 'web-health', 'web-latency'],
      StateValue: 'ALARM',
      AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
    });
  });

  it('never lists every alarm of the account when no alarm is watched', async () => {
    expect(await alarms.alarmsInAlarm([])).toEqual([]);
    expect(cw).not.toHaveReceivedCommand(DescribeAlarmsCommand);
  });

  it('translates throttling into a transient error', async () => {
    cw.on(DescribeAlarmsCommand).rejects(awsError('Throttling', 400));
    await expect(alarms.alarmsInAlarm(['a'])).rejects.toBeInstanceOf(TransientDependencyError);
    await expect(alarms.unknownAlarms(['a'])).rejects.toBeInstanceOf(TransientDependencyError);
  });

  it('names the watched alarms that exist in no state, reading every page of metric and composite alarms', async () => {
    cw.on(DescribeAlarmsCommand)
      .resolvesOnce({ MetricAlarms: [{ AlarmName: 'web-5xx', StateValue: 'OK' }], NextToken: 'page-2' })
      .resolvesOnce({ CompositeAlarms: [{ AlarmName: 'web-health', StateValue: 'INSUFFICIENT_DATA' }] });
    expect(await alarms.unknownAlarms(['web-5xx', 'web-health', 'web-latncy'])).toEqual(['web-latncy']);
    expect(cw).toHaveReceivedCommandTimes(DescribeAlarmsCommand, 2);
    expect(cw.commandCalls(DescribeAlarmsCommand).map((c) => c.args[0].input)).toEqual([
      { AlarmNames: ['web-5xx', 'web-health', 'web-latncy'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] },
      {
        AlarmNames: ['web-5xx', 'web-health', 'web-latncy'],
        AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
        NextToken: 'page-2',
      },
    ]);
  });

  it('asks nothing when no alarm is watched', async () => {
    expect(await alarms.unknownAlarms([])).toEqual([]);
    expect(cw).not.toHaveReceivedCommand(DescribeAlarmsCommand);
  });
});

describe('Ec2ScheduledEvents', () => {
  const ec2 = mockClient(EC2Client);
  const autoScaling = mockClient(AutoScalingClient);
  const events = new Ec2ScheduledEvents({
    ec2: ec2 as unknown as EC2Client,
    autoScaling: autoScaling as unknown as AutoScalingClient,
  });
  beforeEach(() => {
    ec2.reset();
    autoScaling.reset();
  });

  it('lists upcoming events with their group, dropping completed and cancelled ones', async () => {
    ec2
      .on(DescribeInstanceStatusCommand)
      .resolvesOnce({
        InstanceStatuses: [
          {
            InstanceId: 'i-1',
            Events: [
              {
                Code: 'instance-retirement',
                Description: 'The instance is running on degraded hardware',
                NotBefore: new Date('2026-03-05T00:00:00Z'),
              },
              { Code: 'system-reboot', Description: '[Completed] Scheduled reboot' },
            ],
          },
        ],
        NextToken: 'n',
      })
      .resolvesOnce({
        InstanceStatuses: [
          {
            InstanceId: 'i-2',
            Events: [{ Code: 'system-reboot', Description: 'scheduled reboot', NotBefore: new Date(0) }],
          },
        ],
      });
    autoScaling.on(DescribeAutoScalingInstancesCommand).resolves({
      AutoScalingInstances: [
        {
          InstanceId: 'i-1',
          AutoScalingGroupName: 'web',
          AvailabilityZone: 'eu-west-1a',
          LifecycleState: 'Standby',
          HealthStatus: 'HEALTHY',
          ProtectedFromScaleIn: true,
        },
      ],
    });
    expect(await events.upcomingEvents()).toEqual([
      {
        instanceId: 'i-1',
        groupName: 'web',
        code: 'instance-retirement',
        notBeforeMs: Date.parse('2026-03-05T00:00:00Z'),
        description: 'The instance is running on degraded hardware',
        // Whether a refresh would replace it (`findScheduledMaintenance`).
        lifecycleState: 'Standby',
        protectedFromScaleIn: true,
      },
      { instanceId: 'i-2', code: 'system-reboot', notBeforeMs: 0, description: 'scheduled reboot' },
    ]);
    expect(ec2.commandCalls(DescribeInstanceStatusCommand)[0]?.args[0].input).toMatchObject({
      IncludeAllInstances: true,
      Filters: [
        { Name: 'event.code', Values: expect.arrayContaining(['instance-retirement', 'system-reboot']) },
      ],
    });
    expect(autoScaling).toHaveReceivedCommandWith(DescribeAutoScalingInstancesCommand, {
      InstanceIds: ['i-1', 'i-2'],
    });
  });

  it('translates a denied request into a rejected one', async () => {
    ec2.on(DescribeInstanceStatusCommand).rejects(awsError('UnauthorizedOperation', 403));
    await expect(events.upcomingEvents()).rejects.toBeInstanceOf(RejectedRequestError);
  });
});

describe('StepFunctionsWorkflowStarter', () => {
  const sfn = mockClient(SFNClient);
  const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:rolling';
  const starter = new StepFunctionsWorkflowStarter(sfn as unknown as SFNClient, arn);
  beforeEach(() => sfn.reset());

  it('starts a named execution with the input as JSON', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${arn}:web-v7`, startDate: new Date() });
    expect(await starter.start('web-v7', { groupName: 'web' })).toEqual({
      kind: 'started',
      executionName: 'web-v7',
      executionArn: `${arn}:web-v7`,
    });
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, {
      stateMachineArn: arn,
      name: 'web-v7',
      input: '{"groupName":"web"}',
    });
  });

  const executionArn = 'arn:aws:states:eu-west-1:123456789012:execution:rolling:web-v7';

  it('reads a name taken by the same input (a redelivery, here closed) as already started, with its status', async () => {
    sfn.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists', 400));
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'SUCCEEDED', input: '{"force":true,"groupName":"web"}' });
    expect(await starter.start('web-v7', { groupName: 'web', force: true })).toEqual({
      kind: 'already-started',
      executionName: 'web-v7',
      executionArn,
      existingStatus: 'SUCCEEDED',
    });
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn });
  });

  it('reads a name taken by another input as a conflict that started nothing, with the holder, its status and its input', async () => {
    sfn.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists', 400));
    sfn
      .on(DescribeExecutionCommand)
      .resolves({ status: 'RUNNING', input: '{"groupName":"web","reason":"scheduled-maintenance"}' });
    expect(await starter.start('web-v7', { groupName: 'web', force: true })).toEqual({
      kind: 'conflict',
      executionName: 'web-v7',
      executionArn,
      existingStatus: 'RUNNING',
      existingInput: { groupName: 'web', reason: 'scheduled-maintenance' },
    });
  });

  it.each([
    ['not JSON', 'not json'],
    ['not an object', '["web"]'],
  ])('reads a conflict whose holder has an input %s without that input', async (_what, input) => {
    sfn.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists', 400));
    sfn.on(DescribeExecutionCommand).resolves({ status: 'ABORTED', input });
    expect(await starter.start('web-v7', { groupName: 'web' })).toEqual({
      kind: 'conflict',
      executionName: 'web-v7',
      executionArn,
      existingStatus: 'ABORTED',
    });
  });

  it('fails with the read when the taken name cannot be read', async () => {
    sfn.on(StartExecutionCommand).rejects(awsError('ExecutionAlreadyExists', 400));
    sfn.on(DescribeExecutionCommand).rejects(awsError('AccessDeniedException', 400));
    await expect(starter.start('web-v7', {})).rejects.toThrow(/DescribeExecution/);
  });

  it('translates throttling into a transient error', async () => {
    sfn.on(StartExecutionCommand).rejects(awsError('ThrottlingException', 400));
    await expect(starter.start('web-v7', {})).rejects.toBeInstanceOf(TransientDependencyError);
  });
});
