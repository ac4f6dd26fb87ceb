/** What `bench:frontier` prints: a line per trace as it finishes, the summaries and the markdown table. */
import {
  compareFrontiers,
  defaultPoints,
  type EscapeMargin,
  type FrontierComparison,
} from '../../../shared/simulation/evaluation/compare-frontiers';
import { worseOnBoth } from '../../../shared/simulation/evaluation/cost-slo-frontier';
import { poolTraceDays } from '../../../shared/simulation/evaluation/pool-days';
import {
  type DaySummary,
  type DefaultPoint,
  evaluatedDay,
  type ForesightMedian,
  type SummedDefaults,
  summariseDays,
  type TraceDay,
} from '../../../shared/simulation/evaluation/summarise-days';
import type { FrontierTrace } from '../../../shared/simulation/report/render-frontier-report';

const pct = (x: number | undefined) =>
  x === undefined ? 'n/r' : Number.isFinite(x) ? `${(100 * x).toFixed(0)} %` : '–';

/** The perfect-foresight series' matched-cost ratios, `oracle 0 %, oracle-5min 2 %` (`–` without them). */
function boundsText(comparison: FrontierTrace['comparison']): string {
  const bounds = comparison.foresightBounds ?? [];
  return bounds.length > 0 ? bounds.map((b) => `${b.series} ${pct(b.ratio)}`).join(', ') : '–';
}

/** The fixed fleet's matched-cost ratio and escaping sizes (`fixedFleet`), `12 %, 3 sizes escaping` (`–` without static runs). */
const fixedFleetText = (comparison: FrontierTrace['comparison']): string =>
  comparison.fixedFleet
    ? `${pct(comparison.fixedFleet.ratio)}, ${comparison.fixedFleet.escaping.length} sizes escaping`
    : '–';

/** A series' median over trace-days, `12.3 %` and how many had no reading. */
const medianText = (m: ForesightMedian): string =>
  `${m.median === undefined ? 'n/r' : `${(100 * m.median).toFixed(1)} %`}${m.withoutReading > 0 ? ` (${m.withoutReading} without a reading)` : ''}`;

/**
 * One line of the per-day summary: what a day's (or every day's) comparisons say together.
 * `fleet` names the fixed fleet's reading (one size for every pooled day is not sized for a day).
 */
export function summaryLine(
  heading: string,
  s: DaySummary,
  unit = 'traces',
  fleet = 'a fixed fleet sized for the day',
): string {
  const median =
    s.matchedCostMedianWithinTolerance === undefined
      ? 'n/r'
      : `${(100 * s.matchedCostMedianWithinTolerance).toFixed(1)} %`;
  const without = s.withoutMatchedCost > 0 ? ` (${s.withoutMatchedCost} without a reading left out)` : '';
  const worse = s.defaultsWorseOnBoth.length > 0 ? s.defaultsWorseOnBoth.join(', ') : 'none';
  const bounds = Object.entries(s.foresightMedians)
    .map(([series, m]) => `${series} ${medianText(m)}`)
    .join(', ');
  const fixedFleet = s.fixedFleetMedian
    ? `; ${fleet} ${medianText(s.fixedFleetMedian)}, ${s.fixedFleetEscaping} of its sizes escaping Prescale`
    : '';
  return `${heading.padEnd(22)} ${s.traces} ${unit}; escaping rival points ${s.escapingByRival.reactive} + ${s.escapingByRival['ec2-predictive']} = ${s.escapingRivalPoints} (${s.escapingBeyondMixes} beyond any mix of two Prescale settings); frontier weakly dominated: reactive ${s.dominated.reactive}, ec2-predictive ${s.dominated['ec2-predictive']} of ${s.traces}; matched-cost median within 2 % ${median}${without}${bounds ? ` (perfect foresight: ${bounds})` : ''}${fixedFleet}; defaults worse on both: ${worse}`;
}

/** The line on each trace's defaults summed over its days: those worse than reactive's on both axes. */
function summedDefaultsLine(summed: readonly SummedDefaults[], runs: string): string {
  const worse = summed.filter((s) => worseOnBoth(s.prescale, s.reactive));
  const text = (d: DefaultPoint) => `$${d.costUsd.toFixed(3)}, ${d.sloViolationMinutes} min`;
  const names = worse.map((s) => `${s.trace} (${text(s.prescale)} against ${text(s.reactive)})`);
  return `${`summed over the ${runs}:`.padEnd(22)} ${summed.length} traces' defaults; worse than reactive's on both axes: ${names.length > 0 ? names.join(', ') : 'none'}`;
}

/**
 * Each trace's settings summed over its days (`poolTraceDays`) and compared: a line per trace and
 * the summary line; nothing when no trace-day carries its points.
 */
function pooledLines(traceDays: readonly TraceDay[], runs: string): string[] {
  const pooled = poolTraceDays(
    traceDays.flatMap((t) => (t.points ? [{ trace: t.trace ?? t.name, points: t.points }] : [])),
  );
  if (pooled.length === 0) return [];
  const compared = pooled.map((p) => ({
    name: `${p.trace} (${p.days} ${runs})`,
    warmupDays: 0,
    comparison: compareFrontiers(p.points),
  }));
  return [
    `Each setting summed over its trace's ${runs}, then compared:`,
    ...compared.map((t) => traceLine(t.name, t.comparison)),
    summaryLine(
      `pooled over the ${runs}:`,
      summariseDays(compared).allDays,
      'traces',
      `one fixed fleet for all the ${runs}`,
    ),
  ];
}

/**
 * The per-day summary of a run on several evaluated days, the line over all of them, the summed
 * defaults and the frontiers of the days pooled.
 */
