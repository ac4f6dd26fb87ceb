import { type RequiredPermission, type ResourceFacts, requiredPermissions } from './request-permissions';

/** A Task state's call, from the state machine's definition. */
export interface StateMachineCall {
  readonly state: string;
  readonly service: string;
  readonly operation: string;
  /** The task's Parameters/Arguments (JSONPath fields left as written). */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Run a job (`.sync`, `.sync:2`): Step Functions waits for the job through its own means. */
  readonly sync?: boolean;
}

const SERVICE_OF: Readonly<Record<string, string>> = {
  autoscaling: 'autoscaling',
  dynamodb: 'dynamodb',
  sns: 'sns',
  lambda: 'lambda',
  ec2: 'ec2',
  sqs: 'sqs',
  states: 'sfn',
  cloudwatch: 'cloudwatch',
};

type State = {
  Type?: string;
  Resource?: string;
  Parameters?: Record<string, unknown>;
  Arguments?: Record<string, unknown>;
  Branches?: { States: Record<string, State> }[];
  ItemProcessor?: { States: Record<string, State> };
  Iterator?: { States: Record<string, State> };
};

/**
 * Every Task state of an Amazon States Language definition, as the service call it makes:
 * `arn:aws:states:::aws-sdk:autoscaling:startInstanceRefresh` → autoscaling StartInstanceRefresh,
 * `arn:aws:states:::dynamodb:putItem` → dynamodb PutItem, `arn:aws:states:::lambda:invoke` →
 * lambda Invoke. Nested states (Parallel, Map) included.
 */
export function stateMachineCalls(definitionJson: string): StateMachineCall[] {
  const out: StateMachineCall[] = [];
  const visit = (states: Record<string, State>) => {
    for (const [name, state] of Object.entries(states)) {
      for (const branch of state.Branches ?? []) visit(branch.States);
      if (state.ItemProcessor) visit(state.ItemProcessor.States);
      if (state.Iterator) visit(state.Iterator.States);
      if (state.Type !== 'Task' || !state.Resource) continue;
      if (/:lambda:[^:]*:[^:]*:function:/.test(state.Resource)) {
        out.push({
          state: name,
          service: 'lambda',
          operation: 'Invoke',
          parameters: { FunctionName: state.Resource },
        });
        continue;
      }
      // `.sync:2` (the JSON-output version of `.sync`) included: a version suffix is no other call.
      const match = /^arn:[^:]+:states:::(?:aws-sdk:)?([a-z0-9-]+):([A-Za-z]+)(?:\.(\w+)(?::\d+)?)?$/.exec(
        state.Resource,
      );
      if (!match) continue;
      const [, service, api, pattern] = match as unknown as [string, string, string, string | undefined];
      out.push({
        state: name,
        service: SERVICE_OF[service] ?? service,
        operation: api.charAt(0).toUpperCase() + api.slice(1),
        parameters: state.Parameters ?? state.Arguments ?? {},
        ...(pattern === 'sync' ? { sync: true } : {}),
      });
    }
  };
  visit((JSON.parse(definitionJson) as { States: Record<string, State> }).States);
  return out;
}

/** Concrete values for the JSONPath fields whose value decides authorization. */
const DYNAMIC: Readonly<Record<string, (group: string, template: string) => unknown>> = {
  AutoScalingGroupName: (group) => group,
  LaunchTemplateId: (_group, template) => template,
  DesiredConfiguration: (_group, template) => ({
    LaunchTemplate: { LaunchTemplateId: template, Version: '2' },
  }),
  Preferences: () => ({}),
};

/**
 * Replaces JSONPath-valued fields (`Name.$`) with values for the group (its launch template
 * `launchTemplateId`, default `lt-<group>`), keeping literal ones.
 */
