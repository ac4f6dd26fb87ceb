import type { EscapeMargin, FrontierComparison, SweepPoint } from '../evaluation/compare-frontiers';
import { lowerConvexHull } from '../evaluation/cost-slo-frontier';
import { escapeHtml, scriptJson } from './html-escaping';

/** One trace of a frontier sweep, as the report shows it. */
export interface FrontierTrace {
  readonly name: string;
  readonly evaluatedDays: number;
  readonly points: readonly SweepPoint[];
  readonly comparison: FrontierComparison;
}

const COLORS: Record<string, string> = {
  prescale: '#1f77b4',
  reactive: '#d62728',
  'ec2-predictive': '#ff7f0e',
  static: '#7f7f7f',
  oracle: '#2ca02c',
  'oracle-5min': '#98df8a',
};

const num = (x: number | undefined, digits = 0) =>
  x === undefined ? 'not reachable' : Number.isFinite(x) ? x.toFixed(digits) : '–';

/** An escaping point's margins (`escapeMargin`), as the report's summary says them. */
function marginNote(m: EscapeMargin | undefined): string {
  if (!m) return '';
  const minutes =
    m.extraMinutes === undefined ? 'no setting as cheap' : `Prescale +${m.extraMinutes} min at ≤ its cost`;
  const cost =
    m.extraCostShare === undefined
      ? 'none with as few minutes'
      : `+${(100 * m.extraCostShare).toFixed(1)} % cost at ≤ its minutes`;
  return `; ${minutes}, ${cost}`;
}

function summaryRow(t: FrontierTrace): string {
  const verdict = (rival: string) => {
    const r = t.comparison.rivals.find((c) => c.rival === rival);
    if (!r) return '';
    const mark = r.verdict.dominatesAll
      ? '✓ dominates'
      : `✗ not dominated: ${r.verdict.undominated.map((p, i) => `${escapeHtml(p.knob)} ($${p.costUsd.toFixed(2)}, ${p.sloViolationMinutes} min${marginNote(r.margins[i])})`).join(', ')}`;
    return `${mark}; saves ${num(r.gap.meanSavedMinutes)} min on average`;
  };
  const m = t.comparison.matchedCost;
  const share = (ratio: number | undefined) =>
    ratio === undefined ? 'not reachable' : Number.isFinite(ratio) ? `${(100 * ratio).toFixed(0)} %` : '–';
  const ratio = m ? `${share(m.ratio)}; at up to 2 % more cost ${share(m.withinTolerance.ratio)}` : '';
  const bounds = [
    ...(t.comparison.foresightBounds ?? []).map((b) => `${escapeHtml(b.series)} ${share(b.ratio)}`),
    ...(t.comparison.fixedFleet
      ? [`a fixed fleet sized for the day ${share(t.comparison.fixedFleet.ratio)}`]
      : []),
  ].join(', ');
  return `<tr><td>${escapeHtml(t.name)}</td><td>${t.evaluatedDays.toFixed(1)}</td><td>${verdict('reactive')}</td><td>${verdict('ec2-predictive')}</td><td>${m ? `${num(m.prescaleSloMinutes)} / ${m.reactiveSloMinutes} (${ratio})` : ''}</td><td>${bounds}</td><td>${t.comparison.defaultsWorseOnBoth ? 'worse on both' : 'no'}</td></tr>`;
}

/** How the sweep's groups were set up, as the report's title says. */
export interface FrontierReportSetup {
  /** Every policy's group had a warm pool (`bench:frontier -- --warm-pool`). */
  readonly warmPool: boolean;
}

/** One trace's chart: per policy its points (cost, minutes, knob, default?), frontier and Prescale's hull. */
function chartData(t: FrontierTrace) {
  return {
    name: t.name,
    policies: Object.keys(t.comparison.frontiers).map((policy) => ({
      policy,
      color: COLORS[policy] ?? '#333',
      points: t.points
        .filter((p) => p.policy === policy)
        .map((p) => [p.costUsd, p.sloViolationMinutes, p.knob, p.isDefault ? 1 : 0]),
      frontier: (t.comparison.frontiers[policy] ?? []).map((p) => [p.costUsd, p.sloViolationMinutes]),
      // Prescale's readings at a cost are on this hull, so it is drawn beside its frontier.
      ...(policy === 'prescale'
        ? {
            hull: lowerConvexHull(t.comparison.frontiers[policy] ?? []).map((p) => [
              p.costUsd,
              p.sloViolationMinutes,
            ]),
          }
        : {}),
    })),
  };
}

