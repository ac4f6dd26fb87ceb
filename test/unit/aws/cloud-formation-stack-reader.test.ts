import {
  CloudFormationClient,
  DescribeStacksCommand,
  ListStackResourcesCommand,
} from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CloudFormationStackReader } from '../../../shared/aws/cloud-formation-stack-reader';
import { RejectedRequestError } from '../../../shared/ports/errors';

const STACK_ID =
  'arn:aws:cloudformation:eu-west-1:123456789012:stack/prescale/5b918d10-cd98-11ea-90d5-0a9cd3354c10';
const cfn = mockClient(CloudFormationClient);
const reader = () => new CloudFormationStackReader(new CloudFormationClient({ region: 'eu-west-1' }));
const summary = (id: string, type: string, status: string) => ({
  LogicalResourceId: id,
  PhysicalResourceId: `${id}-physical`,
  ResourceType: type,
  LastUpdatedTimestamp: new Date(),
  ResourceStatus: status as 'CREATE_COMPLETE',
});

beforeEach(() => cfn.reset());

describe('CloudFormationStackReader', () => {
  it("reads the stack's status by its id and every page of its resources", async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackId: STACK_ID,
          StackName: 'prescale',
          CreationTime: new Date(),
          StackStatus: 'DELETE_IN_PROGRESS',
        },
      ],
    });
    cfn
      .on(ListStackResourcesCommand)
      .resolves({
        StackResourceSummaries: [summary('Table', 'AWS::DynamoDB::Table', 'DELETE_COMPLETE')],
        NextToken: 't2',
      })
      .on(ListStackResourcesCommand, { StackName: STACK_ID, NextToken: 't2' })
      .resolves({
        StackResourceSummaries: [
          summary('Cleanup', 'Custom::PrescaleLookAheadCleanup', 'DELETE_IN_PROGRESS'),
        ],
      });
    await expect(reader().read(STACK_ID)).resolves.toEqual({
      status: 'DELETE_IN_PROGRESS',
      resources: [
        {
          logicalResourceId: 'Table',
          resourceType: 'AWS::DynamoDB::Table',
          resourceStatus: 'DELETE_COMPLETE',
        },
        {
          logicalResourceId: 'Cleanup',
          resourceType: 'Custom::PrescaleLookAheadCleanup',
          resourceStatus: 'DELETE_IN_PROGRESS',
        },
      ],
    });
    expect(cfn).toHaveReceivedCommandWith(DescribeStacksCommand, { StackName: STACK_ID });
    expect(cfn).toHaveReceivedCommandTimes(ListStackResourcesCommand, 2);
  });

  it('translates a refusal into RejectedRequestError naming the operation', async () => {
    cfn.on(DescribeStacksCommand).rejects(
      Object.assign(new Error('not authorized to perform: cloudformation:DescribeStacks'), {
        name: 'AccessDenied',
        $metadata: { httpStatusCode: 403, attempts: 1 },
      }),
    );
    const read = reader().read(STACK_ID);
    await expect(read).rejects.toBeInstanceOf(RejectedRequestError);
    await expect(read).rejects.toThrow(/DescribeStacks/);
  });

  it('translates throttling of the resource listing into TransientDependencyError', async () => {
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'prescale',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS',
        },
      ],
    });
    cfn.on(ListStackResourcesCommand).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'Throttling',
        $metadata: { httpStatusCode: 400, attempts: 3 },
      }),
    );
    await expect(reader().read(STACK_ID)).rejects.toMatchObject({
      name: 'TransientDependencyError',
      operation: 'ListStackResources',
    });
  });
});
