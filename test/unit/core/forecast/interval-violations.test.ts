import { intervalViolations } from './interval-violations';

describe('intervalViolations', () => {
  const mean = [10, 20];
  const i50 = { levelPct: 50, lower: [8, 18], upper: [12, 22] };

  it('finds nothing wrong in nested intervals around the mean', () => {
    expect(intervalViolations(mean, [i50, { levelPct: 90, lower: [5, 15], upper: [15, 25] }])).toEqual([]);
  });

  it('names each bad step: a bound across the mean, a wider interval inside a narrower one, a non-finite or negative value', () => {
    const i90 = { levelPct: 90, lower: [9, -1], upper: [11, Number.NaN] };
    expect(intervalViolations([10, Number.POSITIVE_INFINITY], [i50, i90], { nonNegative: true })).toEqual([
      'mean[1] = Infinity',
      '50 % at step 1: upper 22 < mean Infinity',
      "90 % at step 0: lower above the narrower interval's",
      "90 % at step 0: upper below the narrower interval's",
      '90 % at step 1: [-1, NaN]',
      '90 % at step 1: lower -1 < 0',
    ]);
  });
});
