import type { App } from 'aws-cdk-lib';

/** The stack name a deployment gets without `-c stackName=…`: what every deployment had before. */
export const DEFAULT_STACK_NAME = 'Prescale';

/**
 * CloudFormation's rule for a stack name: a letter, then letters, digits and hyphens, at most 128
 * characters (CloudFormation User Guide, "Stack name").
 */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/**
 * The name of the stack to deploy: `-c stackName=prescale-staging` (so two Prescale stacks can
 * live in one account and region: one per name), else `Prescale`. Checked here, so a bad name
 * fails `cdk synth` instead of the deployment.
 * @throws Error naming the value received and the rule it breaks.
 */
export function readStackName(app: App): string {
  const name = app.node.tryGetContext('stackName') as unknown;
  if (name === undefined) return DEFAULT_STACK_NAME;
  if (typeof name !== 'string' || !STACK_NAME.test(name)) {
    throw new Error(
      `Invalid -c stackName=${JSON.stringify(name)}: a CloudFormation stack name starts with a letter and has only letters, digits and hyphens, at most 128 characters (e.g. prescale-staging)`,
    );
  }
  return name;
}
