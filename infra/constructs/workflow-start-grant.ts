import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { nagArn } from './nag-arn';

/**
 * What a function that starts `stateMachine` through `StepFunctionsWorkflowStarter` calls:
 * `StartExecution` on the state machine, and `DescribeExecution` on its executions, read when an
 * execution name is taken, to tell a redelivered request from a different one under that name.
 */
export function grantWorkflowStart(stateMachine: sfn.IStateMachine, fn: lambda.IFunction): void {
  stateMachine.grantStartExecution(fn);
  stateMachine.grantExecution(fn, 'states:DescribeExecution');
  const stack = Stack.of(fn);
  const machineName = stack.splitArn(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME)
    .resourceName as string;
  if (!fn.role) return;
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagArn(fn, 'states', 'execution:')}${JSON.stringify(stack.resolve(machineName))}:*]`,
    reason:
      'DescribeExecution on executions of the one state machine this function starts (names are per request): read only when a name is taken.',
  });
}