/**
 * A self-contained HTML report of a frontier sweep: per trace, the verdicts and savings table,
 * then one chart per trace of every run (cost against SLO-violation minutes) with each policy's
 * Pareto frontier drawn as a line, by Apache ECharts (inlined, so the file works offline).
 * `echartsSource` is the text of `echarts/dist/echarts.min.js`.
 */
export function renderFrontierReport(
  traces: readonly FrontierTrace[],
  echartsSource: string,
  description: string,
  generatedAtIso: string,
  setup: FrontierReportSetup = { warmPool: false },
): string {
  const warmPool = setup.warmPool ? ', every group with a warm pool' : '';
  const data = traces.map(chartData);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Prescale cost/SLO frontiers${warmPool}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f4f4f4}.chart{width:100%;height:420px;margin:8px 0 24px}
.small{color:#555;font-size:0.9em}
</style></head><body>
<h1>Cost/SLO frontiers${warmPool}</h1>
<p class="small">${escapeHtml(description)} Generated ${escapeHtml(generatedAtIso)}.</p>
<p class="small">Each point is one run of a policy at one setting of its own knob; the line is that policy's Pareto frontier (no other run of it is cheaper and has fewer SLO-violation minutes); Prescale's dashed line is its frontier's lower convex hull. <i>Dominates</i>: every point of the rival has a Prescale point with ≤ cost and ≤ SLO minutes. <i>Saves</i>: the rival frontier's minutes minus Prescale's at the same cost, averaged over the rival's frontier points Prescale can afford. Prescale's minutes at a cost are read on its frontier's lower convex hull: two of its settings, each run part of the time, reach every point on the segment between them. <i>Matched cost</i>: Prescale's minutes so read at reactive's default cost / reactive's default minutes. <i>Perfect foresight</i>: the oracle, which knows the load one launch lead time ahead (<code>oracle</code> every minute, <code>oracle-5min</code> only each 5-minute step's mean, as a perfect forecast of the product's history would) and holds exactly that at its target: a bound, not a rival. Larger symbols: default settings.</p>
<table><thead><tr><th>trace</th><th>days</th><th>Prescale vs reactive</th><th>Prescale vs ec2-predictive</th><th>SLO min at reactive's default cost, Prescale / reactive</th><th>the same ratio (up to 2 % more cost) with perfect foresight, and for a fixed fleet sized for the day</th><th>Prescale default vs reactive default</th></tr></thead>
<tbody>${traces.map(summaryRow).join('\n')}</tbody></table>
${traces.map((t, i) => `<h2>${escapeHtml(t.name)}</h2><div id="trace${i}" class="chart"></div>`).join('\n')}
<script>${echartsSource}</script>
<script>
const DATA = ${scriptJson(data)};
DATA.forEach((trace, i) => {
  const series = [];
  for (const p of trace.policies) {
    series.push({ name: p.policy, type: 'scatter', itemStyle: { color: p.color }, data: p.points,
      symbolSize: (v) => (v[3] ? 16 : 9) });
    series.push({ name: p.policy, type: 'line', step: false, showSymbol: false, lineStyle: { color: p.color, width: 1.5 }, data: p.frontier, tooltip: { show: false } });
    if (p.hull) series.push({ name: p.policy, type: 'line', showSymbol: false, lineStyle: { color: p.color, width: 1, type: 'dashed' }, data: p.hull, tooltip: { show: false } });
  }
  echarts.init(document.getElementById('trace' + i)).setOption({
    tooltip: { formatter: (p) => p.seriesName + ', ' + p.data[2] + ': $' + p.data[0].toFixed(2) + ', ' + p.data[1] + ' SLO-violation min' },
    legend: { top: 0 }, grid: { left: 70, right: 30, top: 40, bottom: 50 },
    xAxis: { name: 'cost USD', nameLocation: 'middle', nameGap: 30, type: 'value', scale: true },
    yAxis: { name: 'SLO-violation minutes', type: 'value' }, series,
  });
});
</script>
</body></html>
`;
}
