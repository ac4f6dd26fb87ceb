import { scaleTrace } from '../../../../shared/simulation/load/scale-trace';

describe('scaleTrace', () => {
  it('keeps the shape and moves the peak to the requested load', () => {
    const trace = scaleTrace({ name: 't', startMs: 0, stepSeconds: 60, values: [1e6, 2e6, 4e6] }, 1200);
    expect(trace.values).toEqual([300, 600, 1200]);
  });

  it('rejects an all-zero trace', () => {
    expect(() => scaleTrace({ name: 'z', startMs: 0, stepSeconds: 60, values: [0, 0] }, 10)).toThrow(
      /no positive value/,
    );
  });
});
