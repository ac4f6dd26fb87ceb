import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AutoScalingInstanceTypeApplier } from '../../../shared/aws/auto-scaling-instance-type-applier';
import { StepFunctionsRunningExecutions } from '../../../shared/aws/step-functions-running-executions';
import { RejectedRequestError, TransientDependencyError } from '../../../shared/ports/errors';

const sfn = mockClient(SFNClient);
const STATE_MACHINE = 'arn:aws:states:eu-west-1:123456789012:stateMachine:prescale-rolling-update';
const EXECUTIONS = 'arn:aws:states:eu-west-1:123456789012:execution:prescale-rolling-update:';

/** A `ListExecutions` item as the API reference shapes it (ExecutionListItem). */
function listed(name: string) {
  return {
    executionArn: `${EXECUTIONS}${name}`,
    stateMachineArn: STATE_MACHINE,
    name,
    status: 'RUNNING' as const,
    startDate: new Date('2026-11-21T03:00:00Z'),
  };
}

/** `DescribeExecution` of `name`, as the API reference shapes it, with `input`. */
function described(name: string, input: string | undefined) {
  return { ...listed(name), ...(input === undefined ? {} : { input }) };
}

/** An SDK service exception as the client throws it. */
function awsError(name: string, httpStatusCode: number): Error {
  return Object.assign(new Error(`${name} from Step Functions`), { name, $metadata: { httpStatusCode } });
}

beforeEach(() => sfn.reset());

describe('StepFunctionsRunningExecutions', () => {
  const running = () => new StepFunctionsRunningExecutions(sfn as unknown as SFNClient, STATE_MACHINE);

  it('leaves out an execution listed as running that has closed when read (the listing lags), and reads it again when listed again', async () => {
    sfn
      .on(ListExecutionsCommand, { stateMachineArn: STATE_MACHINE, statusFilter: 'RUNNING' })
      .resolves({ executions: [listed('old')] });
    sfn
      .on(DescribeExecutionCommand, { executionArn: `${EXECUTIONS}old` })
      .resolves({ ...described('old', '{"groupName":"web"}'), status: 'SUCCEEDED', stopDate: new Date() });
    const executions = running();
    await expect(executions.running()).resolves.toEqual([]);
    await expect(executions.running()).resolves.toEqual([]);
    // Not cached as running: read again while it stays listed.
    expect(sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, 2);
  });

  it('lists every page of running executions and reads the group each one’s input names', async () => {
    sfn
      .on(ListExecutionsCommand, { stateMachineArn: STATE_MACHINE, statusFilter: 'RUNNING' })
      .resolvesOnce({ executions: [listed('web-v8-20261121T0300')], nextToken: 'page-2' })
      .resolvesOnce({ executions: [listed('by-hand')] });
    sfn
      .on(DescribeExecutionCommand, { executionArn: `${EXECUTIONS}web-v8-20261121T0300` })
      .resolves(described('web-v8-20261121T0300', '{"groupName":"web","launchTemplateVersion":"8"}'));
    sfn
      .on(DescribeExecutionCommand, { executionArn: `${EXECUTIONS}by-hand` })
      .resolves(described('by-hand', '{"launchTemplateVersion":"3","groupName":"api.internal"}'));
    await expect(running().running()).resolves.toEqual([
      { executionArn: `${EXECUTIONS}web-v8-20261121T0300`, groupName: 'web' },
      { executionArn: `${EXECUTIONS}by-hand`, groupName: 'api.internal' },
    ]);
    expect(sfn).toHaveReceivedCommandTimes(ListExecutionsCommand, 2);
    expect(sfn).toHaveReceivedNthCommandWith(1, ListExecutionsCommand, {
      stateMachineArn: STATE_MACHINE,
      statusFilter: 'RUNNING',
      maxResults: 1000,
    });
    expect(sfn).toHaveReceivedNthCommandWith(2, ListExecutionsCommand, {
      stateMachineArn: STATE_MACHINE,
      statusFilter: 'RUNNING',
      maxResults: 1000,
      nextToken: 'page-2',
    });
  });

  it('reads each execution’s input once, and forgets those no longer running', async () => {
    const reader = running();
    sfn.on(ListExecutionsCommand).resolves({ executions: [listed('a'), listed('b')] });
    sfn
      .on(DescribeExecutionCommand)
      .callsFake(({ executionArn }: { executionArn: string }) =>
        described(executionArn.slice(EXECUTIONS.length), '{"groupName":"web"}'),
      );
    await reader.running();
    sfn.on(ListExecutionsCommand).resolves({ executions: [listed('b'), listed('c')] });
    await expect(reader.running()).resolves.toEqual([
      { executionArn: `${EXECUTIONS}b`, groupName: 'web' },
      { executionArn: `${EXECUTIONS}c`, groupName: 'web' },
    ]);
    expect(sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, 3);
  });

  it('leaves out an execution whose input names no group, which the workflow refuses', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [listed('x'), listed('y'), listed('z')] });
    sfn.on(DescribeExecutionCommand, { executionArn: `${EXECUTIONS}x` }).resolves(described('x', 'not json'));
    sfn
      .on(DescribeExecutionCommand, { executionArn: `${EXECUTIONS}y` })
      .resolves(described('y', '{"groupName":7}'));
    sfn.on(DescribeExecutionCommand, { executionArn: `${EXECUTIONS}z` }).resolves(described('z', undefined));
    await expect(running().running()).resolves.toEqual([]);
  });

  it('answers none when nothing runs', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [] });
    await expect(running().running()).resolves.toEqual([]);
    expect(sfn).toHaveReceivedCommandTimes(DescribeExecutionCommand, 0);
  });

  it('translates a refused listing, naming ListExecutions and the state machine', async () => {
    sfn.on(ListExecutionsCommand).rejects(awsError('AccessDeniedException', 400));
    const error = await running()
      .running()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RejectedRequestError);
    expect(String(error)).toMatch(/ListExecutions/);
  });

  it('translates throttling into a retryable error', async () => {
    sfn.on(ListExecutionsCommand).rejects(awsError('ThrottlingException', 400));
    await expect(running().running()).rejects.toBeInstanceOf(TransientDependencyError);
  });

  it('throws when an execution cannot be read: a running rollout is never guessed away', async () => {
    sfn.on(ListExecutionsCommand).resolves({ executions: [listed('a')] });
    sfn.on(DescribeExecutionCommand).rejects(awsError('AccessDeniedException', 400));
    await expect(running().running()).rejects.toThrow(/DescribeExecution/);
  });
});

describe('AutoScalingInstanceTypeApplier.runningRollingUpdates', () => {
  it('lists the configured workflow’s running executions', async () => {
    const applier = new AutoScalingInstanceTypeApplier(
      { autoScaling: {} as never, ec2: {} as never, sfn: sfn as unknown as SFNClient },
      STATE_MACHINE,
    );
    sfn.on(ListExecutionsCommand).resolves({ executions: [listed('a')] });
    sfn.on(DescribeExecutionCommand).resolves(described('a', '{"groupName":"web"}'));
    await expect(applier.runningRollingUpdates()).resolves.toEqual([
      { executionArn: `${EXECUTIONS}a`, groupName: 'web' },
    ]);
  });

  it('lists none, calling nothing, when no workflow is configured', async () => {
    const applier = new AutoScalingInstanceTypeApplier({
      autoScaling: {} as never,
      ec2: {} as never,
      sfn: sfn as unknown as SFNClient,
    });
    await expect(applier.runningRollingUpdates()).resolves.toEqual([]);
    expect(sfn).toHaveReceivedCommandTimes(ListExecutionsCommand, 0);
  });
});
