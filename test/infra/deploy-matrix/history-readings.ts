import type { RunRecord } from '../../../shared/ports/state-store';
import { loadTraceAt } from '../../../shared/simulation/load/load-trace';
import type { ConfigurationWorld } from './configuration-world';

const MINUTE_MS = 60_000;

/** What one enrolled group's run records show of the history its forecasts read and what they planned. */
export interface HistoryReading {
  readonly runs: number;
  /** The forecast steps of its run records, distinct, in seconds. */
  readonly stepSeconds: readonly number[];
  /**
   * The median, over its runs, of the forecast's median load for its first step over the world's
   * offered load in that step (percent of one instance): about 1 for a history that reads the load
   * in those units (`cpu`), the metric's own unit per load unit otherwise.
   */
  readonly unitsPerLoad: number;
  /** The lowest and highest capacity its runs planned, at any step. */
  readonly planned: { readonly lowest: number; readonly highest: number };
  /** The group's MaxSize once the loop has run. */
  readonly maxSize: number;
}

/** The world's offered load on `group`, averaged over the minutes of [fromMs, fromMs + seconds). */
function offeredLoad(
  built: ConfigurationWorld,
  group: { loadFactor: number },
  fromMs: number,
  seconds: number,
) {
  const minutes = Math.max(1, seconds / 60);
  let sum = 0;
  for (let m = 0; m < minutes; m += 1)
    sum += loadTraceAt(built.scenario.trace, fromMs + m * MINUTE_MS) * group.loadFactor;
  return sum / minutes;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

/**
 * Each enrolled group's reading of its run records (`runs`, the loop's, every group's): which
 * unit its forecasts were in (so which source they read), at which step, and what they planned.
 */
export function historyReadings(
  built: ConfigurationWorld,
  runs: readonly RunRecord[],
): Record<string, HistoryReading> {
  const readings: Record<string, HistoryReading> = {};
  for (const group of built.enrolled) {
    const own = runs.filter((r) => r.groupName === group.name);
    const ratios = own
      .filter((r) => r.medianLoad.length > 0)
      .map((r) => (r.medianLoad[0] as number) / offeredLoad(built, group, r.forecastStartMs, r.stepSeconds));
    const planned = own.flatMap((r) => r.plannedCapacity);
    readings[group.name] = {
      runs: own.length,
      stepSeconds: [...new Set(own.map((r) => r.stepSeconds))],
      unitsPerLoad: median(ratios),
      planned: { lowest: Math.min(...planned), highest: Math.max(...planned) },
      maxSize: built.world.autoScaling.counts(group.name).maxSize,
    };
  }
  return readings;
}
