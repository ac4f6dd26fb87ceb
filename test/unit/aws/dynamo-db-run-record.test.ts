import { deflateRawSync } from 'node:zlib';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { DynamoDbStateStore } from '../../../shared/aws/dynamo-db-state-store';
import { runRecordAttributes, runRecordFromItem } from '../../../shared/aws/run-record-item';
import { STATE_KEYS as K } from '../../../shared/contracts/state-keys';
import type { RunRecord } from '../../../shared/ports/state-store';
import { type LocalDynamoDb, startDynalite } from '../../helpers/start-dynalite';

const T0 = Date.UTC(2026, 5, 1);
const DYNAMODB_ITEM_LIMIT_BYTES = 400 * 1024;

const record = (
  groupName: string,
  tickMs: number,
  steps: number,
  value: (i: number) => number,
): RunRecord => ({
  groupName,
  tickMs,
  mode: 'forecast-and-scale',
  forecastStartMs: tickMs,
  stepSeconds: 60,
  plannedLoad: Array.from({ length: steps }, (_, i) => value(i) * 1.1),
  medianLoad: Array.from({ length: steps }, (_, i) => value(i)),
  planningQuantile: 0.9,
  plannedCapacity: Array.from({ length: steps }, (_, i) => Math.ceil(value(i) / 50)),
  models: ['holt-winters', 'seasonal-naive'],
  anomalies: { replacedSteps: 2, keptSteps: 1, capReached: false },
  dailyPeaks: [{ startMs: tickMs, peakLoad: 412.25, peakAtMs: tickMs + 3_600_000 }],
  outcome: {
    kind: 'applied',
    before: { minSize: 2, maxSize: 40, desiredCapacity: 2 },
    after: { minSize: 3, maxSize: 40, desiredCapacity: 3 },
    reason: 'forecast peak 412 rps',
  },
});

/**
 * An item's size as DynamoDB counts it toward 400 KB (attribute names plus values: strings as UTF-8,
 * numbers about one byte per two significant digits plus one, binary raw, 3 bytes per map or list
 * plus 1 per element).
 */
const valueSizeBytes = (value: unknown): number => {
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (typeof value === 'number')
    return Math.ceil(String(Math.abs(value)).replace(/[.e+-]/g, '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return 3 + value.reduce((n: number, v) => n + 1 + valueSizeBytes(v), 0);
  return 3 + itemSizeBytes(value as Record<string, unknown>) + Object.keys(value as object).length;
};
const itemSizeBytes = (item: Record<string, unknown>): number =>
  Object.entries(item).reduce((n, [name, v]) => n + Buffer.byteLength(name) + valueSizeBytes(v), 0);

let dynamo: LocalDynamoDb;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.stop();
});

describe('DynamoDbStateStore run records', () => {
  it('round-trips every double exactly through the packed attribute', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: false }), { maxLength: 50 }),
        fc.array(fc.double(), { maxLength: 50 }),
        (load, capacity) => {
          const original = {
            ...record('g', T0, 0, () => 0),
            plannedLoad: load,
            medianLoad: [...load].reverse(),
            plannedCapacity: capacity,
          };
          const back = runRecordFromItem(runRecordAttributes(original));
          expect(back).toEqual(original);
          expect(back.plannedLoad.every((v, i) => Object.is(v, load[i]))).toBe(true);
        },
      ),
    );
  });

  it('stores the scalar fields readably and the per-step lists as one Binary attribute', async () => {
    const store = new DynamoDbStateStore(dynamo.client, dynamo.tableName);
    const written = record('readable', T0, 288, (i) => 100 + Math.sin(i / 10) * 37.123456789);
    await store.putRunRecord(written, T0 + 1e9);
    const out = await dynamo.client.send(
      new GetItemCommand({
        TableName: dynamo.tableName,
        Key: marshall({ pk: K.groupPk('readable'), sk: K.runSk(T0) }),
      }),
    );
    const item = unmarshall(out.Item ?? {});
    expect(item.record).toEqual({
      groupName: 'readable',
      tickMs: T0,
      mode: 'forecast-and-scale',
      forecastStartMs: T0,
      stepSeconds: 60,
      planningQuantile: 0.9,
      models: written.models,
      anomalies: written.anomalies,
      dailyPeaks: written.dailyPeaks,
      outcome: written.outcome,
    });
    expect(out.Item?.stepsF64?.B).toBeInstanceOf(Uint8Array);
    expect(await store.recentRunRecords('readable', T0)).toEqual([written]);
  });

  it('reads records written before packing, beside packed ones, oldest first', async () => {
    const store = new DynamoDbStateStore(dynamo.client, dynamo.tableName);
    const old = record('mixed', T0, 288, (i) => i / 3);
    await dynamo.client.send(
      new PutItemCommand({
        TableName: dynamo.tableName,
        Item: marshall(
          { pk: K.groupPk('mixed'), sk: K.runSk(T0), record: old, ttl: 2e9 },
          { removeUndefinedValues: true },
        ),
      }),
    );
    const packed = record('mixed', T0 + 300_000, 288, (i) => i / 7);
    await store.putRunRecord(packed, T0 + 1e9);
    expect(await store.recentRunRecords('mixed', T0)).toEqual([old, packed]);
  });

  it('stays well under the 400 KB item limit at 1-minute steps over the 48-hour maximum horizon', async () => {
    const steps = (48 * 3600) / 60;
    const store = new DynamoDbStateStore(dynamo.client, dynamo.tableName);
    const big = record('big', T0, steps, (i) => 1000 + Math.cos(i / 60) * 321.987654321);
    const item = runRecordAttributes(big);
    expect(itemSizeBytes(item)).toBeLessThan(DYNAMODB_ITEM_LIMIT_BYTES / 4);
    expect(itemSizeBytes(item)).toBeLessThan(0.7 * itemSizeBytes({ record: big }));
    const noise = record('big', T0, steps, (i) => (Math.sin(i * 12.9898) * 43758.5453) % 1);
    expect(itemSizeBytes(runRecordAttributes(noise))).toBeLessThan(DYNAMODB_ITEM_LIMIT_BYTES / 4);
    await store.putRunRecord(big, T0 + 1e9);
    expect(await store.recentRunRecords('big', T0)).toEqual([big]);
  });

  it('rejects a packed attribute of an unknown format with a specific error', () => {
    const item = { ...runRecordAttributes(record('g', T0, 3, (i) => i)), stepsF64: new Uint8Array([9]) };
    expect(() => runRecordFromItem(item)).toThrow('run record stepsF64: unknown format 9 (expected 1)');
  });

  it('rejects a truncated packed attribute naming the list that runs out', () => {
    const body = Buffer.alloc(4 + 8 * 2 + 4 + 8 * 2 + 4 + 8 * 2);
    body.writeUInt32LE(2, 0);
    body.writeUInt32LE(2, 20);
    body.writeUInt32LE(3, 40);
    const stepsF64 = new Uint8Array(Buffer.concat([Buffer.of(1), deflateRawSync(body)]));
    expect(() => runRecordFromItem({ record: {}, stepsF64 })).toThrow(
      'run record stepsF64: plannedCapacity needs 3 values, bytes run out',
    );
  });

  it('rejects a packed attribute that is not deflate data', () => {
    const stepsF64 = new Uint8Array([1, 0xff, 0xff, 0xff]);
    expect(() => runRecordFromItem({ record: {}, stepsF64 })).toThrow(
      'run record stepsF64: not valid deflate data',
    );
  });
});
