import { AwsRequestChecks, runAsHandler } from '../../../../shared/simulation/aws-checks/aws-request-checks';
import { DeployedAccount } from '../../../../shared/simulation/aws-checks/deployed-account';
import {
  groupInstanceRole,
  groupTemplateLaunch,
} from '../../../../shared/simulation/aws-checks/group-launch-template';
import {
  type ResourceFacts,
  requiredPermissions,
} from '../../../../shared/simulation/aws-checks/request-permissions';
import { launchTemplateIdOf } from '../../../../shared/simulation/world/auto-scaling/group-state';
import type { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';
import { checksWorld } from '../../../helpers/checks-world';
import { workerTemplate } from '../../../helpers/worker-template';

const TAG = { 'prescale:enabled': 'true' };
const config = {
  groups: { tag: { key: 'prescale:enabled', value: 'true' } },
  mode: 'forecast-and-scale' as const,
};
// biome-ignore lint/suspicious/noTemplateCurlyInString: CloudFormation Fn::Sub placeholders, not JS ones.
const [PARTITION, REGION, ACCOUNT] = ['${AWS::Partition}', '${AWS::Region}', '${AWS::AccountId}'];
const sub = (rest: string) => ({ 'Fn::Sub': `arn:${PARTITION}:${rest}` });

/**
 * A selector-like role: updates tagged groups, launches from tagged templates, tags on launch,
 * passes `web-instance-role` by ARN and (as Prescale once did) any role carrying the enrolment tag,
 * which IAM never allows: PassRole is not authorized by the role's tags.
 */
const template = workerTemplate('functions/select-instance-types/handler.ts', [
  {
    Effect: 'Allow',
    Action: ['autoscaling:UpdateAutoScalingGroup', 'ec2:RunInstances'],
    Resource: [
      sub(`autoscaling:${REGION}:${ACCOUNT}:autoScalingGroup:*`),
      sub(`ec2:${REGION}:${ACCOUNT}:launch-template/*`),
    ],
    Condition: { StringEquals: { 'aws:ResourceTag/prescale:enabled': 'true' } },
  },
  {
    Effect: 'Allow',
    Action: 'ec2:CreateTags',
    Resource: ['instance', 'volume'].map((t) => sub(`ec2:${REGION}:${ACCOUNT}:${t}/*`)),
    Condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
  },
  {
    Effect: 'Allow',
    Action: 'iam:PassRole',
    Resource: sub(`iam::${ACCOUNT}:role/web-instance-role`),
    Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com' } },
  },
  {
    Effect: 'Allow',
    Action: 'iam:PassRole',
    Resource: sub(`iam::${ACCOUNT}:role/*`),
    Condition: {
      StringEquals: {
        'iam:PassedToService': 'ec2.amazonaws.com',
        'iam:ResourceTag/prescale:enabled': 'true',
      },
    },
  },
]);

/**
 * Tagged groups: `web` gives instances a tagged role granted by ARN, `jobs` a tagged role granted
 * only by its tag, `api` an untagged one, `batch` no instance profile.
 */
function world(): SimulatedWorld {
  return checksWorld([
    { name: 'web', tags: TAG, instanceRole: { name: 'web-instance-role', tags: TAG } },
    { name: 'jobs', tags: TAG, instanceRole: { name: 'jobs-instance-role', tags: TAG } },
    { name: 'api', tags: TAG, instanceRole: { name: 'shared/app-instance', tags: {} } },
    { name: 'batch', tags: TAG },
  ]);
}

const templateOf = (name: string) => launchTemplateIdOf({ spec: { name } as never });

describe("Auto Scaling's checks of the launch template a caller points a group at", () => {
  const account = new DeployedAccount(template, { region: 'us-east-1' });

  async function update(checks: AwsRequestChecks, w: SimulatedWorld, group: string) {
    return runAsHandler('select-instance-types', () =>
      checks.check(w, 'autoscaling', 'UpdateAutoScalingGroupCommand', {
        AutoScalingGroupName: group,
        LaunchTemplate: { LaunchTemplateId: templateOf(group), Version: '1' },
      }),
    );
  }

  const asked = (checks: AwsRequestChecks) =>
    [...checks.ledger.decisions.values()].map((d) => `${d.action} ${d.resourceArn} ${d.allowed}`);

  it('asks RunInstances, CreateTags for each tagged resource type and PassRole for the instance role', async () => {
    const checks = new AwsRequestChecks(account, config);
    await expect(update(checks, world(), 'web')).resolves.toBeUndefined();
    expect(asked(checks)).toEqual(
      expect.arrayContaining([
        `ec2:RunInstances arn:aws:ec2:us-east-1:123456789012:launch-template/${templateOf('web')} true`,
        'ec2:CreateTags arn:aws:ec2:us-east-1:123456789012:instance/* true',
        'ec2:CreateTags arn:aws:ec2:us-east-1:123456789012:volume/* true',
        'iam:PassRole arn:aws:iam::123456789012:role/web-instance-role true',
      ]),
    );
  });

  it("refuses the update, as Auto Scaling does, when the caller may not pass the template's instance role", async () => {
    const checks = new AwsRequestChecks(account, config);
    await expect(update(checks, world(), 'api')).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining(
        'not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/shared/app-instance',
      ),
    });
    expect(checks.neededDenies().map((d) => d.action)).toEqual(['iam:PassRole']);
  });

  it("refuses the update, as AWS does, when only the role's tags would allow passing it", async () => {
    const checks = new AwsRequestChecks(account, config);
    await expect(update(checks, world(), 'jobs')).rejects.toMatchObject({
      name: 'AccessDenied',
      message: expect.stringContaining(
        'not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/jobs-instance-role',
      ),
    });
  });

  it('asks no PassRole for a template without an instance profile', async () => {
    const checks = new AwsRequestChecks(account, config);
    await expect(update(checks, world(), 'batch')).resolves.toBeUndefined();
    expect(asked(checks).filter((a) => a.startsWith('iam:'))).toEqual([]);
  });

  it('reads the version the request names: a version without the instance profile asks no PassRole', async () => {
    const w = world();
    const id = templateOf('api');
    // An operator's version 2 of the template drops the instance profile.
    w.services.ec2.addLaunchTemplateVersion(id, { IamInstanceProfile: undefined }, 1);
    expect(
      w.services.ec2.launchTemplateData({ LaunchTemplateId: id }, '2')?.IamInstanceProfile,
    ).toBeUndefined();
    const checks = new AwsRequestChecks(account, config);
    await expect(
      runAsHandler('select-instance-types', () =>
        checks.check(w, 'autoscaling', 'UpdateAutoScalingGroupCommand', {
          AutoScalingGroupName: 'api',
          LaunchTemplate: { LaunchTemplateId: id, Version: '2' },
        }),
      ),
    ).resolves.toBeUndefined();
    await expect(
      runAsHandler('select-instance-types', () =>
        checks.check(w, 'autoscaling', 'UpdateAutoScalingGroupCommand', {
          AutoScalingGroupName: 'api',
          LaunchTemplate: { LaunchTemplateId: id },
        }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});

describe('PassRole of an instance role in aws-cn', () => {
  /** The role passing `web-instance-role` to the EC2 service names `passedTo` allows. */
  const passing = (passedTo: string | string[]) =>
    workerTemplate('functions/select-instance-types/handler.ts', [
      {
        Effect: 'Allow',
        Action: ['autoscaling:UpdateAutoScalingGroup', 'ec2:RunInstances'],
        Resource: '*',
      },
      { Effect: 'Allow', Action: 'ec2:CreateTags', Resource: '*' },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: sub(`iam::${ACCOUNT}:role/web-instance-role`),
        Condition: { StringEquals: { 'iam:PassedToService': passedTo } },
      },
    ]);
  const updateIn = (passedTo: string | string[]) => {
    const cn = new DeployedAccount(passing(passedTo), { region: 'cn-north-1', partition: 'aws-cn' });
    return runAsHandler('select-instance-types', () =>
      new AwsRequestChecks(cn, config).check(world(), 'autoscaling', 'UpdateAutoScalingGroupCommand', {
        AutoScalingGroupName: 'web',
        LaunchTemplate: { LaunchTemplateId: templateOf('web'), Version: '1' },
      }),
    );
  };

  it('is asked for ec2.amazonaws.com.cn: a policy naming only ec2.amazonaws.com is refused', async () => {
    await expect(updateIn('ec2.amazonaws.com')).rejects.toMatchObject({ name: 'AccessDenied' });
    await expect(updateIn(['ec2.amazonaws.com', 'ec2.amazonaws.com.cn'])).resolves.toBeUndefined();
  });
});

describe('requiredPermissions for a launch template named in a mixed instances policy and a refresh', () => {
  const facts: ResourceFacts = {
    account: '123456789012',
    region: 'us-east-1',
    partition: 'aws',
    group: () => undefined,
    launchTemplateTags: () => ({ team: 'web' }),
    queueArn: (url) => url,
    templateLaunch: (id, version) =>
      id === 'lt-0aaaaaaaaaaaaaaaa'
        ? {
            taggedResourceTypes: ['instance'],
            instanceRole: { arn: `arn:aws:iam::123456789012:role/r${version}`, tags: { team: 'web' } },
          }
        : { taggedResourceTypes: [] },
  };

  it("asks for each template version once, without the role's tags in the PassRole context", () => {
    const permissions = requiredPermissions(
      'autoscaling',
      'StartInstanceRefresh',
      {
        AutoScalingGroupName: 'web',
        DesiredConfiguration: {
          MixedInstancesPolicy: {
            LaunchTemplate: {
              LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0aaaaaaaaaaaaaaaa', Version: '3' },
              Overrides: [
                {
                  InstanceType: 'm7g.large',
                  LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0aaaaaaaaaaaaaaaa', Version: '3' },
                },
                {
                  InstanceType: 'm5.large',
                  LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0bbbbbbbbbbbbbbbb', Version: '1' },
                },
              ],
            },
          },
        },
      },
      facts,
    );
    expect(permissions.map((p) => `${p.action} ${p.resourceArn}`)).toEqual([
      'autoscaling:StartInstanceRefresh arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/web',
      'ec2:RunInstances arn:aws:ec2:us-east-1:123456789012:launch-template/lt-0aaaaaaaaaaaaaaaa',
      'ec2:CreateTags arn:aws:ec2:us-east-1:123456789012:instance/*',
      'iam:PassRole arn:aws:iam::123456789012:role/r3',
      'ec2:RunInstances arn:aws:ec2:us-east-1:123456789012:launch-template/lt-0bbbbbbbbbbbbbbbb',
    ]);
    expect(permissions.find((p) => p.action === 'iam:PassRole')?.context).toEqual({
      'iam:PassedToService': 'ec2.amazonaws.com',
    });
    expect(permissions.find((p) => p.action === 'ec2:CreateTags')?.context).toEqual({
      'ec2:CreateAction': 'RunInstances',
    });
  });
});

describe("the checks' convention for a group's instance role", () => {
  const named = {
    groups: { names: ['web', 'api'], tag: { key: 'prescale:enabled', value: 'true' } },
    launchPermissions: {
      launchTemplateIds: ['lt-0a1b2c3d4e5f60718'],
      instanceRoleNames: ['app/web', 'app/api'],
    },
  };

  it('gives a named group the role listed beside it, and none when the configuration lists none', () => {
    expect(groupInstanceRole('api', {}, named)).toEqual({ name: 'app/api', tags: {} });
    expect(groupInstanceRole('web', {}, { groups: { names: ['web'] } })).toBeUndefined();
  });

  it('gives a tag-enrolled group <prefix>/<group>-instance-role carrying its tags, in the target partition', () => {
    const prefixed = {
      ...named,
      launchPermissions: { ...named.launchPermissions, instanceRolePathPrefix: 'ec2' },
    };
    expect(groupTemplateLaunch('tagged', TAG, prefixed, { partition: 'aws-cn', account: '1' })).toEqual({
      taggedResourceTypes: ['instance', 'volume'],
      instanceRole: { arn: 'arn:aws-cn:iam::1:role/ec2/tagged-instance-role', tags: TAG },
    });
  });

  it('gives a tag-enrolled group no instance profile when the configuration has no role path prefix', () => {
    expect(groupInstanceRole('tagged', TAG, named)).toBeUndefined();
  });

  it('gives a group not enrolled <group>-instance-role, outside the prefix', () => {
    const prefixed = { ...named, launchPermissions: { instanceRolePathPrefix: 'ec2' } };
    expect(groupInstanceRole('stray', {}, prefixed)).toEqual({ name: 'stray-instance-role', tags: {} });
  });
});
