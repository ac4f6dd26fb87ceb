import {
  type AwsRequestChecks,
  installAwsRequestChecks,
} from '../../../../shared/simulation/aws-checks/aws-request-checks';
import { checkedDynamoDbRequests } from '../../../../shared/simulation/run/checked-dynamo-db-requests';
import type { ServeDynamoDbOperation } from '../../../../shared/simulation/run/in-process-dynalite';

describe('checkedDynamoDbRequests', () => {
  const served: string[] = [];
  const serve: ServeDynamoDbOperation = async (operation) => {
    served.push(operation);
    return { statusCode: 200, body: {} };
  };
  const checked = checkedDynamoDbRequests(serve, () => undefined);
  const item = { TableName: 't', Item: { pk: { S: 'a' } } };

  afterEach(() => {
    installAwsRequestChecks(undefined);
    served.length = 0;
  });

  it('serves every operation while no checks are installed', async () => {
    await expect(checked('PutItem', item)).resolves.toEqual({ statusCode: 200, body: {} });
    expect(served).toEqual(['PutItem']);
  });

  it('answers a refused request as DynamoDB does and never serves it', async () => {
    const seen: unknown[] = [];
    installAwsRequestChecks({
      check: async (_world: unknown, service: string, command: string, input: unknown) => {
        seen.push([service, command, input]);
        throw Object.assign(new Error('not authorized to perform dynamodb:PutItem'), {
          name: 'AccessDeniedException',
        });
      },
    } as unknown as AwsRequestChecks);
    await expect(checked('PutItem', item)).resolves.toEqual({
      statusCode: 400,
      body: {
        __type: 'com.amazonaws.dynamodb.v20120810#AccessDeniedException',
        message: 'not authorized to perform dynamodb:PutItem',
      },
    });
    expect(seen).toEqual([['dynamodb', 'PutItemCommand', item]]);
    expect(served).toEqual([]);
  });
});
