import type { CfnTemplate } from '../../../shared/simulation/aws-checks/resolve-intrinsics';
import { parseSecurityDocument, undocumentedGrants } from '../../infra/deploy-matrix/documented-permissions';

const DOCUMENT = `# Security

## Roles

| role | may | on |
| --- | --- | --- |
| scaling loop: dispatcher (lists groups) | \`autoscaling:DescribeAutoScalingGroups\`, \`DescribePolicies\`; *send to a queue* | \`*\` |
| | \`dynamodb:GetItem\` | the state table |
| scaling loop: worker | \`ec2:Describe*\` | \`*\` |

- *send to a queue*: \`sqs:SendMessage\`, \`GetQueueUrl\`.
- *every function*: \`logs:CreateLogStream\`, \`PutLogEvents\`.

## Next section

| other | \`s3:GetObject\` | x |
`;

function template(id: string, actions: string[], service = 'lambda.amazonaws.com'): CfnTemplate {
  return {
    Resources: {
      Role: {
        Type: 'AWS::IAM::Role',
        Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: service } }] } },
      },
      [id]: {
        Type: 'AWS::IAM::Policy',
        Properties: {
          PolicyDocument: { Statement: [{ Action: actions.slice(0, 1) }, { Action: actions.slice(1) }] },
          Roles: [{ Ref: 'Role' }],
        },
      },
    },
  };
}

describe('parseSecurityDocument', () => {
  const document = parseSecurityDocument(DOCUMENT);

  it("reads each role's actions, bare names taking the service named before them, and its continuation rows", () => {
    expect([...(document.roles.get('scaling loop: dispatcher') ?? [])].sort()).toEqual([
      'autoscaling:DescribeAutoScalingGroups',
      'autoscaling:DescribePolicies',
      'dynamodb:GetItem',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
  });

  it('reads only the Roles section', () => {
    expect([...document.roles.keys()]).toEqual(['scaling loop: dispatcher', 'scaling loop: worker']);
  });

  it('refuses a row naming a term the list does not define', () => {
    expect(() => parseSecurityDocument(DOCUMENT.replace('*send to a queue*:', '*send to queues*:'))).toThrow(
      'names the term *send to a queue*, which the list does not define',
    );
  });
});

describe('undocumentedGrants', () => {
  const document = parseSecurityDocument(DOCUMENT);
  const dispatcher = 'PrescaleScalingLoopDispatcherRoleDefaultPolicy12345678';

  it("passes a role granted only its row's actions, its terms' and its service's", () => {
    const granted = ['autoscaling:DescribeAutoScalingGroups', 'sqs:SendMessage', 'logs:PutLogEvents'];
    expect(undocumentedGrants(template(dispatcher, granted), document)).toEqual([]);
  });

  it('names each action the row does not list, in every statement', () => {
    const granted = ['autoscaling:UpdateAutoScalingGroup', 'dynamodb:GetItem', 'dynamodb:PutItem'];
    expect(undocumentedGrants(template(dispatcher, granted), document)).toEqual([
      `scaling loop: dispatcher: autoscaling:UpdateAutoScalingGroup (${dispatcher})`,
      `scaling loop: dispatcher: dynamodb:PutItem (${dispatcher})`,
    ]);
  });

  it('gives a role the function extras only when Lambda is the service it trusts', () => {
    expect(
      undocumentedGrants(template(dispatcher, ['logs:PutLogEvents'], 'states.amazonaws.com'), document),
    ).toEqual([`scaling loop: dispatcher: logs:PutLogEvents (${dispatcher})`]);
  });

  it('matches a documented wildcard by prefix', () => {
    const worker = 'ScalerScalingLoopWorkerRoleDefaultPolicyABCDEF12';
    expect(undocumentedGrants(template(worker, ['ec2:DescribeImages']), document)).toEqual([]);
    expect(undocumentedGrants(template(worker, ['ec2:RunInstances']), document)).toHaveLength(1);
  });

  it('names a role no row describes', () => {
    expect(
      undocumentedGrants(template('PrescaleNewThingRoleDefaultPolicy12345678', ['s3:GetObject']), document),
    ).toEqual(['PrescaleNewThingRoleDefaultPolicy12345678: no row of docs/SECURITY.md describes this role']);
    expect(
      undocumentedGrants(template('PrescaleCampaignsReceiverRoleDefaultPolicy12345678', []), document),
    ).toEqual([
      'PrescaleCampaignsReceiverRoleDefaultPolicy12345678: no row of docs/SECURITY.md describes this role (expected "campaign receiver")',
    ]);
  });
});
