import type { Candidate } from '../core/pricing/types';
import { describeError, type GroupContext } from './instance-type-selection-context';

/**
 * `candidates` with their Spot price (the dearest of the group's `zones`, where every zone has one)
 * when `pricing.includeSpot` asks for it; unchanged, with a diagnostic, when no source is wired or
 * it fails.
 */
export async function attachSpotPrices(
  ctx: GroupContext,
  candidates: readonly Candidate[],
  zones: readonly string[],
  diagnostics: string[],
): Promise<readonly Candidate[]> {
  const { deps, config } = ctx;
  if (!config.pricing.includeSpot || candidates.length === 0) return candidates;
  if (!deps.spotPrices) {
    diagnostics.push('Spot prices skipped: no Spot price source is wired');
    return candidates;
  }
  try {
    const spot = await deps.spotPrices.currentSpotPrices(
      zones,
      candidates.map((c) => c.instanceType),
      config.pricing.operatingSystem,
    );
    const byType = new Map<string, Map<string, number>>();
    for (const p of spot) {
      const zonesOfType = byType.get(p.instanceType) ?? new Map<string, number>();
      zonesOfType.set(p.availabilityZone, p.hourlyPriceUsd);
      byType.set(p.instanceType, zonesOfType);
    }
    return candidates.map((c) => {
      const perZone = byType.get(c.instanceType);
      if (!perZone || !zones.every((z) => perZone.has(z))) return c;
      // The dearest zone: the group launches in all of them.
      return { ...c, spotHourlyPriceUsd: Math.max(...zones.map((z) => perZone.get(z) ?? 0)) };
    });
  } catch (error) {
    diagnostics.push(`Spot prices unavailable: ${describeError(error)}`);
    return candidates;
  }
}
