import {
  type ResourceFacts,
  requiredPermissions,
} from '../../../../shared/simulation/aws-checks/request-permissions';

const ARN = 'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:0f1e:autoScalingGroupName/web';
const facts: ResourceFacts = {
  account: '123456789012',
  region: 'us-east-1',
  partition: 'aws',
  group: (name) => (name === 'web' ? { arn: ARN, tags: { 'prescale:enabled': 'true' } } : undefined),
  launchTemplateTags: () => ({}),
  templateLaunch: () => ({ taggedResourceTypes: [] }),
  queueArn: (url) => url,
};
const ownerTag = { ResourceId: 'web', ResourceType: 'auto-scaling-group', Key: 'prescale:deployment' };

describe('requiredPermissions for tagging a group', () => {
  it('authorizes CreateOrUpdateTags on the group named in the tag, with the keys and values it writes', () => {
    expect(
      requiredPermissions(
        'autoscaling',
        'CreateOrUpdateTags',
        { Tags: [{ ...ownerTag, Value: 'Prescale' }] },
        facts,
      ),
    ).toEqual([
      {
        action: 'autoscaling:CreateOrUpdateTags',
        resourceArn: ARN,
        context: {
          'aws:ResourceTag/prescale:enabled': 'true',
          'autoscaling:ResourceTag/prescale:enabled': 'true',
          'aws:RequestTag/prescale:deployment': 'Prescale',
          'aws:TagKeys': ['prescale:deployment'],
        },
      },
    ]);
  });

  it('authorizes DeleteTags with the keys it deletes and no request values', () => {
    const [permission] = requiredPermissions('autoscaling', 'DeleteTags', { Tags: [ownerTag] }, facts);
    expect(permission?.context).toEqual({
      'aws:ResourceTag/prescale:enabled': 'true',
      'autoscaling:ResourceTag/prescale:enabled': 'true',
      'aws:TagKeys': ['prescale:deployment'],
    });
  });

  it('asks once per group a call tags', () => {
    const permissions = requiredPermissions(
      'autoscaling',
      'DeleteTags',
      { Tags: [ownerTag, { ...ownerTag, Key: 'team' }, { ...ownerTag, ResourceId: 'api' }] },
      facts,
    );
    expect(permissions.map((p) => [p.resourceArn, p.context?.['aws:TagKeys']])).toEqual([
      [ARN, ['prescale:deployment', 'team']],
      [
        'arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/api',
        ['prescale:deployment'],
      ],
    ]);
  });
});
