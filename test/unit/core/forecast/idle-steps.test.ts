import { withIdleSteps } from '../../../../shared/core/forecast/idle-steps';

const at = (minute: number, value: number) => ({ timestampMs: minute * 60_000, value });

describe('withIdleSteps', () => {
  it('puts a zero at every step missing between the first and the last datapoint, none after', () => {
    expect(withIdleSteps([at(0, 5), at(3, 7), at(4, 2)], 60)).toEqual([
      at(0, 5),
      at(1, 0),
      at(2, 0),
      at(3, 7),
      at(4, 2),
    ]);
  });

  it('leaves a whole series and an empty one as they are', () => {
    expect(withIdleSteps([at(0, 1), at(5, 2)], 300)).toEqual([at(0, 1), at(5, 2)]);
    expect(withIdleSteps([], 60)).toEqual([]);
  });
});
