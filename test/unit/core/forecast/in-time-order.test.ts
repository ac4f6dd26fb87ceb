import fc from 'fast-check';
import { inTimeOrder } from '../../../../shared/core/forecast/in-time-order';
import type { LoadObservation } from '../../../../shared/core/forecast/types';

const sortedByTime = (observations: readonly LoadObservation[]) =>
  [...observations].sort((a, b) => a.timestampMs - b.timestampMs);

/** Timestamps with ties, infinities and NaN, so every branch of the comparison shows up. */
const timestampMs = fc.oneof(
  fc.integer({ min: 0, max: 20 }).map((k) => k * 300_000),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0),
);
const observations = fc.array(fc.record({ timestampMs, value: fc.double({ noNaN: false }) }), {
  maxLength: 30,
});

describe('inTimeOrder', () => {
  it('orders exactly as the stable sort by timestamp, the same objects in the same places', () => {
    fc.assert(
      fc.property(observations, fc.boolean(), (list, presort) => {
        const input = presort ? sortedByTime(list) : list;
        const ordered = inTimeOrder(input);
        const expected = sortedByTime(input);
        expect(ordered).toHaveLength(expected.length);
        ordered.forEach((o, i) => {
          expect(o).toBe(expected[i]);
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('returns a copy, leaving the input as it was', () => {
    const input: LoadObservation[] = [
      { timestampMs: 600_000, value: 2 },
      { timestampMs: 0, value: 1 },
    ];
    const inOrder = [input[1], input[0]] as LoadObservation[];
    expect(inTimeOrder(input)).toEqual(inOrder);
    expect(input[0]?.timestampMs).toBe(600_000);
    const copy = inTimeOrder(inOrder);
    expect(copy).not.toBe(inOrder);
    expect(copy).toEqual(inOrder);
  });
});
