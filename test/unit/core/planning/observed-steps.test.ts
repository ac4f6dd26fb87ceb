import { withObservedSteps } from '../../../../shared/core/planning/observed-steps';

const STEP_MS = 300_000;
const START_MS = Date.UTC(2014, 9, 27, 2, 50);
const at = (step: number, value: number) => ({ timestampMs: START_MS + step * STEP_MS, value });

describe('withObservedSteps', () => {
  it('plans the steps already over at the load observed in them, not the forecast made before them', () => {
    // Refit at 03:06 with its fit ending three steps back: 02:50–03:00 still hold the model's level.
    const planned = [1610, 1571, 1531, 101, 85];
    const nowMs = START_MS + 16 * 60_000;
    const history = [at(-1, 180), at(0, 170), at(1, 162), at(2, 157)];
    expect(withObservedSteps(planned, START_MS, STEP_MS, nowMs, history)).toEqual([170, 162, 157, 101, 85]);
  });

  it('leaves the current step, later steps and steps without a finite observation as planned', () => {
    const planned = [500, 500, 500, 500];
    const nowMs = START_MS + 2 * STEP_MS + 60_000; // one minute into step 2
    const history = [at(0, Number.NaN), at(2, 90), at(3, 80), { timestampMs: START_MS + 60_000, value: 7 }];
    expect(withObservedSteps(planned, START_MS, STEP_MS, nowMs, history)).toEqual([500, 500, 500, 500]);
  });

  it('changes nothing when the forecast starts now or later', () => {
    expect(withObservedSteps([1, 2], START_MS, STEP_MS, START_MS - 1, [at(0, 9)])).toEqual([1, 2]);
  });

  it('rejects a step that is not positive', () => {
    expect(() => withObservedSteps([1], START_MS, 0, START_MS, [])).toThrow(/stepMs must be > 0/);
  });
});
