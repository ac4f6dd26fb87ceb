import fc from 'fast-check';
import { compileTypeChecks } from '../../../../shared/simulation/run/dynalite-type-checks';

type CheckTypes = (data: object, types: object) => Record<string, unknown>;
const { checkTypes } = require('dynalite/validations') as { checkTypes: CheckTypes };

const OPERATIONS = [
  'batchGetItem',
  'batchWriteItem',
  'createTable',
  'deleteItem',
  'deleteTable',
  'describeTable',
  'getItem',
  'listTables',
  'putItem',
  'query',
  'scan',
  'updateItem',
  'updateTable',
];
const tableOf = (operation: string) =>
  (require(`dynalite/validations/${operation}`) as { types: Record<string, unknown> }).types;

/** What a check gives: the result, or the error's message, status and body; and the request after it. */
function outcome(check: (data: Record<string, unknown>) => unknown, request: unknown) {
  const data = structuredClone(request) as Record<string, unknown>;
  try {
    return { result: check(data), data };
  } catch (error) {
    const { message, statusCode, body } = error as Error & { statusCode?: number; body?: unknown };
    return { error: { message, statusCode, body }, data };
  }
}

/**
 * Equal values, objects with their keys in the same order (a request's members are ordered) and
 * equal prototypes: a member named `__proto__` sets the prototype of the object it is assigned to.
 */
function sameShape(a: unknown, b: unknown): boolean {
  if (a === null || typeof a !== 'object' || b === null || typeof b !== 'object') return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.join('\u0000') !== keysB.join('\u0000')) return false;
  if (!keysA.every((k) => sameShape((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])))
    return false;
  const protoA = Object.getPrototypeOf(a) as unknown;
  const protoB = Object.getPrototypeOf(b) as unknown;
  const standard = (proto: unknown) =>
    proto === Object.prototype || proto === Array.prototype || proto === null;
  if (standard(protoA) || standard(protoB)) return protoA === protoB;
  return sameShape(protoA, protoB);
}

// Member names of dynalite's tables and of attribute values, so generated requests reach deep.
const NAMES = [
  'TableName',
  'Item',
  'Key',
  'Keys',
  'RequestItems',
  'PutRequest',
  'DeleteRequest',
  'ExpressionAttributeValues',
  'ExpressionAttributeNames',
  'ConditionExpression',
  'KeyConditionExpression',
  'AttributeUpdates',
  'Expected',
  'Value',
  'Exists',
  'AttributeValueList',
  'ComparisonOperator',
  'Limit',
  'ConsistentRead',
  'ScanIndexForward',
  'ExclusiveStartKey',
  'Segment',
  'KeySchema',
  'AttributeName',
  'KeyType',
  'ProvisionedThroughput',
  'ReadCapacityUnits',
  'S',
  'N',
  'B',
  'BOOL',
  'NULL',
  'L',
  'M',
  'SS',
  'NS',
  'BS',
  'pk',
  'sk',
  '__proto__',
  'constructor',
  'other',
];
const scalar = fc.oneof(
  fc.constantFrom('true', 'yes', 'No', '0', 'x', '', 'AAAA', 'AAA=', 'AA==', 'AB==', 'QUJD', 'A', 'TABLE'),
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -5, max: 5 }),
  fc.double({ min: -10, max: 10, noNaN: true }),
  fc.boolean(),
  fc.constant(null),
);
const { value: requestValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...NAMES), tie('value'), { maxKeys: 4 }),
  ),
}));
const request = fc.dictionary(fc.constantFrom(...NAMES), requestValue, { maxKeys: 6 });

describe('compileTypeChecks', () => {
  it("compiles every operation's table of dynalite's", () => {
    for (const operation of OPERATIONS) expect(compileTypeChecks(tableOf(operation))).toBeDefined();
  });

  it("gives dynalite's result or error for any request, and leaves the request as dynalite does (property)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...OPERATIONS), request, (operation, input) => {
        const types = tableOf(operation);
        const compiled = compileTypeChecks(types) as NonNullable<ReturnType<typeof compileTypeChecks>>;
        const expected = outcome((data) => checkTypes(data, types), input);
        const actual = outcome(compiled, input);
        expect(sameShape(actual, expected)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("checks a run record's write as dynalite does, bytes and numbers included", () => {
    const item = {
      pk: { S: 'GROUP#web' },
      sk: { S: 'RUN#001' },
      record: { M: { tickMs: { N: '1704672000000' }, models: { L: [{ S: 'seasonal-median-daily' }] } } },
      stepsF64: { B: Buffer.from('packed steps').toString('base64') },
      done: { BOOL: 'true' },
    };
    const types = tableOf('batchWriteItem');
    const write = { RequestItems: { state: [{ PutRequest: { Item: item } }] }, Limit: 2.5 };
    const compiled = compileTypeChecks(types) as NonNullable<ReturnType<typeof compileTypeChecks>>;
    const actual = outcome(compiled, write);
    expect(
      sameShape(
        actual,
        outcome((data) => checkTypes(data, types), write),
      ),
    ).toBe(true);
    expect(actual.result).toMatchObject({
      RequestItems: { state: [{ PutRequest: { Item: { done: { BOOL: true } } } }] },
    });
    const badBytes = { RequestItems: { state: [{ PutRequest: { Item: { b: { B: 'AB==' } } } }] } };
    expect(outcome(compiled, badBytes).error?.message).toBe(
      'Invalid last non-pad Base64 character dectected',
    );
    expect(
      sameShape(
        outcome(compiled, badBytes),
        outcome((data) => checkTypes(data, types), badBytes),
      ),
    ).toBe(true);
  });

  it('leaves a table of a shape dynalite never uses to dynalite', () => {
    expect(compileTypeChecks({ A: { type: 'Mystery' } })).toBeUndefined();
    expect(compileTypeChecks({ A: { type: 'List' } })).toBeUndefined();
  });
});
