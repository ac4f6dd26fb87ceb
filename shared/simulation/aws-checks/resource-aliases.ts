import { CAMPAIGN_ENV } from '../../contracts/campaign-events';
import { ENV } from '../../contracts/env';
import type { DeploymentTarget } from './resolve-intrinsics';

type ToArn = (value: string, t: DeploymentTarget) => string;

const queueArn: ToArn = (url, t) => {
  const [, , host, account, name] = url.split('/');
  return `arn:${t.partition}:sqs:${host?.split('.')[1]}:${account}:${name}`;
};
const asIs: ToArn = (value) => value;

/** How each resource-naming environment variable becomes the ARN IAM authorizes. */
const ARN_OF: Readonly<Record<string, ToArn>> = {
  [ENV.stateTableName]: (v, t) => `arn:${t.partition}:dynamodb:${t.region}:${t.account}:table/${v}`,
  [ENV.groupQueueUrl]: queueArn,
  [CAMPAIGN_ENV.deadLetterQueueUrl]: queueArn,
  [ENV.killSwitchParameterName]: (v, t) =>
    `arn:${t.partition}:ssm:${t.region}:${t.account}:parameter/${v.replace(/^\//, '')}`,
  [ENV.schedulerGroupName]: (v, t) => `arn:${t.partition}:scheduler:${t.region}:${t.account}:schedule/${v}/`,
  [ENV.eventBusName]: (v, t) => `arn:${t.partition}:events:${t.region}:${t.account}:event-bus/${v}`,
  [ENV.schedulerRoleArn]: asIs,
  [ENV.prewarmFunctionArn]: asIs,
  [ENV.notificationTopicArn]: asIs,
  [ENV.rollingUpdateStateMachineArn]: asIs,
  [CAMPAIGN_ENV.deadLetterQueueArn]: asIs,
};

/**
 * The simulation names its resources itself (`prescale-simulation-state`, its own queue URL...);
 * the deployed function's environment names the template's. For each resource variable set in
 * both, the pair of ARN prefixes that maps the simulated resource onto the deployed one, so a
 * simulated request is authorized on the resource the deployed handler would name.
 */
export function resourceAliases(
  simulated: Readonly<Record<string, string | undefined>>,
  deployed: Readonly<Record<string, string>>,
  target: DeploymentTarget,
): [from: string, to: string][] {
  const out: [string, string][] = [];
  for (const [key, toArn] of Object.entries(ARN_OF)) {
    const a = simulated[key];
    const b = deployed[key];
    if (!(a && b && a !== b)) continue;
    const [from, to] = [toArn(a, target), toArn(b, target)];
    out.push([from, to]);
    // A state machine's executions (DescribeExecution of a taken name) are authorized on
    // `…:execution:<machine name>:<execution name>`, an ARN its own does not prefix.
    if (from.includes(':stateMachine:') && to.includes(':stateMachine:'))
      out.push([executionsOf(from), executionsOf(to)]);
  }
  return out;
}

/** The prefix of the ARNs of a state machine's executions, the colon after its name included. */
function executionsOf(stateMachineArn: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:`;
}

/** Applies the first alias whose prefix matches `arn`. */
export function aliased(arn: string, aliases: readonly [string, string][]): string {
  for (const [from, to] of aliases) if (arn.startsWith(from)) return to + arn.slice(from.length);
  return arn;
}
