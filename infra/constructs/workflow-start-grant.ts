import { ArnFormat, Stack, Token, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
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
  const machineName = Stack.of(fn).splitArn(stateMachine.stateMachineArn, ArnFormat.COLON_RESOURCE_NAME)
    .resourceName as string;
  acknowledgeExecutionRead(fn, machineName);
}

/**
 * `DescribeExecution` on the executions of the state machine `stateMachineArn` names (of this
 * stack's partition, region and account, as `grantExecution` builds it), for a function that starts
 * it through `StepFunctionsWorkflowStarter` with its own `StartExecution` statement: the starter
 * reads a taken name's execution to tell a redelivered request from a different one.
 */
export function grantTakenExecutionRead(fn: lambda.IFunction, stateMachineArn: string, sid: string): void {
  const stack = Stack.of(fn);
  const machineName = stack.splitArn(stateMachineArn, ArnFormat.COLON_RESOURCE_NAME).resourceName as string;
  fn.addToRolePolicy(
    new iam.PolicyStatement({
      sid,
      actions: ['states:DescribeExecution'],
      resources: [
        `${stack.formatArn({ service: 'states', resource: 'execution', resourceName: machineName, arnFormat: ArnFormat.COLON_RESOURCE_NAME })}:*`,
      ],
    }),
  );
  acknowledgeExecutionRead(fn, machineName);
}

/** The cdk-nag finding of `DescribeExecution` on every execution of the machine `machineName`. */
function acknowledgeExecutionRead(fn: lambda.IFunction, machineName: string): void {
  if (!fn.role) return;
  const name = Token.isUnresolved(machineName)
    ? JSON.stringify(Stack.of(fn).resolve(machineName))
    : machineName;
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagArn(fn, 'states', 'execution:')}${name}:*]`,
    reason:
      'DescribeExecution on executions of the one state machine this function starts (names are per request): read only when a name is taken.',
  });
}
