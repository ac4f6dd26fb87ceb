import { App, Aws, Fn, Stack, Validations } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { addPrescaleChecks } from '../../infra/checks';
import { byNameGroupsProblem } from '../../infra/constructs/enrolled-groups-policy';
import { PredictiveScaler } from '../../infra/constructs/predictive-scaler';
import { PrescaleStack } from '../../infra/stacks/prescale-stack';
import type { UserConfigInput } from '../../shared/contracts/user-config';
import type { CfnTemplate } from '../../shared/simulation/aws-checks/resolve-intrinsics';
import { testOutdir } from '../helpers/test-temp-root';
import { iamPolicyQuotaViolations } from './deploy-matrix/iam-policy-quotas';

/** The shortest names there are: `0`…`z`, then `10`…: the most ARNs a list of names can hold. */
const shortestNames = (count: number) => Array.from({ length: count }, (_, i) => i.toString(36));

function synth(names: readonly string[]) {
  const app = new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new PrescaleStack(app, 'Prescale', {
    config: { groups: { names: [...names] }, mode: 'forecast-and-scale' },
    configSource: 'test config',
    env: { account: '123456789012', region: 'us-east-1' },
  });
  return app.synth().getStackByName(stack.stackName).template as CfnTemplate;
}

describe('enrolledGroupsStatements, groups enrolled by name', () => {
  it("fills each managed policy with names: 270 of 1–2 characters fit every role's 10", () => {
    expect(byNameGroupsProblem(shortestNames(270))).toBeUndefined();
    expect(iamPolicyQuotaViolations(synth(shortestNames(260)))).toEqual([]);
  });

  it('fails synth at groups.names when the names would need more managed policies than IAM attaches to a role', () => {
    expect(() => synth(shortestNames(300))).toThrow(
      /groups\.names lists 300 groups, whose ARNs take 6 IAM policy statements of \d+ characters per grant, more than the 5 that fit the 10 managed policies IAM attaches to a role by default/,
    );
  });
});

describe('acknowledgeEnrolledGroupWildcards, groups whose names are tokens', () => {
  const env = { account: '123456789012', region: 'eu-west-1' };
  const config: UserConfigInput = { groups: { names: [] }, mode: 'forecast-only' };
  const appWith = (context: Record<string, unknown> = {}) =>
    new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [], ...context } });

  /** A group of the user's own, its findings acknowledged: only Prescale is held to cdk-nag here. */
  function userGroup(stack: Stack): autoscaling.AutoScalingGroup {
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }],
    });
    const group = new autoscaling.AutoScalingGroup(stack, 'Web', {
      vpc,
      instanceType: new ec2.InstanceType('t3.micro'),
      machineImage: ec2.MachineImage.genericLinux({ [env.region]: 'ami-0123456789abcdef0' }),
    });
    const reason = 'A user-owned test fixture outside Prescale.';
    Validations.of(stack).acknowledge(
      { id: 'AwsSolutions-VPC7', reason },
      { id: 'AwsSolutions-EC26', reason },
      { id: 'AwsSolutions-AS3', reason },
    );
    return group;
  }

  it.each([
    ['an import', () => Fn.importValue('WebAsgName')],
    ["the stack's name joined to text", () => `${Aws.STACK_NAME}-web`],
    ['one of an imported list', () => Fn.select(0, Fn.split(',', Fn.importValue('WebAsgNames')))],
  ])('synthesizes an imported group named by %s, cdk-nag clean for Prescale', (_, name) => {
    for (const checked of [false, true]) {
      const app = appWith();
      const stack = new Stack(app, 'UserApp', { env });
      const group = autoscaling.AutoScalingGroup.fromAutoScalingGroupName(stack, 'Imported', name());
      new PredictiveScaler(stack, 'Scaler', { groups: [group], config });
      if (checked) addPrescaleChecks(app);
      expect(() => app.synth()).not.toThrow();
    }
  });

  it.each(['strong', 'weak'])(
    "synthesizes a group of another stack (a %s reference), cdk-nag clean for Prescale's roles",
    (strength) => {
      const app = appWith({ '@aws-cdk/core:defaultCrossStackReferences': strength });
      const group = userGroup(new Stack(app, 'Groups', { env }));
      new PredictiveScaler(new Stack(app, 'Scaler', { env }), 'Scaler', { groups: [group], config });
      addPrescaleChecks(app);
      expect(() => app.synth()).not.toThrow();
    },
  );
});
