import {
  evaluateMetricMath,
  type MathSeries,
  MetricMathError,
  type MetricSearch,
} from '../../../../shared/simulation/world/evaluate-metric-math';

const a: MathSeries = { timestampsMs: [0, 1, 2], values: [2, 4, 6] };
const b: MathSeries = { timestampsMs: [1, 2], values: [10, 20] };
const c: MathSeries = { timestampsMs: [1, 3], values: [5, 6] };
const lookup = (id: string) => ({ a, b, c })[id as 'a' | 'b' | 'c'];
/** A series as [timestamp, value] pairs, in its order. */
const pairs = (s: MathSeries) => s.timestampsMs.map((t, i) => [t, s.values[i]]);

describe('evaluateMetricMath', () => {
  it.each([
    [
      'a * b',
      [
        [1, 40],
        [2, 120],
      ],
    ],
    [
      'a + 2 * 3',
      [
        [0, 8],
        [1, 10],
        [2, 12],
      ],
    ],
    [
      '(a + 2) * 3',
      [
        [0, 12],
        [1, 18],
        [2, 24],
      ],
    ],
    [
      '-a / 2',
      [
        [0, -1],
        [1, -2],
        [2, -3],
      ],
    ],
    [
      'SUM([a, b])',
      [
        [0, 2],
        [1, 14],
        [2, 26],
      ],
    ],
    [
      'FILL(b / 0, 7)',
      [
        [1, 7],
        [2, 7],
      ],
    ],
    ['DIFF(c)', [[3, 1]]],
  ])('evaluates %s', (expression, expected) => {
    expect(pairs(evaluateMetricMath(expression, lookup))).toEqual(expected);
  });

  it("FILL fills the range's periods without a datapoint, which DIFF then counts from", () => {
    const periods = [0, 1, 2, 3];
    expect(pairs(evaluateMetricMath('FILL(c, 0)', lookup, undefined, periods))).toEqual([
      [0, 0],
      [1, 5],
      [2, 0],
      [3, 6],
    ]);
    // A first value after an empty start is an increase from 0, not a series' first, dropped, value.
    expect(pairs(evaluateMetricMath('DIFF(FILL(c, 0))', lookup, undefined, periods))).toEqual([
      [1, 5],
      [2, -5],
      [3, 6],
    ]);
    expect(() => evaluateMetricMath('DIFF(a, b)', lookup)).toThrow(MetricMathError);
  });

  it.each([
    [
      'a > 2',
      [
        [0, 0],
        [1, 1],
        [2, 1],
      ],
    ],
    [
      'a >= 4 * 1',
      [
        [0, 0],
        [1, 1],
        [2, 1],
      ],
    ],
    [
      'a == 4',
      [
        [0, 0],
        [1, 1],
        [2, 0],
      ],
    ],
    [
      'a != 4',
      [
        [0, 1],
        [1, 0],
        [2, 1],
      ],
    ],
    [
      'a < b - 7',
      [
        [1, 0],
        [2, 1],
      ],
    ],
    [
      'a <= 2',
      [
        [0, 1],
        [1, 0],
        [2, 0],
      ],
    ],
    // The ratio where the divisor has a datapoint above zero, 0 where it is zero.
    [
      'IF(a - 2 > 0, b / (a - 2), 0)',
      [
        [0, 0],
        [1, 5],
        [2, 5],
      ],
    ],
    [
      'IF(a > 3, a)',
      [
        [1, 4],
        [2, 6],
      ],
    ],
    [
      'IF(a > 3, 1, a * 10)',
      [
        [0, 20],
        [1, 1],
        [2, 1],
      ],
    ],
    [
      'IF(1, a, b)',
      [
        [0, 2],
        [1, 4],
        [2, 6],
      ],
    ],
  ])('evaluates the comparison or condition %s', (expression, expected) => {
    expect(pairs(evaluateMetricMath(expression, lookup))).toEqual(expected);
  });

  it('refuses an IF without a value if true, or with too many arguments', () => {
    expect(() => evaluateMetricMath('IF(a > 1)', lookup)).toThrow(/IF takes a condition/);
    expect(() => evaluateMetricMath('IF(a > 1, a, b, c)', lookup)).toThrow(/IF takes a condition/);
    expect(() => evaluateMetricMath('a = 1', lookup)).toThrow(/unexpected character/);
  });

  it('combines two series only where both have a datapoint, leaving the inputs unchanged', () => {
    expect(pairs(evaluateMetricMath('a + c', lookup))).toEqual([[1, 9]]);
    expect(pairs(evaluateMetricMath('c - b', lookup))).toEqual([[1, -5]]);
    expect(a).toEqual({ timestampsMs: [0, 1, 2], values: [2, 4, 6] });
    expect(c).toEqual({ timestampsMs: [1, 3], values: [5, 6] });
  });

  it('explains unknown ids, unsupported functions and syntax errors', () => {
    expect(() => evaluateMetricMath('a * d', lookup)).toThrow(/unknown id d/);
    expect(() => evaluateMetricMath('RATE(a)', lookup)).toThrow(/RATE is not supported/);
    expect(() => evaluateMetricMath('a *', lookup)).toThrow(/unexpected end/);
    expect(() => evaluateMetricMath('2 + 3', lookup)).toThrow(/single number/);
    expect(() => evaluateMetricMath('(a + b', lookup)).toThrow(/expected "\)"/);
    expect(() => evaluateMetricMath('SUM([a, b)', lookup)).toThrow(/expected "\]"/);
    expect(() => evaluateMetricMath('a b', lookup)).toThrow(/unexpected trailing input/);
    expect(() => evaluateMetricMath('a + )', lookup)).toThrow(/unexpected "\)"/);
    expect(() => evaluateMetricMath('ABS()', lookup)).toThrow(MetricMathError);
    expect(pairs(evaluateMetricMath('-a + (a - 2) ^ 2 * 2', lookup))).toEqual([
      [0, -2],
      [1, 4],
      [2, 26],
    ]);
  });

  describe('SEARCH', () => {
    const calls: unknown[][] = [];
    const search: MetricSearch = (query, stat, period) => {
      calls.push([query, stat, period]);
      return query.includes('none') ? [] : [a, c];
    };
    beforeEach(() => {
      calls.length = 0;
    });

    it('passes its query, statistic and period to the searcher and gives an array SUM adds up', () => {
      const expression = `SUM(SEARCH('{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'Average'))`;
      expect(pairs(evaluateMetricMath(expression, lookup, search))).toEqual([
        [0, 2],
        [1, 9],
        [2, 6],
        [3, 6],
      ]);
      expect(calls).toEqual([['{AWS/EC2,InstanceId} MetricName="CPUUtilization"', 'Average', undefined]]);
      evaluateMetricMath(`MAX(SEARCH('{X,Y}', 'p90', 300))`, lookup, search);
      expect(calls.at(-1)).toEqual(['{X,Y}', 'p90', 300]);
    });

    it('multiplies the sums of two searches at the timestamps both have', () => {
      const expression = `SUM(SEARCH('{A} x="1"', 'Average')) * SUM(SEARCH('{B} x="2"', 'Average'))`;
      expect(pairs(evaluateMetricMath(expression, lookup, search))).toEqual([
        [0, 4],
        [1, 81],
        [2, 36],
        [3, 36],
      ]);
    });

    it('gives no datapoints when nothing matches', () => {
      expect(pairs(evaluateMetricMath(`SUM(SEARCH('{none}', 'Sum'))`, lookup, search))).toEqual([]);
    });

    it('refuses strings in arithmetic and malformed arguments, and a bare array as a result (one series per query here)', () => {
      const q = `SEARCH('{A} x="1"', 'Average')`;
      expect(() => evaluateMetricMath(q, lookup, search)).toThrow(/array, not a time series/);
      expect(() => evaluateMetricMath(`SUM(${q}) * 'x'`, lookup, search)).toThrow(
        /does not apply to a string/,
      );
      expect(() => evaluateMetricMath(`'x'`, lookup, search)).toThrow(/string, not a time series/);
      expect(() => evaluateMetricMath(`SEARCH('{A}')`, lookup, search)).toThrow(/SEARCH takes a query/);
      expect(() => evaluateMetricMath(`SEARCH(a, 'Sum')`, lookup, search)).toThrow(/SEARCH takes a query/);
      expect(() => evaluateMetricMath(`SEARCH('{A}', 'Sum', 'x')`, lookup, search)).toThrow(/SEARCH takes/);
      expect(() => evaluateMetricMath(`SEARCH('{A}', 'Sum')`, lookup)).toThrow(/SEARCH is not available/);
      expect(() => evaluateMetricMath(`SUM(SEARCH('{A}, 'Sum'))`, lookup, search)).toThrow(MetricMathError);
    });
  });
});