export function daysSummary(traceDays: readonly TraceDay[]): string {
  const { days, allDays, defaultsSummed } = summariseDays(traceDays);
  const seeds = days.some((d) => d.seed !== undefined);
  const oneDay = new Set(days.map((d) => d.warmupDays)).size === 1;
  // Several seeds of one day are runs of that day; several days (of one or more seeds) are days.
  const runs = seeds ? 'runs' : 'days';
  const label = (d: (typeof days)[number]) =>
    seeds && oneDay
      ? `seed ${d.seed}:`
      : `day ${d.day} (warm-up ${d.warmupDays})${d.seed !== undefined ? `, seed ${d.seed}` : ''}:`;
  return [
    seeds && oneDay
      ? "Per seed (the launches' times are its draw):"
      : 'Per evaluated day (the day after the warm-up):',
    ...days.map((d) => summaryLine(label(d), d)),
    summaryLine(`all ${runs}:`, allDays, seeds ? 'trace-runs' : 'trace-days'),
    ...(defaultsSummed.length > 0 ? [summedDefaultsLine(defaultsSummed, runs)] : []),
    ...pooledLines(traceDays, runs),
  ].join('\n');
}

/** An escaping point's margins (`escapeMargin`): `(+1 min, +0.6 % $)`, `–` for a side no Prescale point reaches. */
export function marginText(m: EscapeMargin | undefined): string {
  if (!m) return '';
  const minutes = m.extraMinutes === undefined ? '–' : `+${m.extraMinutes} min`;
  const cost = m.extraCostShare === undefined ? '–' : `+${(100 * m.extraCostShare).toFixed(1)} % $`;
  return `(${minutes}, ${cost})`;
}

/** The per-trace table for docs/BENCHMARKS.md. */
export function markdownTable(traces: readonly FrontierTrace[]): string {
  const rows = traces.map((t) => {
    const verdict = (rival: string) => {
      const r = t.comparison.rivals.find((c) => c.rival === rival);
      if (!r) return '–';
      const escaped = r.verdict.undominated.map(
        (p, i) => `${p.knob.replace('target ', '').replace(', buffer ', '/')} ${marginText(r.margins[i])}`,
      );
      return r.verdict.dominatesAll ? '✓' : `✗ ${escaped.join('; ')}`;
    };
    const saved = (rival: string) => {
      const g = t.comparison.rivals.find((c) => c.rival === rival)?.gap;
      return g && g.comparedPoints > 0 ? g.meanSavedMinutes.toFixed(0) : 'n/r';
    };
    const m = t.comparison.matchedCost;
    const { prescale: p, reactive: r } = defaultPoints(t.points);
    const defaults =
      p && r
        ? `${pct(p.instanceHours / r.instanceHours)} h, ${p.sloViolationMinutes} / ${r.sloViolationMinutes} min${t.comparison.defaultsWorseOnBoth ? ' ✗' : ''}`
        : '–';
    return `| ${t.name} | ${t.evaluatedDays.toFixed(1)} | ${verdict('reactive')} | ${verdict('ec2-predictive')} | ${saved('reactive')} / ${saved('ec2-predictive')} | ${m ? `${m.prescaleSloMinutes === undefined ? 'n/r' : m.prescaleSloMinutes.toFixed(0)} / ${m.reactiveSloMinutes} (${pct(m.ratio)}); ≤ +2 %: ${pct(m.withinTolerance.ratio)}` : '–'} | ${boundsText(t.comparison)} | ${fixedFleetText(t.comparison)} | ${defaults} |`;
  });
  return [
    "| trace | days | Prescale dominates reactive (✗: its points not dominated, each (Prescale's fewest minutes over it at ≤ its cost, its least cost over it at ≤ its minutes)) | … ec2-predictive | SLO min saved at equal cost vs reactive / ec2 | SLO min at reactive-default cost, Prescale / reactive (ratio; ratio at up to 2 % more cost) | the same ratio (≤ +2 %) with perfect foresight: the bound | … for a fixed fleet sized for the day, and its sizes Prescale does not dominate | defaults: Prescale inst-h vs reactive, SLO min Prescale / reactive |",
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** One trace's (or trace-day's) verdicts, printed as it finishes. */
export function traceLine(name: string, comparison: FrontierComparison, seconds?: number): string {
  const rival = (rivalName: string) => comparison.rivals.find((r) => r.rival === rivalName);
  return `${name.padEnd(44)} dominates reactive ${rival('reactive')?.verdict.dominatesAll ? 'yes' : 'no '} ec2 ${rival('ec2-predictive')?.verdict.dominatesAll ? 'yes' : 'no '}  saves ${rival('reactive')?.gap.meanSavedMinutes.toFixed(0)} / ${rival('ec2-predictive')?.gap.meanSavedMinutes.toFixed(0)} min  matched-cost SLO ${pct(comparison.matchedCost?.ratio)} (≤ +2 %: ${pct(comparison.matchedCost?.withinTolerance.ratio)}; perfect foresight ${boundsText(comparison)}; fixed fleet ${fixedFleetText(comparison)})  defaults worse on both: ${comparison.defaultsWorseOnBoth ? 'YES' : 'no'}${seconds === undefined ? '' : `  ${seconds.toFixed(0)} s`}`;
}

/** A run's label: the trace, then its evaluated day and seed when the run has several. */
export function runName(
  label: string,
  run: { readonly warmupDays?: number | undefined; readonly seed?: number },
): string {
  const day = run.warmupDays !== undefined ? ` @ day ${evaluatedDay(run.warmupDays)}` : '';
  return `${label}${day}${run.seed !== undefined ? ` @ seed ${run.seed}` : ''}`;
}

/** The trace a run's label names (`runName` undone). */
export function traceOf(name: string): string {
  return name.replace(/( @ (day|seed) [\d.]+)+$/, '');
}
