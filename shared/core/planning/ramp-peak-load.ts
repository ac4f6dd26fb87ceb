/**
 * The load per step at the step's busiest minute when the planned load ramps through it. A
 * forecast step is an average (CloudWatch's over the step), but the group's instances serve every
 * minute of it: on a rise the minutes at the step's end run above its average, on a fall those at
 * its start do, by about half the change to the neighbouring step (on the straight path through the
 * step averages). Planning the average left nyc_taxi's daily ramps one instance short at the end of
 * each step: 55 SLO minutes at target 60 %, 37 planned at the ramp's edge, for 0.4 % more
 * instance-hours (docs/BENCHMARKS.md, *Cost/SLO frontier*, *The ramp's edge*).
 *
 * A step raises only when it sits on a monotone run of its neighbours (rising into the next step,
 * or falling from the previous): a trough between two higher steps or a lone peak keeps its own
 * average. Where a small group's forecast swings, the steps running into each swing still raise,
 * and half a step's change can cross a whole instance: on the 2–5-instance iio and fe7f93 the rule
 * costs 0.8–2.4 % for 2–4 minutes at 60 %. The first and last steps count their missing neighbour
 * as level. Pure.
 * @param plannedLoad load to plan for per step (finite, ≥ 0)
 * @returns the same length, each step at least its own load
 */
export function rampPeakLoad(plannedLoad: readonly number[]): number[] {
  return plannedLoad.map((load, step) => {
    const before = step > 0 ? (plannedLoad[step - 1] as number) : load;
    const after = step + 1 < plannedLoad.length ? (plannedLoad[step + 1] as number) : load;
    if (before <= load && load < after) return (load + after) / 2;
    if (before > load && load >= after) return (before + load) / 2;
    return load;
  });
}
