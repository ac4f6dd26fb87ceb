import {
  type CfnTemplate,
  resolveIntrinsics,
  UnsupportedIntrinsicError,
} from '../../../../shared/simulation/aws-checks/resolve-intrinsics';

const template: CfnTemplate = {
  Resources: {
    Table: { Type: 'AWS::DynamoDB::GlobalTable', Properties: {} },
    Queue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'work' } },
    Topic: { Type: 'AWS::SNS::Topic', Properties: {} },
    Role: { Type: 'AWS::IAM::Role', Properties: {} },
    PathRole: { Type: 'AWS::IAM::Role', Properties: { Path: '/app/', RoleName: 'web-instance' } },
    Template: { Type: 'AWS::EC2::LaunchTemplate', Properties: {} },
  },
};
const target = { account: '123456789012', region: 'eu-west-1', partition: 'aws-cn' };
const resolve = (v: unknown) => resolveIntrinsics(template, target, v);

describe('resolveIntrinsics', () => {
  it('resolves pseudo parameters, Ref and Fn::Join to concrete ARNs', () => {
    expect(
      resolve({
        'Fn::Join': [
          '',
          [
            'arn:',
            { Ref: 'AWS::Partition' },
            ':dynamodb:',
            { Ref: 'AWS::Region' },
            ':',
            { Ref: 'AWS::AccountId' },
            ':table/',
            { Ref: 'Table' },
          ],
        ],
      }),
    ).toBe('arn:aws-cn:dynamodb:eu-west-1:123456789012:table/Table');
  });

  it('gives each resource type the Ref and Arn CloudFormation returns, named by its name property', () => {
    expect(resolve({ Ref: 'Queue' })).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/work');
    expect(resolve({ Ref: 'Template' })).toMatch(/^lt-0[0-9a-f]{16}$/);
    expect(resolve({ 'Fn::GetAtt': ['Queue', 'Arn'] })).toBe('arn:aws-cn:sqs:eu-west-1:123456789012:work');
    expect(resolve({ Ref: 'Topic' })).toBe('arn:aws-cn:sns:eu-west-1:123456789012:Topic');
    expect(resolve({ 'Fn::GetAtt': ['Role', 'Arn'] })).toBe('arn:aws-cn:iam::123456789012:role/Role');
  });

  it("puts a role's path in its ARN, not in its name", () => {
    expect(resolve({ 'Fn::GetAtt': ['PathRole', 'Arn'] })).toBe(
      'arn:aws-cn:iam::123456789012:role/app/web-instance',
    );
    expect(resolve({ Ref: 'PathRole' })).toBe('web-instance');
  });

  it('substitutes Fn::Sub variables, attributes and pseudo parameters', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation Fn::Sub template, not a JS one.
    expect(resolve({ 'Fn::Sub': ['${Q}/${AWS::Region}/${Role.Arn}', { Q: { Ref: 'Queue' } }] })).toBe(
      'https://sqs.eu-west-1.amazonaws.com/123456789012/work/eu-west-1/arn:aws-cn:iam::123456789012:role/Role',
    );
  });

  it('names the intrinsic it cannot resolve and a missing resource', () => {
    expect(() => resolve({ 'Fn::ImportValue': 'x' })).toThrow(UnsupportedIntrinsicError);
    expect(() => resolve({ Ref: 'Missing' })).toThrow(/no resource Missing/);
  });
});
