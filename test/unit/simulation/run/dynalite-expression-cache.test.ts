import fc from 'fast-check';
import {
  type DynaliteExpressionParser,
  reuseExpressionParses,
} from '../../../../shared/simulation/run/dynalite-expression-cache';

/** dynalite's request validation: an error message, or undefined with the parsed trees on `data`. */
type ValidateExpressions = (data: Record<string, unknown>) => string | undefined;

const PARSERS = ['conditionParser', 'updateParser', 'projectionParser'];

function loadValidation(reuse: boolean): ValidateExpressions {
  let validate: ValidateExpressions | undefined;
  jest.isolateModules(() => {
    if (reuse) {
      for (const parser of PARSERS)
        reuseExpressionParses(require(`dynalite/db/${parser}`) as DynaliteExpressionParser);
    }
    validate = (require('dynalite/validations') as { validateExpressions: ValidateExpressions })
      .validateExpressions;
  });
  return validate as ValidateExpressions;
}

const plain = loadValidation(false);

/** What dynalite derives from a request: the error, or the trees it parsed. */
function outcome(validate: ValidateExpressions, request: Record<string, unknown>) {
  const data = structuredClone(request);
  let error: string | undefined;
  try {
    error = validate(data);
  } catch (thrown) {
    error = `thrown: ${(thrown as Error).message}`;
  }
  const { _condition, _updates, _keyCondition, _filter, _projection } = data;
  return { error, _condition, _updates, _keyCondition, _filter, _projection };
}

const CLAIM = 'attribute_not_exists(pk) OR (done = :false AND leaseUntilMs < :now)';
const claim = (nowMs: number) => ({
  ConditionExpression: CLAIM,
  ExpressionAttributeValues: { ':false': { BOOL: false }, ':now': { N: String(nowMs) } },
});

