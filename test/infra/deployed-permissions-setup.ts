import type { CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { buildTestApp } from '../helpers/build-test-app';
import { ACCOUNT, PARTITION, REGION, type TemplateJson } from './template-iam';

/** The ARNs the deployed-permissions tests ask about, in the test account and region. */
export const GROUP = (name: string) =>
  `arn:${PARTITION}:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:0f1e2d3c-aaaa-bbbb-cccc-0123456789ab:autoScalingGroupName/${name}`;
export const TEMPLATE = (id: string) => `arn:${PARTITION}:ec2:${REGION}:${ACCOUNT}:launch-template/${id}`;
export const ROLE = (name: string) => `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}`;
export const INSTANCE = `arn:${PARTITION}:ec2:${REGION}:${ACCOUNT}:instance/*`;

/** A construct's logical ID in `stack`, as the template's policies name it. */
export function idOf(stack: Stack, construct: IConstruct): string {
  return stack.resolve((construct.node.defaultChild as CfnElement).logicalId) as string;
}

/** The app synthesized for `config`, its stack, template JSON and Prescale construct. */
export function synth(config: unknown) {
  const { app, stack, template } = buildTestApp(config);
  const json = template().toJSON() as TemplateJson;
  return { app, stack, json, scaler: stack.scaler };
}
