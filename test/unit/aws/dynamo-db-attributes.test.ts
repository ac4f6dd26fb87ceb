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

  it('writes a number nearer zero than DynamoDB stores (1E-130) as 0, at any depth', () => {
    expect(
      toAttributeMap({
        a: 1e-131,
        b: -5e-324,
        c: 1e-130,
        d: { e: [2e-200, 0.5] },
        bytes: new Uint8Array([0]),
      }),
    ).toEqual({
      a: { N: '0' },
      b: { N: '0' },
      c: { N: '1e-130' },
      d: { M: { e: { L: [{ N: '0' }, { N: '0.5' }] } } },
      bytes: { B: new Uint8Array([0]) },
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
        // Magnitudes below 1E-130 are written as 0 (tested above), so they do not read back.
        .filter((n) => !Object.is(n, -0) && (n === 0 || Math.abs(n) >= 1e-130)),
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
