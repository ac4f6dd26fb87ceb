import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { DynamoDbAppliedChangeRecords } from '../../shared/aws/dynamo-db-applied-change-records';
import { toAttributeMap } from '../../shared/aws/dynamo-db-attributes';
import type { AppliedInstanceTypeChange } from '../../shared/core/pricing/reverted-change';
import type { AppliedChangeRecords } from '../../shared/ports/applied-change-records';
import { RejectedRequestError } from '../../shared/ports/errors';
import { MemoryAppliedChangeRecords } from '../fakes/pricing/memory-applied-change-records';
import { type LocalDynamoDb, startDynalite } from '../helpers/start-dynalite';

const T0 = Date.UTC(2026, 10, 22, 6);
const overrides: AppliedInstanceTypeChange = {
  kind: 'overrides',
  appliedAtMs: T0,
  from: { instanceTypes: ['m5.large', 'm5.xlarge'] },
  to: { instanceTypes: ['m6a.large', 'm5.large'] },
};
const rolledOut: AppliedInstanceTypeChange = {
  kind: 'launch-template-version',
  appliedAtMs: T0 + 86_400_000,
  from: { instanceTypes: ['c6gn.large'], launchTemplateVersion: 7 },
  to: { instanceTypes: ['c7g.large'], launchTemplateVersion: 10 },
  launchTemplateId: 'lt-web',
  executionArn: 'arn:aws:states:eu-west-1:1:execution:ru:web-lt-web-v10',
};

let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynalite('prescale-applied-changes');
});
afterAll(async () => {
  await dynamo.stop();
});

describe.each([
  ['MemoryAppliedChangeRecords', () => new MemoryAppliedChangeRecords() as AppliedChangeRecords],
  [
    'DynamoDbAppliedChangeRecords on dynalite',
    () => new DynamoDbAppliedChangeRecords(dynamo.client, dynamo.tableName) as AppliedChangeRecords,
  ],
])('AppliedChangeRecords contract: %s', (_name, make) => {
  let records: AppliedChangeRecords;
  let group: string;
  let n = 0;
  beforeEach(() => {
    records = make();
    group = `group-${n++}`;
  });

  it('returns nothing for a group with no change recorded', async () => {
    await expect(records.lastApplied(group)).resolves.toBeUndefined();
  });

  it('returns each kind of change as it was recorded', async () => {
    await records.recordApplied(group, overrides);
    await expect(records.lastApplied(group)).resolves.toEqual(overrides);
    await records.recordApplied(`${group}-single`, rolledOut);
    await expect(records.lastApplied(`${group}-single`)).resolves.toEqual(rolledOut);
  });

  it('keeps one change per group, the latest recorded winning', async () => {
    await records.recordApplied(group, overrides);
    await records.recordApplied(group, rolledOut);
    await expect(records.lastApplied(group)).resolves.toEqual(rolledOut);
    await expect(records.lastApplied(`${group}-other`)).resolves.toBeUndefined();
  });
});

describe('DynamoDbAppliedChangeRecords', () => {
  it('writes pk GROUP#<name>, sk APPLIED-INSTANCE-TYPES, with no expiry', async () => {
    const records = new DynamoDbAppliedChangeRecords(dynamo.client, dynamo.tableName);
    await records.recordApplied('web', rolledOut);
    const out = await dynamo.client.send(
      new GetItemCommand({
        TableName: dynamo.tableName,
        Key: { pk: { S: 'GROUP#web' }, sk: { S: 'APPLIED-INSTANCE-TYPES' } },
      }),
    );
    const item = unmarshall(out.Item ?? {});
    expect(item).toMatchObject({ kind: 'launch-template-version', executionArn: rolledOut.executionArn });
    expect(item).not.toHaveProperty('expiresAt');
  });

  it('throws on a malformed item rather than read it as no change', async () => {
    await dynamo.client.send(
      new PutItemCommand({
        TableName: dynamo.tableName,
        Item: toAttributeMap({
          pk: 'GROUP#broken',
          sk: 'APPLIED-INSTANCE-TYPES',
          kind: 'overrides',
          appliedAtMs: T0,
          from: { instanceTypes: 'm5.large' },
          to: { instanceTypes: ['m6a.large'] },
        }),
      }),
    );
    const records = new DynamoDbAppliedChangeRecords(dynamo.client, dynamo.tableName);
    await expect(records.lastApplied('broken')).rejects.toBeInstanceOf(RejectedRequestError);
    await expect(records.lastApplied('broken')).rejects.toThrow(
      /applied-change record of broken is malformed/,
    );
  });
});
