import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { addPrescaleChecks } from '../../infra/checks';
import { PredictiveScaler } from '../../infra/constructs/predictive-scaler';
import { testOutdir } from '../helpers/test-temp-root';
import { ACCOUNT, evaluate, PARTITION, REGION, type TemplateJson } from './template-iam';

/** The README's "use Prescale inside your own CDK app" snippet, exactly as written there. */
function readmeSnippet(): string {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1] as string)
    .find((code) => code.includes('new PredictiveScaler('));
  if (!block) throw new Error('README.md has no ts block with new PredictiveScaler(');
  // The import names the class the test passes in; everything else runs as written.
  return block
    .split('\n')
    .filter((line) => !line.startsWith('import '))
    .join('\n');
}

/** A user's stack: a VPC and a real AutoScalingGroup with a launch template and an instance role. */
class UserStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id, { env: { account: ACCOUNT, region: REGION } });
    const vpc = new ec2.Vpc(this, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const webAsg = new autoscaling.AutoScalingGroup(this, 'WebAsg', {
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      minCapacity: 2,
      maxCapacity: 10,
      launchTemplate: new ec2.LaunchTemplate(this, 'WebTemplate', {
        instanceType: new ec2.InstanceType('m7g.large'),
        machineImage: ec2.MachineImage.genericLinux({ [REGION]: 'ami-0123456789abcdef0' }),
        role: new iam.Role(this, 'WebInstanceRole', {
          assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
        }),
      }),
    });
    // The user's own resources are theirs to harden; this test checks Prescale's.
    const reason = 'A user-owned test fixture outside Prescale; only Prescale is held to cdk-nag here.';
    Validations.of(vpc).acknowledge({ id: 'AwsSolutions-VPC7', reason });
    Validations.of(webAsg).acknowledge(
      { id: 'AwsSolutions-EC26', reason },
      { id: 'AwsSolutions-AS3', reason },
    );
    new Function('PredictiveScaler', 'webAsg', readmeSnippet()).call(this, PredictiveScaler, webAsg);
  }
}

describe('README construct example', () => {
  const app = new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new UserStack(app, 'UserApp');
  const scaler = stack.node.findAll().find((c) => c instanceof PredictiveScaler) as PredictiveScaler;
  addPrescaleChecks(scaler);
  const json = Template.fromStack(stack).toJSON() as TemplateJson;
  const idOf = (c: Construct) => stack.resolve((c.node.defaultChild as CfnElement).logicalId) as string;

  it('synthesizes inside a user app with a real AutoScalingGroup, cdk-nag clean for Prescale', () => {
    expect(scaler).toBeInstanceOf(PredictiveScaler);
    expect(() => app.synth()).not.toThrow();
  });

  it('enrols the group by its deploy-time name and may scale only that group', async () => {
    const worker = { roleLogicalId: idOf(scaler.scalingLoop.worker.role) };
    const group = (name: string) =>
      `arn:${PARTITION}:autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:0f1e2d3c-aaaa-bbbb-cccc-0123456789ab:autoScalingGroupName/${name}`;
    const asgId = Object.entries(json.Resources).find(
      ([, r]) => r.Type === 'AWS::AutoScaling::AutoScalingGroup',
    )?.[0];
    const update = (name: string) => ({
      action: 'autoscaling:UpdateAutoScalingGroup',
      resource: group(name),
    });
    expect(await evaluate(json, worker, update(asgId as string))).toBe('Allowed');
    expect(await evaluate(json, worker, update('someone-else'))).not.toBe('Allowed');
  });

  it('lets rolling updates launch from the group’s template and pass its instance role, nothing else', async () => {
    const machine = { roleLogicalId: idOf(scaler.rollingUpdates.stateMachine.role) };
    const of = (type: string) =>
      Object.entries(json.Resources).find(([, r]) => r.Type === type)?.[0] as string;
    const template = of('AWS::EC2::LaunchTemplate');
    const role = Object.keys(json.Resources).find((id) => id.startsWith('WebInstanceRole')) as string;
    const run = (id: string) => ({
      action: 'ec2:RunInstances',
      resource: `arn:${PARTITION}:ec2:${REGION}:${ACCOUNT}:launch-template/${id}`,
    });
    expect(await evaluate(json, machine, run(template))).toBe('Allowed');
    expect(await evaluate(json, machine, run('lt-0fedcba9876543210'))).not.toBe('Allowed');
    const pass = (name: string) => ({
      action: 'iam:PassRole',
      resource: `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}`,
      context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
    });
    expect(await evaluate(json, machine, pass(role))).toBe('Allowed');
    expect(await evaluate(json, machine, pass('admin'))).not.toBe('Allowed');
  });
});
