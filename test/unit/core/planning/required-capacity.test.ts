import { requiredCapacity } from '../../../../shared/core/planning/required-capacity';

describe('requiredCapacity', () => {
  it.each([
    [[0], 60, [0]],
    [[1], 60, [1]],
    [[60], 60, [1]],
    [[120.0000000001], 60, [2]],
    [[121], 60, [3]],
  ])('needs ceil(load / target): %j at %d → %j', (load, target, expected) => {
    expect(requiredCapacity(load, target)).toEqual(expected);
  });

  it('rejects a non-positive target and a negative load with the value received', () => {
    expect(() => requiredCapacity([1], 0)).toThrow('targetLoadPerInstance must be a positive number, got 0');
    expect(() => requiredCapacity([1, -2], 60)).toThrow('load at step 1 must be a finite number ≥ 0, got -2');
  });
});
