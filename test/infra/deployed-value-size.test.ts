import { App, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { maxDeployedBytes, UNKNOWN_VALUE_BYTES } from '../../infra/constructs/deployed-value-size';
import { PredictiveScaler } from '../../infra/constructs/predictive-scaler';
import { ENV } from '../../shared/contracts/env';
import { testOutdir } from '../helpers/test-temp-root';

const newStack = (id = 'UserApp') =>
  new Stack(new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } }), id, {
    env: { account: '123456789012', region: 'eu-west-1' },
  });

/** `count` groups of the user's app, each with its launch template and instance role (names generated unless given). */
function serviceGroups(
  stack: Stack,
  count: number,
  named: { readonly groupName?: (i: number) => string; readonly roleName?: (i: number) => string } = {},
): autoscaling.AutoScalingGroup[] {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  const reason = 'A user-owned test fixture outside Prescale.';
  Validations.of(vpc).acknowledge({ id: 'AwsSolutions-VPC7', reason });
  return Array.from({ length: count }, (_, i) => {
    const group = new autoscaling.AutoScalingGroup(stack, `Service${i}`, {
      ...(named.groupName ? { autoScalingGroupName: named.groupName(i) } : {}),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      minCapacity: 1,
      maxCapacity: 4,
      launchTemplate: new ec2.LaunchTemplate(stack, `Service${i}Template`, {
        instanceType: new ec2.InstanceType('m7g.large'),
        machineImage: ec2.MachineImage.genericLinux({ 'eu-west-1': 'ami-0123456789abcdef0' }),
        role: new iam.Role(stack, `Service${i}Role`, {
          assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
          path: '/app/',
          ...(named.roleName ? { roleName: named.roleName(i) } : {}),
        }),
      }),
    });
    Validations.of(group).acknowledge(
      { id: 'AwsSolutions-EC26', reason },
      { id: 'AwsSolutions-AS3', reason },
    );
    return group;
  });
}

const config = { groups: { names: [] }, mode: 'forecast-and-scale' as const };

describe('maxDeployedBytes', () => {
  const stack = newStack();
  const [group] = serviceGroups(stack, 1) as [autoscaling.AutoScalingGroup];
  const [named] = serviceGroups(newStack('Named'), 1, {
    groupName: () => 'web',
    roleName: () => 'web-instance',
  }) as [autoscaling.AutoScalingGroup];
  const roleWithPath = (g: autoscaling.AutoScalingGroup) => Fn.select(1, Fn.split(':role/', g.role.roleArn));

  it("counts a generated group name at Auto Scaling's 255, a given one at its length", () => {
    expect(maxDeployedBytes(stack, group.autoScalingGroupName)).toBe(255);
    expect(maxDeployedBytes(named, named.autoScalingGroupName)).toBe('web'.length);
  });

  it('counts a role name with its path at the path and 64, or the name given', () => {
    expect(maxDeployedBytes(stack, roleWithPath(group))).toBe('app/'.length + 64);
    expect(maxDeployedBytes(named, roleWithPath(named))).toBe('app/web-instance'.length);
  });

  it('counts a launch template id at 20 and literal text as its bytes, within a joined string', () => {
    const id = (stack.node.findChild('Service0Template') as ec2.LaunchTemplate).launchTemplateId as string;
    expect(maxDeployedBytes(stack, `["${id}","é"]`)).toBe('["'.length + 20 + '","'.length + 2 + '"]'.length);
  });

  it('counts a value it cannot bound (imported from elsewhere) at 256 bytes', () => {
    expect(maxDeployedBytes(stack, Fn.importValue('shared-group-name'))).toBe(UNKNOWN_VALUE_BYTES);
  });
});

describe('construct groups and the deployed size of the configuration', () => {
  it('fails synth with 9 construct groups, whose generated names do not fit once deployed', () => {
    const stack = newStack();
    expect(() => new PredictiveScaler(stack, 'Scaler', { groups: serviceGroups(stack, 9), config })).toThrow(
      /ScalingLoop ScalingLoop: the configuration is up to \d+ bytes as JSON once deployed .*at most 3000 fit in Lambda environment variables\. The largest parts: groups\.names \d+ bytes/,
    );
  });

  it('deploys 8 construct groups with generated names, and 20 with names given', () => {
    const eight = newStack();
    new PredictiveScaler(eight, 'Scaler', { groups: serviceGroups(eight, 8), config });
    const twenty = newStack();
    const groups = serviceGroups(twenty, 20, {
      groupName: (i) => `service-${i}`,
      roleName: (i) => `service-${i}-instance`,
    });
    new PredictiveScaler(twenty, 'Scaler', { groups, config });
    for (const stack of [eight, twenty]) expect(() => (stack.node.root as App).synth()).not.toThrow();
  });

  it("gives the functions the construct groups' deployed names, templates and roles, without the defaults", () => {
    const stack = newStack();
    const scaler = new PredictiveScaler(stack, 'Scaler', { groups: serviceGroups(stack, 2), config });
    const cfn = scaler.scalingLoop.worker.function.node.defaultChild as lambda.CfnFunction;
    const { variables } = stack.resolve(cfn.environment) as { variables: Record<string, unknown> };
    const [, parts] = (variables[ENV.config] as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    // Each value CloudFormation fills in (a Ref, a role's name cut from its ARN) read as "deployed".
    const deployed = parts.map((part) => (typeof part === 'string' ? part : 'deployed')).join('');
    const twice = ['deployed', 'deployed'];
    expect(JSON.parse(deployed)).toEqual({
      groups: { names: twice },
      mode: 'forecast-and-scale',
      launchPermissions: { launchTemplateIds: twice, instanceRoleNames: twice },
    });
  });
});
