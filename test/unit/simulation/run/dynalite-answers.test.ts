import fc from 'fast-check';
import { overrideAwsTransport } from '../../../../shared/aws/aws-clients';
import { dynamoDbClient } from '../../../../shared/aws/dynamo-db-client';
import { DynamoDbStateStore } from '../../../../shared/aws/dynamo-db-state-store';
import type { RunRecord } from '../../../../shared/ports/state-store';
import { dynaliteAnswers } from '../../../../shared/simulation/run/dynalite-answers';
import { startInProcessDynalite } from '../../../../shared/simulation/run/in-process-dynalite';
import { createStateTable } from '../../../helpers/start-dynalite';

const TABLE = 'dynalite-answers-test';

describe('dynaliteAnswers', () => {
  const dynalite = startInProcessDynalite();
  const answer = dynaliteAnswers(dynalite.serve);
  const admin = dynalite.client();

  beforeAll(() => createStateTable(admin, TABLE));
  afterAll(() => admin.destroy());

  it('round-trips binary attributes as bytes and keeps a map member named B a map', async () => {
    await answer('PutItemCommand', {
      TableName: TABLE,
      Item: {
        pk: { S: 'bytes' },
        sk: { S: '1' },
        packed: { B: new Uint8Array([0, 1, 254, 255]) },
        set: { BS: [new Uint8Array([7]), new Uint8Array([8, 9])] },
        nested: { M: { B: { S: 'not bytes' } } },
      },
    });
    const out = (await answer('GetItemCommand', {
      TableName: TABLE,
      Key: { pk: { S: 'bytes' }, sk: { S: '1' } },
      ConsistentRead: true,
    })) as { Item: Record<string, { B?: unknown; BS?: unknown; M?: unknown }> };
    expect(out.Item.packed?.B).toEqual(new Uint8Array([0, 1, 254, 255]));
    expect(out.Item.packed?.B).toBeInstanceOf(Uint8Array);
    expect(out.Item.set?.BS).toEqual([new Uint8Array([7]), new Uint8Array([8, 9])]);
    expect(out.Item.nested?.M).toEqual({ B: { S: 'not bytes' } });
  });

  it('sends the body JSON would make of the input, with bytes as base64', async () => {
    const bytes = fc.uint8Array({ maxLength: 8 });
    const member = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(null, undefined, true, -0, Number.NaN, Number.POSITIVE_INFINITY, () => 1),
        fc.string(),
        fc.double(),
        bytes,
        fc.date({ noInvalidDate: true }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.constantFrom('S', 'N', 'B', 'M', 'L', '__proto__', 'x'), tie('value'), {
          maxKeys: 4,
        }),
      ),
    })).value;
    const viaJson = (input: unknown) =>
      JSON.parse(
        JSON.stringify(input, (_key, value) =>
          value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value,
        ),
      );
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.string(), member, { maxKeys: 5 }), async (input) => {
        let sent: unknown;
        const capture = dynaliteAnswers(async (_operation, body) => {
          sent = body;
          return { statusCode: 200, body: {} };
        });
        await capture('PutItemCommand', input);
        expect(sent).toEqual(viaJson(input));
        expect(JSON.stringify(sent)).toBe(JSON.stringify(viaJson(input)));
      }),
    );
  });

  it('throws a refused request under its DynamoDB name with the HTTP status', async () => {
    const put = {
      TableName: TABLE,
      Item: { pk: { S: 'claim' }, sk: { S: '1' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    };
    await answer('PutItemCommand', put);
    await expect(answer('PutItemCommand', put)).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
      $fault: 'client',
      $metadata: { httpStatusCode: 400 },
    });
    await expect(
      answer('GetItemCommand', { TableName: TABLE, Key: { pk: { S: 'x' } } }),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it("serves the product's DynamoDB client: a run record written and read back whole", async () => {
    overrideAwsTransport({
      answer: (service, commandName, input) => {
        if (service !== 'dynamodb') throw new Error(`unexpected ${service} ${commandName}`);
        return answer(commandName, input);
      },
    });
    try {
      const store = new DynamoDbStateStore(dynamoDbClient(), TABLE);
      const record = {
        groupName: 'web',
        tickMs: 1_700_000_000_000,
        forecastStartMs: 1_700_000_000_000,
        stepSeconds: 300,
        plannedLoad: [1.5, 2.25, 0.1 + 0.2],
        medianLoad: [1, 2, 3],
        plannedCapacity: [2, 3, 4],
      } as unknown as RunRecord;
      await store.recordRun(
        'web',
        { planningQuantile: 0.6, updatedAtMs: record.tickMs },
        record,
        record.tickMs + 86_400_000,
      );
      const [read] = await store.recentRunRecords('web', record.tickMs - 1);
      expect(read?.plannedLoad).toEqual(record.plannedLoad);
      expect(read?.plannedCapacity).toEqual(record.plannedCapacity);
    } finally {
      overrideAwsTransport(undefined);
    }
  });
});
