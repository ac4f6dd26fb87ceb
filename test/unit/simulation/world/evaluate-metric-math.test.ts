import {
  evaluateMetricMath,
  type MathSeries,
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
  ])('evaluates %s', (expression, expected) => {
    expect(pairs(evaluateMetricMath(expression, lookup))).toEqual(expected);
  });

  it('combines two series only where both have a datapoint, leaving the inputs unchanged', () => {
    expect(pairs(evaluateMetricMath('a + c', lookup))).toEqual([[1, 9]]);
    expect(pairs(evaluateMetricMath('c - b', lookup))).toEqual([[1, -5]]);
    expect(a).toEqual({ timestampsMs: [0, 1, 2], values: [2, 4, 6] });
    expect(c).toEqual({ timestampsMs: [1, 3], values: [5, 6] });
  });

  it('explains unknown ids, unsupported functions and syntax errors', () => {
    expect(() => evaluateMetricMath('a * d', lookup)).toThrow(/unknown id d/);
    expect(() => evaluateMetricMath('SEARCH(a)', lookup)).toThrow(/SEARCH is not supported/);
    expect(() => evaluateMetricMath('a *', lookup)).toThrow(/unexpected end/);
    expect(() => evaluateMetricMath('2 + 3', lookup)).toThrow(/single number/);
  });
});
