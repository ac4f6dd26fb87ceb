import { DescribeLaunchTemplateVersionsCommand } from '@aws-sdk/client-ec2';
import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { createAwsClients } from '../../../../shared/aws/create-aws-clients';
import { launchTemplateIdOf } from '../../../../shared/simulation/world/auto-scaling/group-state';
import { SimulatedIam } from '../../../../shared/simulation/world/simulated-iam';
import { SimulatedWorld } from '../../../../shared/simulation/world/simulated-world';

afterEach(() => overrideAwsTransport(undefined));

describe('SimulatedIam', () => {
  it('resolves an instance profile, by ARN or by name, to the role it carries with its tags', () => {
    const iam = new SimulatedIam('123456789012');
    const roleArn = iam.createRole('app/web-instance', { team: 'web' });
    const profileArn = iam.createInstanceProfile('web-profile', 'app/web-instance');
    expect(roleArn).toBe('arn:aws:iam::123456789012:role/app/web-instance');
    expect(iam.roleOfInstanceProfile({ Arn: profileArn })).toEqual({ arn: roleArn, tags: { team: 'web' } });
    expect(iam.roleOfInstanceProfile({ Name: 'web-profile' })).toEqual({
      arn: roleArn,
      tags: { team: 'web' },
    });
    expect(iam.roleOfInstanceProfile({ Name: 'absent' })).toBeUndefined();
  });

  it('refuses a duplicate role or profile, and a profile for a role that does not exist', () => {
    const iam = new SimulatedIam('123456789012');
    iam.createRole('r');
    expect(() => iam.createRole('r')).toThrow(/role r exists/);
    expect(() => iam.createInstanceProfile('p', 'missing')).toThrow(/no role missing/);
    iam.createInstanceProfile('p', 'r');
    expect(() => iam.createInstanceProfile('p', 'r')).toThrow(/instance profile p exists/);
  });
});

describe("a simulated group's launch template", () => {
  const spec = {
    minSize: 1,
    maxSize: 10,
    desiredCapacity: 2,
    instanceType: 'm7g.large',
    tags: { 'prescale:enabled': 'true' },
    launchDelaySeconds: 60,
    launchJitterSeconds: 0,
    warmupSeconds: 60,
    warmPoolLaunchSeconds: 30,
  };

  it('tags what it launches and gives instances the spec role, in versions made from it too', async () => {
    const world = new SimulatedWorld({ startMs: Date.UTC(2026, 0, 5), seed: 1 });
    world.createGroup({ ...spec, name: 'web', instanceRole: { name: 'web-instance-role', tags: spec.tags } });
    world.createGroup({ ...spec, name: 'api', instanceRole: { name: 'web-instance-role' } });
    const id = launchTemplateIdOf({ spec: { name: 'web' } as never });
    world.services.ec2.answer('CreateLaunchTemplateVersionCommand', {
      LaunchTemplateId: id,
      SourceVersion: '1',
      LaunchTemplateData: { InstanceType: 'c6g.large' },
    });
    overrideAwsTransport({ answer: world.answer });
    const { ec2 } = createAwsClients({ region: 'us-east-1' });
    const out = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id }));
    expect(out.LaunchTemplateVersions).toHaveLength(2);
    for (const version of out.LaunchTemplateVersions ?? [])
      expect(version.LaunchTemplateData).toMatchObject({
        IamInstanceProfile: { Arn: 'arn:aws:iam::123456789012:instance-profile/web-instance-profile' },
        TagSpecifications: [
          { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] },
          { ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'web' }] },
        ],
      });
    // Two groups on one role share it (created once, with the first group's tags).
    const apiProfile = world.services.ec2.launchTemplateData({
      LaunchTemplateName: 'api-lt',
    })?.IamInstanceProfile;
    expect(world.services.iam.roleOfInstanceProfile(apiProfile ?? {})).toEqual({
      arn: 'arn:aws:iam::123456789012:role/web-instance-role',
      tags: spec.tags,
    });
  });

  it('has no instance profile when the spec names no role', () => {
    const world = new SimulatedWorld({ startMs: Date.UTC(2026, 0, 5), seed: 1 });
    world.createGroup({ ...spec, name: 'batch' });
    const data = world.services.ec2.launchTemplateData({ LaunchTemplateName: 'batch-lt' }, '$Latest');
    expect(data?.IamInstanceProfile).toBeUndefined();
    expect(world.services.ec2.launchTemplateData({ LaunchTemplateName: 'batch-lt' }, '9')).toBeUndefined();
  });
});
