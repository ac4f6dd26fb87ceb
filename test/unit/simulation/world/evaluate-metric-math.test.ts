import { evaluateMetricMath } from '../../../../shared/simulation/world/evaluate-metric-math';

const a = new Map([
  [0, 2],
  [1, 4],
  [2, 6],
]);
const b = new Map([
  [1, 10],
  [2, 20],
]);
const lookup = (id: string) => ({ a, b })[id as 'a' | 'b'];

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
    expect([...evaluateMetricMath(expression, lookup)]).toEqual(expected);
  });

  it('explains unknown ids, unsupported functions and syntax errors', () => {
    expect(() => evaluateMetricMath('a * c', lookup)).toThrow(/unknown id c/);
    expect(() => evaluateMetricMath('SEARCH(a)', lookup)).toThrow(/SEARCH is not supported/);
    expect(() => evaluateMetricMath('a *', lookup)).toThrow(/unexpected end/);
    expect(() => evaluateMetricMath('2 + 3', lookup)).toThrow(/single number/);
  });
});
