import { detectAnomalies } from '../../../../shared/core/forecast/detect-anomalies';
import { regularSeries, syntheticLoad } from './synthetic-load';

const HOUR = 3600;

describe('detectAnomalies', () => {
  const values = syntheticLoad({ steps: 24 * 21, stepSeconds: HOUR });

  it('flags injected spikes and dips with robust scores and replaces them by the expectation', () => {
    const injected = [...values];
    injected[100] = (values[100] as number) * 5;
    injected[300] = 0;
    const series = regularSeries(injected, HOUR);
    const result = detectAnomalies(series);
    const flagged = result.anomalies.map((a) => (a.timestampMs - series.startMs) / (HOUR * 1000));
    expect(flagged).toEqual(expect.arrayContaining([100, 300]));
    expect(result.anomalies.find((a) => a.value === injected[100])?.score).toBeGreaterThan(6);
    expect(result.anomalies.find((a) => a.value === 0)?.score).toBeLessThan(-6);
    expect(Math.abs((result.repaired[100] as number) - (values[100] as number))).toBeLessThan(15);
    expect(result.repaired).toHaveLength(injected.length);
  });

  it('finds nothing in clean load with daily and weekly cycles once five weeks are known', () => {
    const long = syntheticLoad({ steps: 24 * 7 * 6, stepSeconds: HOUR });
    expect(detectAnomalies(regularSeries(long, HOUR)).anomalies).toEqual([]);
  });

  it('does not let one spike make its seasonal neighbours look anomalous', () => {
    const injected = [...values];
    injected[437] = (values[437] as number) * 8;
    const result = detectAnomalies(regularSeries(injected, HOUR));
    expect(result.anomalies).toHaveLength(1);
    expect(result.repaired[437 - 168]).toBe(injected[437 - 168]);
  });

  it('reports but keeps a run of anomalies at the end (a possible level shift)', () => {
    const shifted = [...values];
    for (let t = shifted.length - 2; t < shifted.length; t += 1) shifted[t] = (values[t] as number) * 6;
    const result = detectAnomalies(regularSeries(shifted, HOUR));
    expect(result.anomalies.length).toBeGreaterThanOrEqual(2);
    expect(result.repaired.slice(-2)).toEqual(shifted.slice(-2));
  });

  it('handles constant and very short series without NaN', () => {
    expect(detectAnomalies(regularSeries(new Array<number>(200).fill(5), HOUR)).anomalies).toEqual([]);
    expect(detectAnomalies(regularSeries([1, 2, 3], HOUR)).repaired).toEqual([1, 2, 3]);
  });
});
