import { learnCampaignUplift } from '../../../../shared/core/forecast/learn-campaign-uplift';
import { observations, syntheticLoad } from './synthetic-load';

const HOUR = 3600;
const HOUR_MS = HOUR * 1000;

describe('learnCampaignUplift', () => {
  const values = syntheticLoad({ steps: 24 * 28, stepSeconds: HOUR, noise: 1 });
  const start = Date.UTC(2024, 0, 1);
  // Two past campaigns of the same kind, 6 hours each, with load × 1.5.
  const windows = [24 * 15 + 10, 24 * 22 + 10].map((first) => ({
    startMs: start + first * HOUR_MS,
    endMs: start + (first + 6) * HOUR_MS,
  }));
  const boosted = values.map((v, t) =>
    windows.some((w) => start + t * HOUR_MS >= w.startMs && start + t * HOUR_MS < w.endMs) ? v * 1.5 : v,
  );

  it('learns the realised / forecast ratio of past windows with its spread', () => {
    const learned = learnCampaignUplift({ history: observations(boosted, HOUR), stepSeconds: HOUR, windows });
    expect(learned.kind).toBe('learned');
    if (learned.kind !== 'learned') return;
    expect(learned.windows).toHaveLength(2);
    expect(learned.uplift.kind).toBe('multiplier');
    if (learned.uplift.kind === 'multiplier') expect(learned.uplift.factor).toBeCloseTo(1.5, 1);
    expect(learned.ratioSpread.min).toBeLessThanOrEqual(learned.ratioSpread.median);
    expect(learned.ratioSpread.max).toBeGreaterThanOrEqual(learned.ratioSpread.median);
    expect(learned.medianAddedLoad).toBeGreaterThan(0);
  });

  it('says so when no window has enough history before it', () => {
    const learned = learnCampaignUplift({
      history: observations(boosted, HOUR),
      stepSeconds: HOUR,
      windows: [{ startMs: start + 5 * HOUR_MS, endMs: start + 8 * HOUR_MS }],
    });
    expect(learned).toEqual(expect.objectContaining({ kind: 'insufficient-history', skippedWindows: 1 }));
  });
});
