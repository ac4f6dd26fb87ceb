import fc from 'fast-check';
import { rampPeakLoad } from '../../../../shared/core/planning/ramp-peak-load';

describe('rampPeakLoad', () => {
  it('plans a rising step at its end and a falling step at its start', () => {
    // Rise 100 → 400 over three steps, then fall back.
    expect(rampPeakLoad([100, 200, 400, 200, 100])).toEqual([150, 300, 400, 300, 150]);
  });

  it('keeps a trough between higher steps and a lone peak at their own averages', () => {
    expect(rampPeakLoad([300, 100, 300])).toEqual([300, 100, 300]);
    // The peak keeps its average; the steps either side run toward it at their edges.
    expect(rampPeakLoad([100, 300, 100])).toEqual([200, 300, 200]);
  });

  it('raises the step before a jump by half the jump and leaves level load alone', () => {
    expect(rampPeakLoad([60, 60, 600, 600])).toEqual([60, 330, 600, 600]);
    expect(rampPeakLoad([50, 50, 50])).toEqual([50, 50, 50]);
    expect(rampPeakLoad([])).toEqual([]);
  });

  it('never plans a step below its own load nor above its higher neighbour', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 50 }), (load) => {
        const peak = rampPeakLoad(load);
        expect(peak).toHaveLength(load.length);
        peak.forEach((p, s) => {
          const highest = Math.max(load[s - 1] ?? 0, load[s] as number, load[s + 1] ?? 0);
          expect(p).toBeGreaterThanOrEqual(load[s] as number);
          expect(p).toBeLessThanOrEqual(highest);
        });
      }),
    );
  });
});
