import { resampleTrace } from '../../../../shared/simulation/load/resample-trace';

describe('resampleTrace', () => {
  it('interpolates 5-minute points to a 1-minute grid and bridges gaps linearly', () => {
    const points = [
      { timestampMs: 0, value: 0 },
      { timestampMs: 300_000, value: 50 },
      { timestampMs: 900_000, value: 110 },
    ];
    const trace = resampleTrace(points, 60, 't');
    expect(trace.startMs).toBe(0);
    expect(trace.values).toHaveLength(16);
    expect(trace.values[1]).toBeCloseTo(10);
    expect(trace.values[5]).toBeCloseTo(50);
    expect(trace.values[10]).toBeCloseTo(80);
    expect(trace.values[15]).toBeCloseTo(110);
  });

  it('starts at the first grid instant at or after the first point', () => {
    const trace = resampleTrace(
      [
        { timestampMs: 90_000, value: 1 },
        { timestampMs: 390_000, value: 1 },
      ],
      60,
      't',
    );
    expect(trace.startMs).toBe(120_000);
  });
});
