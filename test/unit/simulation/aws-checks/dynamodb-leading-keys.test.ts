import {
  type ResourceFacts,
  requiredPermissions,
  UNKNOWN_PARTITION_KEY,
} from '../../../../shared/simulation/aws-checks/request-permissions';

const facts: ResourceFacts = {
  account: '123456789012',
  region: 'us-east-1',
  partition: 'aws',
  group: () => undefined,
  launchTemplateTags: () => ({}),
  templateLaunch: () => ({ taggedResourceTypes: [] }),
  queueArn: (url) => url,
};
const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/State';
const leading = (operation: string, input: Record<string, unknown>) =>
  requiredPermissions('dynamodb', operation, { TableName: 'State', ...input }, facts).map((p) => ({
    resourceArn: p.resourceArn,
    keys: p.context?.['dynamodb:LeadingKeys'],
  }));

describe('requiredPermissions for DynamoDB items (dynamodb:LeadingKeys)', () => {
  it.each([
    ['GetItem', { Key: { pk: { S: 'PLAN#p1' }, sk: { S: 'RECORD' } } }, ['PLAN#p1']],
    ['UpdateItem', { Key: { pk: 'CAMPAIGN#c1', sk: 'PREWARM#web' } }, ['CAMPAIGN#c1']],
    ['PutItem', { Item: { pk: { S: 'GROUP#web' }, sk: { S: 'LOCK' } } }, ['GROUP#web']],
    [
      'Query',
      {
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :a AND :b',
        ExpressionAttributeValues: { ':pk': { S: 'GROUP#web' } },
      },
      ['GROUP#web'],
    ],
    [
      'Query',
      {
        KeyConditionExpression: '#k = :v',
        ExpressionAttributeNames: { '#k': 'pk' },
        ExpressionAttributeValues: { ':v': 'GROUP#api' },
      },
      ['GROUP#api'],
    ],
  ])('gives %s the partition key it names', (operation, input, keys) => {
    expect(leading(operation, input)).toEqual([{ resourceArn: TABLE, keys }]);
  });

  it('gives each table of a batch the partition keys named in it', () => {
    expect(
      leading('BatchGetItem', {
        RequestItems: {
          State: {
            Keys: [{ pk: { S: 'CAMPAIGN#a' } }, { pk: { S: 'CAMPAIGN#b' } }, { pk: { S: 'CAMPAIGN#a' } }],
          },
        },
      }),
    ).toEqual([{ resourceArn: TABLE, keys: ['CAMPAIGN#a', 'CAMPAIGN#b'] }]);
    expect(
      leading('BatchWriteItem', {
        RequestItems: {
          State: [
            { PutRequest: { Item: { pk: { S: 'GROUP#web' } } } },
            { DeleteRequest: { Key: { pk: { S: 'RUN#x' } } } },
          ],
        },
      }),
    ).toEqual([{ resourceArn: TABLE, keys: ['GROUP#web', 'RUN#x'] }]);
  });

  // ForAllValues is true of a request with no value: an absent key would pass every prefix.
  it('gives an item request that does not name its key a key no prefix admits', () => {
    expect(leading('GetItem', {})).toEqual([{ resourceArn: TABLE, keys: [UNKNOWN_PARTITION_KEY] }]);
    expect(leading('Query', {})).toEqual([{ resourceArn: TABLE, keys: [UNKNOWN_PARTITION_KEY] }]);
  });

  it('gives a Scan no leading keys, as DynamoDB does', () => {
    expect(leading('Scan', {})).toEqual([{ resourceArn: TABLE, keys: undefined }]);
  });
});
