import fc from 'fast-check';
import { fromAttributeMap, toAttributeMap } from '../../../shared/aws/dynamo-db-attributes';

describe('toAttributeMap', () => {
  it('writes DynamoDB attribute values and drops undefined members at any depth', () => {
    const bytes = new Uint8Array([1, 2, 255]);
    expect(
      toAttributeMap({
        pk: 'GROUP#web',
        count: 3,
        ratio: 0.25,
        done: false,
        gone: undefined,
        stepsF64: bytes,
        state: { quantile: 0.9, skipped: undefined, steps: [1, 'a', null] },
      }),
    ).toEqual({
      pk: { S: 'GROUP#web' },
      count: { N: '3' },
      ratio: { N: '0.25' },
      done: { BOOL: false },
      stepsF64: { B: bytes },
      state: { M: { quantile: { N: '0.9' }, steps: { L: [{ N: '1' }, { S: 'a' }, { NULL: true }] } } },
    });
  });

  it('refuses a number DynamoDB cannot hold exactly', () => {
    expect(() => toAttributeMap({ n: 2 ** 60 })).toThrow(/MAX_SAFE_INTEGER/);
  });
});

describe('fromAttributeMap', () => {
  it('reads back what toAttributeMap wrote (property)', () => {
    // util-dynamodb refuses an object whose own `constructor` is not Object's, and unmarshalls into
    // plain objects where `__proto__` is no own key: names shadowing Object.prototype are out of
    // its domain (and never an attribute name of ours).
    const key = fc.string({ minLength: 1 }).filter((name) => !(name in Object.prototype));
    const plain = fc.oneof(
      fc.string(),
      fc.boolean(),
      fc
        .double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 })
        .filter((n) => !Object.is(n, -0)),
      fc.uint8Array({ minLength: 1 }),
    );
    const value = fc.letrec((tie) => ({
      leaf: plain,
      list: fc.array(tie('node'), { maxLength: 3 }),
      map: fc.dictionary(key, tie('node'), { maxKeys: 3 }),
      node: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('list'), tie('map')),
    }));
    fc.assert(
      fc.property(fc.dictionary(key, value.node), (item) => {
        expect(fromAttributeMap(toAttributeMap(item))).toEqual(item);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses an attribute named constructor, as the document client did', () => {
    expect(() => toAttributeMap({ constructor: true })).toThrow(/Unsupported type/);
  });
});
