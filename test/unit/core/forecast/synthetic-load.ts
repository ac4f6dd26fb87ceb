import type { LoadObservation, RegularSeries } from '../../../../shared/core/forecast/types';

/** Deterministic pseudo-random numbers in [0, 1) (a 32-bit LCG), so fixtures need no Math.random. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Synthetic load with daily and weekly cycles, a gentle trend and noise; values stay positive. */
export function syntheticLoad(options: {
  readonly steps: number;
  readonly stepSeconds: number;
  readonly seed?: number;
  readonly noise?: number;
}): number[] {
  const { steps, stepSeconds, seed = 1, noise = 3 } = options;
  const random = seededRandom(seed);
  const perDay = 86_400 / stepSeconds;
  return Array.from({ length: steps }, (_, t) => {
    const day = (2 * Math.PI * t) / perDay;
    const weekday = Math.floor(t / perDay) % 7 < 5 ? 1 : 0.7;
    const value = (100 + 0.01 * t + 40 * Math.sin(day - 1) * weekday + 10 * Math.cos(2 * day)) * weekday;
    return Math.max(0, value + noise * (random() - 0.5) * 2);
  });
}

/** A regular series starting at a fixed epoch (2024-01-01T00:00Z). */
export function regularSeries(values: readonly number[], stepSeconds: number): RegularSeries {
  return { startMs: Date.UTC(2024, 0, 1), stepSeconds, values };
}

/** The same values as raw observations on the regular grid. */
export function observations(values: readonly number[], stepSeconds: number): LoadObservation[] {
  const start = Date.UTC(2024, 0, 1);
  return values.map((value, i) => ({ timestampMs: start + i * stepSeconds * 1000, value }));
}
