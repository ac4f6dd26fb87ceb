import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { PredictiveScaler } from '../../infra/constructs/predictive-scaler';
import { InvalidConfigError } from '../../shared/contracts/parse-config';
import type { UserConfigInput } from '../../shared/contracts/user-config';
import { testOutdir } from '../helpers/test-temp-root';
import { ACCOUNT, evaluate, PARTITION, REGION, type TemplateJson } from './template-iam';

/** A group of the user's app whose launch template gives its instances `role`. */
function groupWithRole(
  stack: Stack,
  id: string,
  vpc: ec2.IVpc,
  role: iam.IRole,
): autoscaling.AutoScalingGroup {
  const group = new autoscaling.AutoScalingGroup(stack, id, {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    minCapacity: 1,
    maxCapacity: 4,
    launchTemplate: new ec2.LaunchTemplate(stack, `${id}Template`, {
      instanceType: new ec2.InstanceType('m7g.large'),
      machineImage: ec2.MachineImage.genericLinux({ [REGION]: 'ami-0123456789abcdef0' }),
      role,
    }),
  });
  const reason = 'A user-owned test fixture outside Prescale; only Prescale is held to cdk-nag here.';
  Validations.of(group).acknowledge({ id: 'AwsSolutions-EC26', reason }, { id: 'AwsSolutions-AS3', reason });
  return group;
}

describe('constructGroupFacts (construct groups with instance roles under a path)', () => {
  const app = new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'UserApp', { env: { account: ACCOUNT, region: REGION } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
  Validations.of(vpc).acknowledge({ id: 'AwsSolutions-VPC7', reason: 'A user-owned test fixture.' });
  const ownRole = new iam.Role(stack, 'WebInstanceRole', {
    assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
    path: '/app/',
  });
  const importedRole = iam.Role.fromRoleArn(
    stack,
    'ApiInstanceRole',
    `arn:${PARTITION}:iam::${ACCOUNT}:role/app/web-instance`,
  );
  const scaler = new PredictiveScaler(stack, 'Scaler', {
    groups: [groupWithRole(stack, 'Web', vpc, ownRole), groupWithRole(stack, 'Api', vpc, importedRole)],
    config: { groups: { names: [] }, mode: 'forecast-and-scale', pricing: { apply: true } },
  });
  const json = Template.fromStack(stack).toJSON() as TemplateJson;
  const idOf = (c: Construct) => stack.resolve((c.node.defaultChild as CfnElement).logicalId) as string;
  const principals = {
    'the rolling-update state machine': { roleLogicalId: idOf(scaler.rollingUpdates.stateMachine.role) },
    'the instance-type selector': { roleLogicalId: idOf(scaler.instanceTypeSelector.function.role) },
  };
  const pass = (roleArnResource: string) => ({
    action: 'iam:PassRole',
    resource: `arn:${PARTITION}:iam::${ACCOUNT}:role/${roleArnResource}`,
    context: { 'iam:PassedToService': 'ec2.amazonaws.com' },
  });

  it.each(Object.entries(principals))(
    'lets %s pass a role of the app by its ARN, path included',
    async (_, p) => {
      expect(await evaluate(json, p, pass(`app/${idOf(ownRole)}`))).toBe('Allowed');
    },
  );

  it.each(Object.entries(principals))('lets %s pass an imported role under a path', async (_, p) => {
    expect(await evaluate(json, p, pass('app/web-instance'))).toBe('Allowed');
  });

  it.each(Object.entries(principals))(
    'does not let %s pass a role of the same name outside that path',
    async (_, p) => {
      expect(await evaluate(json, p, pass(idOf(ownRole)))).not.toBe('Allowed');
      expect(await evaluate(json, p, pass('web-instance'))).not.toBe('Allowed');
    },
  );
});

describe('PredictiveScaler with a construct group (its config checked at synth)', () => {
  /** A scaler enrolling one construct group beside `config` (or the config made for it), in a stack of its own. */
  const scalerBeside =
    (config: UserConfigInput | ((group: autoscaling.IAutoScalingGroup) => UserConfigInput)) => () => {
      const stack = new Stack(
        new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } }),
        'UserApp',
        {
          env: { account: ACCOUNT, region: REGION },
        },
      );
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
      const role = new iam.Role(stack, 'WebInstanceRole', {
        assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com'),
      });
      const group = groupWithRole(stack, 'Web', vpc, role);
      return new PredictiveScaler(stack, 'Scaler', {
        groups: [group],
        config: typeof config === 'function' ? config(group) : config,
      });
    };
  const problemsOf = (build: () => unknown) => {
    try {
      build();
    } catch (error) {
      if (error instanceof InvalidConfigError) return error.problems;
      throw error;
    }
    return [];
  };
  const twenty = (shape: (i: number) => string) => Array.from({ length: 20 }, (_, i) => shape(i));

  it.each([
    [
      'launchPermissions.launchTemplateIds',
      { launchTemplateIds: twenty((i) => `lt-${String(i).padStart(17, '0')}`) },
    ],
    ['launchPermissions.instanceRoleNames', { instanceRoleNames: twenty((i) => `app/role-${i}`) }],
  ])(
    'fails synth at %s when the construct group’s addition makes it more than 20',
    (path, launchPermissions) => {
      const problems = problemsOf(scalerBeside({ groups: { names: [] }, launchPermissions }));
      expect(problems).toEqual([expect.objectContaining({ path, expected: expect.stringMatching(/<=20/) })]);
    },
  );

  it('enrols a construct group beside 19 listed launch templates and roles', () => {
    const launchPermissions = {
      launchTemplateIds: twenty((i) => `lt-${String(i).padStart(17, '0')}`).slice(1),
      instanceRoleNames: twenty((i) => `app/role-${i}`).slice(1),
    };
    expect(problemsOf(scalerBeside({ groups: { names: [] }, launchPermissions }))).toEqual([]);
  });

  const placeholder = 'prescale-construct-group-0';
  it.each<[string, UserConfigInput]>([
    [
      `groupOverrides.${placeholder}`,
      { groups: { names: [] }, groupOverrides: { [placeholder]: { floorCapacity: 2 } } },
    ],
    ['groups.names.0', { groups: { names: [placeholder] } }],
    [
      'dependencies.edges.0.to',
      { groups: { names: ['web'] }, dependencies: { edges: [{ from: 'web', to: placeholder }] } },
    ],
    [
      'dependencies.xray.serviceToGroup.checkout',
      {
        groups: { names: ['web'] },
        dependencies: { xray: { enabled: true, serviceToGroup: { checkout: placeholder } } },
      },
    ],
  ])(
    'fails synth at %s, a name synth gives the group only until deploy, naming its construct and the remedy',
    (path, config) => {
      expect(problemsOf(scalerBeside(config))).toEqual([
        expect.objectContaining({
          path,
          expected: expect.stringMatching(/UserApp\/Web\b.*give it an explicit autoScalingGroupName/),
        }),
      ]);
    },
  );

  it('names the construct group by its path, not its stand-in, among the enrolled groups an override may name', () => {
    const problems = problemsOf(
      scalerBeside({ groups: { names: ['api'] }, groupOverrides: { web: { floorCapacity: 2 } } }),
    );
    expect(problems).toEqual([expect.objectContaining({ path: 'groupOverrides.web' })]);
    expect(problems[0]?.expected).toMatch(/\(api, the group of construct UserApp\/Web\b/);
    expect(problems[0]?.expected).not.toMatch(/prescale-construct-group/);
  });

  it('lists a stand-in written as a name beside the config’s other problems, in one error', () => {
    const config = { groups: { names: [placeholder] }, mode: 'yolo' } as unknown as UserConfigInput;
    expect(problemsOf(scalerBeside(config)).map((p) => p.path)).toEqual(['groups.names.0', 'mode']);
  });

  it.each<[string, (name: string) => UserConfigInput]>([
    [
      'groupOverrides.',
      (name) => ({ groups: { names: [] }, groupOverrides: { [name]: { floorCapacity: 2 } } }),
    ],
    [
      'dependencies.edges.0.from',
      (name) => ({ groups: { names: ['api'] }, dependencies: { edges: [{ from: name, to: 'api' }] } }),
    ],
  ])(
    'fails synth at %s… holding the group’s name while it is a token, which synth cannot check',
    (path, configWith) => {
      const problems = problemsOf(scalerBeside((group) => configWith(group.autoScalingGroupName)));
      expect(problems).toEqual([
        expect.objectContaining({
          path: expect.stringMatching(new RegExp(`^${path.replaceAll('.', '\\.')}`)),
          expected: expect.stringMatching(/known at synth.*give it an explicit autoScalingGroupName/),
        }),
      ]);
    },
  );

  it('fails synth at groups.names.0 holding a token with the remedy for enrolment: the groups prop', () => {
    const problems = problemsOf(
      scalerBeside((group) => ({ groups: { names: [group.autoScalingGroupName] } })),
    );
    expect(problems).toEqual([
      expect.objectContaining({
        path: 'groups.names.0',
        expected: expect.stringMatching(/known at synth.*PredictiveScaler's groups prop/),
      }),
    ]);
  });
});

