import fc from 'fast-check';
import { DEFAULT_ANOMALY_OPTIONS, detectAnomalies } from '../../../../shared/core/forecast/detect-anomalies';
import { regularSeries, seededRandom, syntheticLoad } from './synthetic-load';

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

  it('replaces a glitch far above the load by an expectation the glitch does not lift', () => {
    // 14 days of 5-minute load 160 ± 60; the moving level over one day holds every step of it.
    const perDay = 288;
    const random = seededRandom(11);
    const load = Array.from(
      { length: 14 * perDay },
      (_, t) => 160 + 60 * Math.sin((2 * Math.PI * t) / perDay) + 10 * random(),
    );
    const at = load.length - 3 * perDay;
    for (const glitch of [1e5, 1e7, 1e12]) {
      const injected = [...load];
      injected[at] = glitch;
      const result = detectAnomalies(regularSeries(injected, 300));
      expect(result.replacedSteps).toBe(1);
      expect(result.repaired[at]).toBeLessThan(2 * Math.max(...load));
      expect(Math.abs((result.repaired[at] as number) - (load[at] as number))).toBeLessThan(15);
    }
  });

  it('handles constant and very short series without NaN', () => {
    expect(detectAnomalies(regularSeries(new Array<number>(200).fill(5), HOUR)).anomalies).toEqual([]);
    expect(detectAnomalies(regularSeries([1, 2, 3], HOUR)).repaired).toEqual([1, 2, 3]);
  });
});

/** Multiplies the values at `steps` by `factor`, in place. */
function scale(values: number[], steps: readonly number[], factor: number): void {
  for (const t of steps) values[t] = (values[t] as number) * factor;
}

describe('detectAnomalies (glitch or demand)', () => {
  const base = syntheticLoad({ steps: 24 * 21, stepSeconds: HOUR, seed: 7 });
  const at = (series: { startMs: number }, t: number) => series.startMs + t * HOUR * 1000;
  const reasonAt = (result: ReturnType<typeof detectAnomalies>, ms: number) =>
    result.flagged.find((a) => a.timestampMs === ms);

  it.each([
    {
      case: 'an isolated one-point spike',
      edit: (v: number[]) => scale(v, [200], 6),
      step: 200,
      reason: 'glitch',
      replaced: true,
    },
    {
      case: 'a three-hour surge',
      edit: (v: number[]) => scale(v, [200, 201, 202], 4),
      step: 201,
      reason: 'sustained',
      replaced: false,
    },
    {
      case: 'a spike at the same hour on four days',
      edit: (v: number[]) => scale(v, [200, 224, 248, 296], 6),
      step: 224,
      reason: 'recurring',
      replaced: false,
    },
    {
      case: 'a spike on the last step',
      edit: (v: number[]) => scale(v, [v.length - 1], 6),
      step: 24 * 21 - 1,
      reason: 'trailing',
      replaced: false,
    },
  ])('classifies $case as $reason', ({ edit, step, reason, replaced }) => {
    const values = [...base];
    edit(values);
    const series = regularSeries(values, HOUR);
    const result = detectAnomalies(series);
    const found = reasonAt(result, at(series, step));
    expect(found?.reason).toBe(reason);
    expect(found?.replaced).toBe(replaced);
    expect(result.repaired[step] === values[step]).toBe(!replaced);
  });

  it('replaces an isolated one-point spike wherever it is', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 24, max: 24 * 20 - 1 }),
        fc.double({ min: 4, max: 10, noNaN: true }),
        (t, factor) => {
          const values = [...base];
          values[t] = (values[t] as number) * factor;
          const series = regularSeries(values, HOUR);
          const result = detectAnomalies(series);
          expect(reasonAt(result, at(series, t))?.reason).toBe('glitch');
          expect(result.repaired[t]).not.toBe(values[t]);
          expect(result.handling.replacedSteps).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('never replaces a peak repeated at the same hour on several days', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 23 }),
        fc.uniqueArray(fc.integer({ min: 7, max: 13 }), { minLength: 3, maxLength: 6 }),
        fc.double({ min: 4, max: 6, noNaN: true }),
        (hour, days, factor) => {
          const values = [...base];
          const steps = days.map((d) => d * 24 + hour);
          for (const [i, t] of steps.entries()) values[t] = (values[t] as number) * (factor + 0.3 * i);
          const result = detectAnomalies(regularSeries(values, HOUR));
          for (const t of steps) expect(result.repaired[t]).toBe(values[t]);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('keeps a sustained excursion of several consecutive steps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 24, max: 24 * 19 }), fc.integer({ min: 2, max: 8 }), (start, length) => {
        const values = [...base];
        for (let t = start; t < start + length; t += 1) values[t] = (values[t] as number) * 5;
        const result = detectAnomalies(regularSeries(values, HOUR));
        for (let t = start; t < start + length; t += 1) expect(result.repaired[t]).toBe(values[t]);
      }),
      { numRuns: 40 },
    );
  });

  it('never replaces steps inside a known campaign window', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 24, max: 24 * 19 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 11 }),
        (start, length, offset) => {
          const values = [...base];
          const spike = start + (offset % length);
          values[spike] = (values[spike] as number) * 8;
          const series = regularSeries(values, HOUR);
          const campaign = { startMs: at(series, start), endMs: at(series, start + length) };
          const result = detectAnomalies(series, DEFAULT_ANOMALY_OPTIONS, { campaigns: [campaign] });
          expect(result.repaired.slice(start, start + length)).toEqual(values.slice(start, start + length));
          expect(reasonAt(result, at(series, spike))?.reason).toBe('campaign');
          expect(result.handling.keptSteps.campaign).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('sets campaign steps to their expectation when asked for a campaign-free baseline', () => {
    const values = [...base];
    for (let t = 200; t < 206; t += 1) values[t] = (values[t] as number) * 3;
    const series = regularSeries(values, HOUR);
    const campaign = { startMs: at(series, 200), endMs: at(series, 206) };
    const result = detectAnomalies(series, DEFAULT_ANOMALY_OPTIONS, {
      campaigns: [campaign],
      campaignSteps: 'replace',
    });
    for (let t = 200; t < 206; t += 1)
      expect(Math.abs((result.repaired[t] as number) - (base[t] as number))).toBeLessThan(20);
  });

  it('reports the cap when more glitches are found than it allows, keeping the rest', () => {
    const values = [...base];
    // One spike a day, an hour later each day: isolated, never at the same time twice.
    const spikes = Array.from({ length: 8 }, (_, j) => 30 + 25 * j);
    for (const t of spikes) values[t] = (values[t] as number) * 6;
    const result = detectAnomalies(regularSeries(values, HOUR));
    const { handling } = result;
    expect(handling.capSteps).toBe(5);
    expect(handling.capReached).toBe(true);
    expect(handling.replacedSteps).toBe(5);
    expect(handling.keptSteps['over-cap']).toBe(3);
    expect(spikes.filter((t) => result.repaired[t] === values[t])).toHaveLength(3);
  });

  it('does not report the cap when every glitch is replaced', () => {
    const values = [...base];
    values[200] = (values[200] as number) * 6;
    expect(detectAnomalies(regularSeries(values, HOUR)).handling).toMatchObject({
      capReached: false,
      replacedSteps: 1,
    });
  });
});
