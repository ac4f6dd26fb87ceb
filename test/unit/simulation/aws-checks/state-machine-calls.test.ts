import type { ResourceFacts } from '../../../../shared/simulation/aws-checks/request-permissions';
import {
  integrationPermissions,
  stateMachineCalls,
  taskPermissions,
} from '../../../../shared/simulation/aws-checks/state-machine-calls';

const CHILD = 'arn:aws:states:eu-west-1:123456789012:stateMachine:PrescaleRollingUpdates';

const definition = JSON.stringify({
  StartAt: 'Record plan',
  States: {
    'Record plan': {
      Type: 'Task',
      Resource: 'arn:aws:states:::dynamodb:putItem',
      Parameters: { TableName: 'state' },
      Next: 'Run slot',
    },
    'Run slot': {
      Type: 'Map',
      ItemProcessor: {
        StartAt: 'Update group',
        States: {
          'Update group': {
            Type: 'Task',
            Resource: 'arn:aws:states:::states:startExecution.sync:2',
            Parameters: { StateMachineArn: CHILD, 'Name.$': '$.childName' },
            End: true,
          },
        },
      },
      End: true,
    },
  },
});

describe('stateMachineCalls', () => {
  it('reads a child execution run to its end (`.sync:2`) as an SFN StartExecution that waits', () => {
    expect(stateMachineCalls(definition)).toEqual([
      { state: 'Record plan', service: 'dynamodb', operation: 'PutItem', parameters: { TableName: 'state' } },
      {
        state: 'Update group',
        service: 'sfn',
        operation: 'StartExecution',
        parameters: { StateMachineArn: CHILD, 'Name.$': '$.childName' },
        sync: true,
      },
    ]);
  });
});

describe('integrationPermissions', () => {
  const [record, child] = stateMachineCalls(definition) as [
    ReturnType<typeof stateMachineCalls>[number],
    ReturnType<typeof stateMachineCalls>[number],
  ];

  it("adds what a nested workflow needs: the child's executions and Step Functions' managed rule", () => {
    const rule =
      'arn:aws:events:eu-west-1:123456789012:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule';
    const execution = 'arn:aws:states:eu-west-1:123456789012:execution:PrescaleRollingUpdates:child';
    expect(integrationPermissions(child, child.parameters)).toEqual([
      { action: 'states:DescribeExecution', resourceArn: execution },
      { action: 'states:StopExecution', resourceArn: execution },
      { action: 'events:PutTargets', resourceArn: rule },
      { action: 'events:PutRule', resourceArn: rule },
      { action: 'events:DescribeRule', resourceArn: rule },
    ]);
  });

  it('adds nothing to a request-response call', () => {
    expect(integrationPermissions(record, record.parameters)).toEqual([]);
  });

  it('checks the child StartExecution on the child state machine, with the nested-workflow extras', () => {
    const facts = { account: '123456789012', region: 'eu-west-1', partition: 'aws' } as ResourceFacts;
    expect(
      taskPermissions(child, child.parameters, facts).map((p) => `${p.action} ${p.resourceArn}`),
    ).toEqual([
      `states:StartExecution ${CHILD}`,
      ...integrationPermissions(child, child.parameters).map((p) => `${p.action} ${p.resourceArn}`),
    ]);
  });
});