describe('PredictiveScaler with a construct group of another account or region', () => {
  const app = () => new App({ outdir: testOutdir(), context: { 'aws:cdk:bundling-stacks': [] } });
  /** A scaler in `scalerEnv` (its stack refers across regions) given a group of a stack in `groupEnv`. */
  const scalerOf = (
    groupEnv: { account?: string; region?: string },
    scalerEnv = { account: ACCOUNT, region: REGION },
  ) => {
    const scope = app();
    const groups = new Stack(scope, 'Groups', { env: groupEnv });
    const group = autoscaling.AutoScalingGroup.fromAutoScalingGroupName(groups, 'Web', 'web');
    const stack = new Stack(scope, 'UserApp', { env: scalerEnv, crossRegionReferences: true });
    return () =>
      new PredictiveScaler(stack, 'Scaler', { groups: [group], config: { groups: { names: [] } } });
  };

  it('fails synth for a group of another region, naming the group, both environments and the remedy', () => {
    expect(scalerOf({ account: ACCOUNT, region: 'us-east-1' })).toThrow(
      new RegExp(
        `PredictiveScaler UserApp/Scaler: the group of construct Groups/Web is in account ${ACCOUNT}, region us-east-1, and the scaler in account ${ACCOUNT}, region ${REGION}\\b.*a PredictiveScaler in a stack of the group's account and region`,
      ),
    );
  });

  it('fails synth for a group of another account', () => {
    expect(scalerOf({ account: '210987654321', region: REGION })).toThrow(
      /the group of construct Groups\/Web is in account 210987654321, region \S+, and the scaler in account 123456789012/,
    );
  });

  it('takes a group whose stack is environment-agnostic, or one of the same account and region', () => {
    expect(scalerOf({})).not.toThrow();
    expect(scalerOf({ account: ACCOUNT, region: REGION })).not.toThrow();
  });
});
