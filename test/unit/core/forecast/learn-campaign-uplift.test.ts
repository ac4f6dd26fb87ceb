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
  const [firstSale, secondSale] = windows as [(typeof windows)[number], (typeof windows)[number]];
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

  it('skips a window a campaign of another kind overlapped, instead of crediting its load to this kind', () => {
    // A newsletter (× 2) ran inside the second sale: the sale alone was × 1.5, together × 3.
    const newsletter = { startMs: secondSale.startMs + 2 * HOUR_MS, endMs: secondSale.endMs + 2 * HOUR_MS };
    const both = boosted.map((v, t) =>
      start + t * HOUR_MS >= newsletter.startMs && start + t * HOUR_MS < newsletter.endMs ? v * 2 : v,
    );
    const learned = learnCampaignUplift({
      history: observations(both, HOUR),
      stepSeconds: HOUR,
      windows,
      otherWindows: [newsletter],
    });
    expect(learned).toEqual(expect.objectContaining({ kind: 'learned', skippedWindows: 1 }));
    if (learned.kind !== 'learned') return;
    expect(learned.windows.map((w) => w.startMs)).toEqual([firstSale.startMs]);
    expect(learned.ratioSpread.max).toBeCloseTo(1.5, 1);
  });

  it('takes other kinds’ windows out of the baseline of a later window', () => {
    // A big launch (× 4) a week before the only measured sale: not part of the sale's baseline.
    const launch = { startMs: firstSale.startMs, endMs: firstSale.endMs };
    const withLaunch = values.map((v, t) => {
      const ms = start + t * HOUR_MS;
      if (ms >= launch.startMs && ms < launch.endMs) return v * 4;
      return ms >= secondSale.startMs && ms < secondSale.endMs ? v * 1.5 : v;
    });
    const learned = learnCampaignUplift({
      history: observations(withLaunch, HOUR),
      stepSeconds: HOUR,
      windows: [secondSale],
      otherWindows: [launch],
    });
    // Counted in the baseline, the launch made the sale look like × 0.46.
    expect(learned.kind).toBe('learned');
    if (learned.kind !== 'learned' || learned.uplift.kind !== 'multiplier') return;
    expect(learned.uplift.factor).toBeGreaterThan(1.3);
    expect(learned.uplift.factor).toBeLessThan(1.7);
  });

  it('bounds the factor a window shows over a near-zero baseline to the multiplier range (at most × 100)', () => {
    // A group that idled at a trickle (0.01) until a sale brought 50: realised / forecast ≈ 5000,
    // which would plan every later sale of the kind at × 5000.
    const trickle = values.map((_, t) => {
      const ms = start + t * HOUR_MS;
      return ms >= secondSale.startMs && ms < secondSale.endMs ? 50 : 0.01 + 0.001 * (t % 3);
    });
    const learned = learnCampaignUplift({
      history: observations(trickle, HOUR),
      stepSeconds: HOUR,
      windows: [secondSale],
    });
    expect(learned.kind).toBe('learned');
    if (learned.kind !== 'learned' || learned.uplift.kind !== 'multiplier') return;
    expect(learned.uplift.factor).toBe(100);
    expect(learned.ratioSpread.max).toBe(100);
    expect(learned.windows[0]?.ratio).toBe(100);
    // The added load is in load units and stays what was measured.
    expect(learned.medianAddedLoad).toBeGreaterThan(49);
  });
});