describe('reuseExpressionParses', () => {
  it('answers a repeated expression with the tree a parse gives, holding the new values', () => {
    const cached = loadValidation(true);
    for (const nowMs of [1, 2, 300_000]) {
      const request = claim(nowMs);
      expect(outcome(cached, request)).toEqual(outcome(plain, request));
    }
    const tree = outcome(cached, claim(42))._condition as { expression: { args: unknown[] } };
    expect(JSON.stringify(tree)).toContain('"N":"42"');
  });

  it('reports an unused value on a hit as a parse does', () => {
    const cached = loadValidation(true);
    outcome(cached, claim(1));
    const extra = {
      ...claim(2),
      ExpressionAttributeValues: { ...claim(2).ExpressionAttributeValues, ':spare': { S: 'x' } },
    };
    expect(outcome(cached, extra).error).toMatch(/unused in expressions: keys: \{:spare\}/);
    expect(outcome(cached, extra)).toEqual(outcome(plain, extra));
  });

  it('counts a value used by two expressions of one request for each of them', () => {
    const cached = loadValidation(true);
    const both = {
      UpdateExpression: 'SET v = :v',
      ConditionExpression: 'v <> :v',
      ExpressionAttributeValues: { ':v': { N: '1' } },
    };
    const updateOnly = {
      UpdateExpression: 'SET w = :w',
      ConditionExpression: 'v <> :v',
      ExpressionAttributeValues: { ':v': { N: '2' }, ':w': { N: '3' } },
    };
    for (const request of [both, updateOnly, both]) {
      expect(outcome(cached, request)).toEqual(outcome(plain, request));
    }
    expect(outcome(cached, updateOnly).error).toBeUndefined();
  });

  it('parses again when a value has another type, and keeps errors and syntax errors as a parse gives them', () => {
    const cached = loadValidation(true);
    const prefix = (value: Record<string, string>) => ({
      ConditionExpression: 'begins_with(sk, :p)',
      ExpressionAttributeValues: { ':p': value },
    });
    for (const request of [
      prefix({ S: 'RUN#' }),
      prefix({ N: '1' }),
      prefix({ S: 'LOCK' }),
      { ConditionExpression: 'a = :missing', ExpressionAttributeValues: { ':x': { N: '1' } } },
      { ConditionExpression: 'a = = :x', ExpressionAttributeValues: { ':x': { N: '1' } } },
      { ConditionExpression: '#n = :x', ExpressionAttributeValues: { ':x': { N: '1' } } },
    ]) {
      expect(outcome(cached, request)).toEqual(outcome(plain, request));
      expect(outcome(cached, request)).toEqual(outcome(plain, request));
    }
    expect(outcome(cached, prefix({ N: '1' })).error).toMatch(/Incorrect operand type/);
  });

  it('reuses a BETWEEN parse whose new bounds are in order, and reports bounds out of order as a parse does', () => {
    const cached = loadValidation(true);
    const range = (from: string, to: string) => ({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': { S: 'GROUP#a' }, ':from': { S: from }, ':to': { S: to } },
    });
    for (const [from, to] of [
      ['A', 'B'],
      ['C', 'D'],
      ['B', 'A'],
      ['E', 'E'],
      ['Z', 'Y'],
    ] as const) {
      expect(outcome(cached, range(from, to))).toEqual(outcome(plain, range(from, to)));
    }
    expect(outcome(cached, range('C', 'D'))._keyCondition).toEqual(
      outcome(plain, range('C', 'D'))._keyCondition,
    );
    expect(JSON.stringify(outcome(cached, range('C', 'D'))._keyCondition)).toContain('"S":"D"');
    expect(outcome(cached, range('B', 'A')).error).toMatch(/upper bound to be greater than or equal/);
    const numbers = (from: string, to: string) => ({
      ConditionExpression: '(v BETWEEN :from AND :to) OR w = :to',
      ExpressionAttributeValues: { ':from': { N: from }, ':to': { N: to } },
    });
    for (const [from, to] of [
      ['1', '10'],
      ['9', '10'],
      ['11', '10'],
      ['-1', '-1'],
    ] as const) {
      expect(outcome(cached, numbers(from, to))).toEqual(outcome(plain, numbers(from, to)));
    }
    expect(outcome(cached, numbers('11', '10')).error).toMatch(/upper bound to be greater than or equal/);
  });

  it('gives what a parse gives for any sequence of requests (property)', () => {
    const expressions = [
      { ConditionExpression: CLAIM },
      { ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs < :now OR holder = :holder' },
      { UpdateExpression: 'SET done = :false' },
      { UpdateExpression: 'SET #s = :now, holder = :holder', ExpressionAttributeNames: { '#s': 'status' } },
      {
        ConditionExpression: 'holder = :holder',
        ProjectionExpression: 'pk, #s',
        ExpressionAttributeNames: { '#s': 's' },
      },
      { KeyConditionExpression: 'pk = :holder AND sk < :now' },
      { KeyConditionExpression: 'pk = :holder AND sk BETWEEN :now AND :false' },
      { ConditionExpression: 'v BETWEEN :now AND :holder OR NOT (w BETWEEN :false AND :now)' },
      { ConditionExpression: 'size(v) BETWEEN :now AND :holder' },
    ];
    const value = fc.oneof(
      fc.integer().map((n) => ({ N: String(n) })),
      fc.string({ minLength: 1, maxLength: 3 }).map((s) => ({ S: s })),
      fc.boolean().map((b) => ({ BOOL: b })),
    );
    const request = fc
      .record({
        expression: fc.integer({ min: 0, max: expressions.length - 1 }),
        values: fc.record({ ':false': value, ':now': value, ':holder': value }, { requiredKeys: [] }),
      })
      .map(({ expression, values }) => ({
        ...expressions[expression],
        ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
      }));
    // One cache across every sequence: later sequences meet parses kept by earlier ones.
    const cached = loadValidation(true);
    fc.assert(
      fc.property(fc.array(request, { minLength: 1, maxLength: 12 }), (requests) => {
        for (const r of requests) expect(outcome(cached, r)).toEqual(outcome(plain, r));
      }),
      { numRuns: 200 },
    );
  });
});
