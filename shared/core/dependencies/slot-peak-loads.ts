import { forecastQuantile } from '../forecast/forecast-quantile';
import type { DemandForecast } from '../forecast/types';

/** The time slots an update may be placed in: `slotCount` slots of `slotSeconds` from `firstSlotStartMs`. */
export interface UpdateSlots {
  readonly firstSlotStartMs: number;
  readonly slotSeconds: number;
  readonly slotCount: number;
}

/**
 * A slot as people read it, as the update-plan workflow labels it ("Wait for slot 2 at …"):
 * numbered from 1, with its start in UTC. Indexes in results stay 0-based.
 */
export function slotName(
  slots: Pick<UpdateSlots, 'firstSlotStartMs' | 'slotSeconds'>,
  slotIndex: number,
): string {
  const startMs = slots.firstSlotStartMs + slotIndex * slots.slotSeconds * 1000;
  return `slot ${slotIndex + 1} (${new Date(startMs).toISOString().slice(0, 16).replace('T', ' ')} UTC)`;
}

/**
 * The peak of a forecast quantile within each slot: for slot t, the largest quantile value over the
 * forecast steps that overlap [start_t, start_t + slotSeconds). A slot the forecast does not reach
 * gets the forecast's largest value over the whole horizon (cautious: unknown is not "no load").
 * @param probability - the planning quantile, 0.9 for p90.
 * @throws ProbabilityOutOfRangeError when the forecast's intervals cannot give that quantile.
 */
export function slotPeakLoads(forecast: DemandForecast, slots: UpdateSlots, probability = 0.9): number[] {
  const values = forecastQuantile(forecast, probability);
  const stepMs = forecast.stepSeconds * 1000;
  const slotMs = slots.slotSeconds * 1000;
  const overall = values.reduce((m, v) => Math.max(m, v), 0);
  return Array.from({ length: slots.slotCount }, (_, t) => {
    const start = slots.firstSlotStartMs + t * slotMs;
    const end = start + slotMs;
    let peak = Number.NEGATIVE_INFINITY;
    values.forEach((v, h) => {
      const stepStart = forecast.startMs + h * stepMs;
      if (stepStart < end && stepStart + stepMs > start) peak = Math.max(peak, v);
    });
    return Number.isFinite(peak) ? peak : overall;
  });
}
