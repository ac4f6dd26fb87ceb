import type { SweepPoint } from './compare-frontiers';

/** One trace's knob sweep on one evaluated day. */
export interface SweepDay {
  readonly trace: string;
  readonly points: readonly SweepPoint[];
}

/** One trace's settings, each summed over the trace's evaluated days. */
export interface PooledTrace {
  readonly trace: string;
  /** Evaluated days summed. */
  readonly days: number;
  readonly points: readonly SweepPoint[];
}

const settingKey = (p: SweepPoint) => `${p.policy} / ${p.knob}`;

/**
 * Each trace's settings summed over its evaluated days (cost, SLO minutes, instance-hours), traces in
 * the order first seen: the point a user who runs one setting for those days gets. A verdict read day
 * by day may lean on another Prescale setting each day, which nobody can pick in advance; on the sums
 * one setting has to hold for every day. A setting not measured on every day of its trace is left out
 * (a fixed fleet larger than one day's peak). Pure.
 */
export function poolTraceDays(days: readonly SweepDay[]): PooledTrace[] {
  const byTrace = new Map<string, { days: number; sums: Map<string, SweepPoint & { seen: number }> }>();
  for (const day of days) {
    const pooled = byTrace.get(day.trace) ?? { days: 0, sums: new Map() };
    byTrace.set(day.trace, pooled);
    pooled.days += 1;
    for (const p of day.points) {
      const sum = pooled.sums.get(settingKey(p));
      pooled.sums.set(
        settingKey(p),
        sum
          ? {
              ...sum,
              costUsd: sum.costUsd + p.costUsd,
              sloViolationMinutes: sum.sloViolationMinutes + p.sloViolationMinutes,
              instanceHours: sum.instanceHours + p.instanceHours,
              seen: sum.seen + 1,
            }
          : { ...p, seen: 1 },
      );
    }
  }
  return [...byTrace].map(([trace, pooled]) => ({
    trace,
    days: pooled.days,
    points: [...pooled.sums.values()]
      .filter((p) => p.seen === pooled.days)
      .map(({ seen: _seen, ...point }) => point),
  }));
}
