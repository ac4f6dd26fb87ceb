import { AwsRequestChecks, runAsHandler } from '../../../../shared/simulation/aws-checks/aws-request-checks';
import { DeployedAccount } from '../../../../shared/simulation/aws-checks/deployed-account';
import { deployedStackId } from '../../../../shared/simulation/aws-checks/resolve-intrinsics';
import { checksWorld } from '../../../helpers/checks-world';
import { workerTemplate } from '../../../helpers/worker-template';

const config = { groups: { names: ['web'] } };
const REMOVER = 'functions/remove-look-ahead/handler.ts';
const readOwnStack = {
  Effect: 'Allow',
  Action: ['cloudformation:DescribeStacks', 'cloudformation:ListStackResources'],
  Resource: { Ref: 'AWS::StackId' },
};

describe('CloudFormation stack reads in the simulated account', () => {
  const target = { region: 'eu-west-1' };
  const stackId = deployedStackId({ account: '123456789012', partition: 'aws', ...target });

  it('lets the remover read its own stack with the grant on AWS::StackId, and answers it from the world', async () => {
    const checks = new AwsRequestChecks(
      new DeployedAccount(workerTemplate(REMOVER, [readOwnStack]), target),
      config,
    );
    const world = checksWorld([]);
    world.services.cloudFormation.putStack({
      stackId,
      stackName: 'Prescale',
      status: 'DELETE_IN_PROGRESS',
      resources: Array.from({ length: 25 }, (_, i) => ({
        logicalResourceId: `R${i}`,
        resourceType: 'AWS::SQS::Queue',
        resourceStatus: 'DELETE_COMPLETE',
      })),
    });
    for (const command of ['DescribeStacksCommand', 'ListStackResourcesCommand'])
      await expect(
        runAsHandler('remove-look-ahead', () =>
          checks.check(world, 'cloudformation', command, { StackName: stackId }),
        ),
      ).resolves.toBeUndefined();
    expect(
      world.services.cloudFormation.answer('DescribeStacksCommand', { StackName: stackId }),
    ).toMatchObject({
      Stacks: [{ StackId: stackId, StackStatus: 'DELETE_IN_PROGRESS' }],
    });
    // Paged: a reader of the first page only misses resources.
    const first = world.services.cloudFormation.answer('ListStackResourcesCommand', {
      StackName: stackId,
    }) as {
      StackResourceSummaries: unknown[];
      NextToken?: string;
    };
    expect(first.NextToken).toBeDefined();
    const second = world.services.cloudFormation.answer('ListStackResourcesCommand', {
      StackName: stackId,
      NextToken: first.NextToken,
    }) as { StackResourceSummaries: unknown[]; NextToken?: string };
    expect(first.StackResourceSummaries.length + second.StackResourceSummaries.length).toBe(25);
    expect(second.NextToken).toBeUndefined();
  });

  it('answers AccessDenied, as CloudFormation does, to a role without the grant, and counts it as a needed call denied', async () => {
    const checks = new AwsRequestChecks(new DeployedAccount(workerTemplate(REMOVER, []), target), config);
    const denied = runAsHandler('remove-look-ahead', () =>
      checks.check(checksWorld([]), 'cloudformation', 'DescribeStacksCommand', { StackName: stackId }),
    );
    await expect(denied).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(checks.neededDenies().map((d) => d.action)).toEqual(['cloudformation:DescribeStacks']);
  });

  it("refuses another stack's read: the grant is this stack's only", async () => {
    const checks = new AwsRequestChecks(
      new DeployedAccount(workerTemplate(REMOVER, [readOwnStack]), target),
      config,
    );
    const other = stackId.replace('stack/Prescale/', 'stack/Other/');
    await expect(
      runAsHandler('remove-look-ahead', () =>
        checks.check(checksWorld([]), 'cloudformation', 'DescribeStacksCommand', { StackName: other }),
      ),
    ).rejects.toMatchObject({ name: 'AccessDenied' });
  });

  it('refuses an unknown stack as CloudFormation does', () => {
    expect(() =>
      checksWorld([]).services.cloudFormation.answer('DescribeStacksCommand', { StackName: stackId }),
    ).toThrow(
      expect.objectContaining({
        name: 'ValidationError',
        message: `Stack with id ${stackId} does not exist`,
      }),
    );
  });
});
