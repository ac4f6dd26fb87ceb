import type { Candidate } from '../core/pricing/types';
import { describeError, type GroupContext, spotPairKey } from './instance-type-selection-context';

/**
 * `candidates` with their Spot price (the dearest of the group's `zones`, where every zone has one)
 * when `pricing.includeSpot` asks for it, read through the run's memo (`RunSpotPrices`); unchanged,
 * with a diagnostic, when no source is wired or it fails.
 */
export async function attachSpotPrices(
  ctx: GroupContext,
  candidates: readonly Candidate[],
  zones: readonly string[],
  diagnostics: string[],
): Promise<readonly Candidate[]> {
  const { config, spotPrices } = ctx;
  if (!config.pricing.includeSpot || candidates.length === 0) return candidates;
  if (!spotPrices) {
    diagnostics.push('Spot prices skipped: no Spot price source is wired');
    return candidates;
  }
  try {
    const prices = await spotPrices.pricesIn(
      zones,
      candidates.map((c) => c.instanceType),
    );
    return candidates.map((c) => {
      const perZone = zones.map((z) => prices.get(spotPairKey(z, c.instanceType)));
      if (perZone.some((p) => p === undefined)) return c;
      // The dearest zone: the group launches in all of them.
      return { ...c, spotHourlyPriceUsd: Math.max(...(perZone as number[])) };
    });
  } catch (error) {
    diagnostics.push(`Spot prices unavailable: ${describeError(error)}`);
    return candidates;
  }
}