export function concreteParameters(
  parameters: Readonly<Record<string, unknown>>,
  groupName: string,
  launchTemplateId = `lt-${groupName}`,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (key.endsWith('.$')) {
      const name = key.slice(0, -2);
      out[name] =
        DYNAMIC[name]?.(groupName, launchTemplateId) ?? formatted(value, groupName) ?? `dynamic-${name}`;
    } else
      out[key] =
        value !== null && typeof value === 'object' && !Array.isArray(value)
          ? concreteParameters(value as Record<string, unknown>, groupName, launchTemplateId)
          : value;
  }
  return out;
}

/**
 * A `States.Format('…{}…', $.path)` value with each argument as `groupName` (an execution ARN built
 * on a child's name, say, authorized on its state machine's executions); anything else undefined.
 */
function formatted(value: unknown, groupName: string): string | undefined {
  const match = typeof value === 'string' ? /^States\.Format\('((?:[^'\\]|\\.)*)'/.exec(value) : null;
  return match ? (match[1] as string).replaceAll('{}', groupName) : undefined;
}

/** Lambda's invoke integration names the function in `FunctionName` (maybe with a qualifier). */
export function lambdaInvokePermission(parameters: Readonly<Record<string, unknown>>): RequiredPermission {
  return {
    action: 'lambda:InvokeFunction',
    resourceArn: String(parameters.FunctionName).replace(/:\$LATEST$/, ''),
  };
}

/**
 * What a Task state's call needs of the state machine's role beyond its request's own permission:
 * for a child execution run to its end (`states:startExecution.sync`), reading and stopping the
 * child's executions and the managed EventBridge rule Step Functions watches them with, as the
 * Step Functions developer guide lists them for nested workflows. `input` is the task's
 * Parameters with concrete values.
 */
export function integrationPermissions(
  call: StateMachineCall,
  input: Readonly<Record<string, unknown>>,
): RequiredPermission[] {
  if (!call.sync || call.service !== 'sfn' || call.operation !== 'StartExecution') return [];
  const machine = /^arn:([^:]+):states:([^:]+):(\d+):stateMachine:(.+)$/.exec(String(input.StateMachineArn));
  if (!machine) return [];
  const [, partition, region, account, name] = machine;
  const execution = `arn:${partition}:states:${region}:${account}:execution:${name}:child`;
  const rule = `arn:${partition}:events:${region}:${account}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule`;
  return [
    { action: 'states:DescribeExecution', resourceArn: execution },
    { action: 'states:StopExecution', resourceArn: execution },
    ...['events:PutTargets', 'events:PutRule', 'events:DescribeRule'].map((action) => ({
      action,
      resourceArn: rule,
    })),
  ];
}

/**
 * What the state machine's role needs for one Task state's call with concrete `input`: the Lambda
 * invoke, or the service request's own permission and a nested workflow's extras; with
 * `topicKey`, KMS use of the encrypted topic an SNS publish names.
 */
export function taskPermissions(
  call: StateMachineCall,
  input: Readonly<Record<string, unknown>>,
  facts: ResourceFacts,
  topicKey?: string,
): RequiredPermission[] {
  if (call.service === 'lambda') return [lambdaInvokePermission(input)];
  const permissions = [
    ...requiredPermissions(call.service, call.operation, asServiceRequest(call, input), facts),
    ...integrationPermissions(call, input),
  ];
  if (call.service === 'sns' && topicKey)
    permissions.push({ action: 'kms:GenerateDataKey', resourceArn: topicKey });
  return permissions;
}

/**
 * A Task state's Parameters as the service API request Step Functions sends. The integrations name
 * fields in PascalCase; Step Functions' own API (`startExecution`) names them in camelCase, and its
 * optimized integration sends an `Input` object as the JSON text the API takes.
 */
export function asServiceRequest(
  call: Pick<StateMachineCall, 'service'>,
  input: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  if (call.service !== 'sfn') return input;
  return Object.fromEntries(
    Object.entries(input).map(([key, value]) => [
      key.charAt(0).toLowerCase() + key.slice(1),
      key === 'Input' && typeof value !== 'string' ? JSON.stringify(value) : value,
    ]),
  );
}
