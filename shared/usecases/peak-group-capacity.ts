import type { GroupSnapshot } from '../ports/scaling-target';
import { describeError, RECORD_LOOKBACK_MS } from './instance-type-selection-context';
import type { SelectInstanceTypesDeps } from './instance-type-selection-types';

/** The forecast peak (latest run's planned capacity) or the desired capacity, in the group's unit. */
export async function peakGroupCapacity(
  deps: SelectInstanceTypesDeps,
  group: GroupSnapshot,
  nowMs: number,
  diagnostics: string[],
): Promise<{ capacity: number; source: 'forecast' | 'desired-capacity' }> {
  if (deps.stateStore) {
    try {
      const latest = await deps.stateStore.latestRunRecord(group.name, nowMs - RECORD_LOOKBACK_MS);
      const peak = latest ? Math.max(...latest.plannedCapacity.filter(Number.isFinite)) : Number.NaN;
      if (Number.isFinite(peak) && peak > 0) return { capacity: peak, source: 'forecast' };
    } catch (error) {
      diagnostics.push(`run records unreadable: ${describeError(error)}`);
    }
  }
  return { capacity: Math.max(group.desiredCapacity, group.minSize, 1), source: 'desired-capacity' };
}
