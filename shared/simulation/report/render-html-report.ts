import type { Evaluation } from '../run/evaluate-policies';
import type { PolicySummary } from '../run/policy-run';
import { type EvaluationSummary, evaluationSummary } from './evaluation-summary';
import { escapeHtml, scriptJson } from './html-escaping';

const FIVE_MINUTES = 5;

/** Five-minute chart series: worst case inside each window (most demand, least supply). */
function chartData(evaluation: Evaluation) {
  const { scenario } = evaluation;
  const target = scenario.targetLoadPerInstance;
  return evaluation.runs.map((run) => {
    const s = run.samples;
    const points: [number, number, number, number, number][] = [];
    for (let k = 0; k < s.demand.length; k += FIVE_MINUTES) {
      const end = Math.min(s.demand.length, k + FIVE_MINUTES);
      let demand = 0;
      let supply = Number.POSITIVE_INFINITY;
      let loadMax = 0;
      for (let j = k; j < end; j += 1) {
        demand = Math.max(demand, s.demand[j] as number);
        supply = Math.min(supply, s.supply[j] as number);
        loadMax = Math.max(loadMax, (s.load[j] as number) / target);
      }
      points.push([
        s.startMs + k * 60_000,
        Math.round(loadMax * 100) / 100,
        demand,
        supply,
        s.minSize[end - 1] as number,
      ]);
    }
    const band = run.band
      ? run.band.timestampsMs.map((t, i) => [
          t,
          Math.round(((run.band?.median[i] as number) / target) * 100) / 100,
          Math.round(((run.band?.planned[i] as number) / target) * 100) / 100,
        ])
      : [];
    // Windows with ready < demand, merged into ranges for the shaded areas.
    const shortfalls: [number, number][] = [];
    for (const p of points) {
      if (p[3] >= p[2]) continue;
      const last = shortfalls[shortfalls.length - 1];
      if (last && last[1] === p[0]) last[1] = p[0] + FIVE_MINUTES * 60_000;
      else shortfalls.push([p[0], p[0] + FIVE_MINUTES * 60_000]);
    }
    return { name: run.summary.name, points, band, shortfalls, notes: run.notes };
  });
}

/** Inline styles of the report page. */
const STYLE = `<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:12px 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f4f4f4}.chart{width:100%;height:360px;margin:8px 0 24px}
.small{color:#555;font-size:0.9em}
</style>`;

/** Draws the trade-off scatter and one chart per policy from the page's `DATA` and `SUMMARY`. */
const CHART_SCRIPT = `const trade = echarts.init(document.getElementById('tradeoff'));
trade.setOption({
  tooltip: { formatter: (p) => p.data[2] + ': $' + p.data[0].toFixed(2) + ', θU ' + p.data[1].toFixed(2) + ' %, SLO-violation ' + p.data[3] + ' min' },
  xAxis: { name: 'cost USD', type: 'value', scale: true }, yAxis: { name: 'θU % (under-provisioning)', type: 'value' },
  series: [{ type: 'scatter', symbolSize: 14, data: SUMMARY.policies.map((p) => [p.costUsd, p.thetaU, p.name, p.sloViolationMinutes]),
    label: { show: true, position: 'right', formatter: (p) => p.data[2] } }],
});
DATA.forEach((d, i) => {
  const chart = echarts.init(document.getElementById('policy' + i));
  const series = [
    { name: 'load (instances at target)', type: 'line', showSymbol: false, lineStyle: { width: 1, color: '#aaa' }, data: d.points.map((p) => [p[0], p[1]]) },
    { name: 'demand', type: 'line', step: 'end', showSymbol: false, lineStyle: { width: 1.5, color: '#d62728' }, data: d.points.map((p) => [p[0], p[2]]) },
    { name: 'ready', type: 'line', step: 'end', showSymbol: false, lineStyle: { width: 1.5, color: '#1f77b4' }, data: d.points.map((p) => [p[0], p[3]]),
      markArea: { silent: true, itemStyle: { color: 'rgba(214,39,40,0.12)' }, data: d.shortfalls.map((r) => [{ xAxis: r[0] }, { xAxis: r[1] }]) } },
    { name: 'MinSize', type: 'line', step: 'end', showSymbol: false, lineStyle: { width: 1, type: 'dashed', color: '#2ca02c' }, data: d.points.map((p) => [p[0], p[4]]) },
  ];
  if (d.band.length > 0) {
    series.push({ name: 'forecast median', type: 'line', showSymbol: false, lineStyle: { width: 1, color: '#9467bd' }, data: d.band.map((b) => [b[0], b[1]]) });
    series.push({ name: 'forecast planned', type: 'line', showSymbol: false, lineStyle: { width: 0 }, areaStyle: { color: 'rgba(148,103,189,0.15)' }, data: d.band.map((b) => [b[0], b[2]]) });
  }
  chart.setOption({
    tooltip: { trigger: 'axis' }, legend: { top: 0 }, grid: { left: 50, right: 20, top: 40, bottom: 60 },
    xAxis: { type: 'time' }, yAxis: { type: 'value', name: 'instances' },
    dataZoom: [{ type: 'inside' }, { type: 'slider' }], series,
  });
});`;

/** One row of the metrics table. */
function policyRow(p: PolicySummary): string {
  return `<tr><td>${escapeHtml(p.name)}</td><td>${p.thetaU.toFixed(2)}</td><td>${p.thetaO.toFixed(1)}</td><td>${p.tauU.toFixed(2)}</td><td>${p.tauO.toFixed(1)}</td><td>${p.instability.toFixed(1)}</td><td>${p.sloViolationMinutes}</td><td>${p.instanceHours.toFixed(1)}</td><td>${p.costUsd.toFixed(2)}</td><td>${p.scalingActions}</td><td>${
    p.forecast
      ? `<span title="${escapeHtml(p.forecast.horizon)}">${p.forecast.maePct.toFixed(1)} % / ${Number.isFinite(p.forecast.mase) ? p.forecast.mase.toFixed(2) : '–'} (${escapeHtml(p.forecast.horizonLabel)})</span>`
      : ''
  }</td><td>${
    p.forecast?.peaks
      ? `${Number.isFinite(p.forecast.peaks.peakMaeRatio) ? p.forecast.peaks.peakMaeRatio.toFixed(2) : '–'} / ${(100 * p.forecast.peaks.plannedCoversPeak).toFixed(0)} % of ${p.forecast.peaks.days} d`
      : ''
  }</td></tr>`;
}

/** The title, the trace and scenario in one paragraph, and how the predictive policies run. */
function reportIntro(t: EvaluationSummary['trace'], generatedAtIso: string): string {
  return `<h1>Prescale simulation: ${escapeHtml(t.name)}</h1>
<p class="small">${escapeHtml(t.source)}; evaluated ${escapeHtml(t.evalStart)} → ${escapeHtml(t.evalEnd)} (${t.evaluatedMinutes} min) after history from ${escapeHtml(t.historyStart)}.
Target ${t.targetLoadPerInstance} % CPU per instance, ${escapeHtml(t.instanceType)}, launch ${t.launchDelaySeconds} s + up to ${t.launchJitterSeconds} s, warmup ${t.warmupSeconds} s, MaxSize ${t.maxSize}${t.warmPool ? ', warm pools' : ''}, seed ${t.seed}. Generated ${escapeHtml(generatedAtIso)}.</p>
<p class="small"><b>prescale</b> runs with the group's target-tracking policy: Prescale raises a floor (MinSize) ahead of forecast load; target tracking keeps adding capacity on surprises and owns scale-in above the floor. <b>ec2-predictive</b> likewise runs with target tracking, as AWS recommends. Metric definitions: docs/evaluation.md.</p>`;
}

/**
 * A self-contained HTML report: the metrics table, then charts drawn by Apache ECharts (inlined,
 * so the file works offline): load vs capacity over time per policy (load and demand as the
 * instances needed at the target, the ready capacity, and the floor MinSize), the forecasts of
 * the predictive policies (median and planned load, in instances), and cost against
 * under-provisioning. `echartsSource` is the text of `echarts/dist/echarts.min.js`.
 */
export function renderHtmlReport(
  evaluation: Evaluation,
  echartsSource: string,
  generatedAtIso: string,
): string {
  const summary = evaluationSummary(evaluation);
  const data = chartData(evaluation);
  const rows = summary.policies.map(policyRow).join('\n');
  const t = summary.trace;
  const notes = data
    .filter((d) => d.notes.length > 0)
    .map((d) => `<li><b>${escapeHtml(d.name)}</b>: ${d.notes.map(escapeHtml).join('; ')}</li>`)
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Prescale simulation: ${escapeHtml(t.name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
${STYLE}</head><body>
${reportIntro(t, generatedAtIso)}
<table><thead><tr><th>policy</th><th>θU %</th><th>θO %</th><th>τU %</th><th>τO %</th><th>instability %</th><th>SLO-violation min</th><th>instance-h</th><th>cost USD</th><th>scaling actions</th><th title="Each policy's forecast scored at its own horizon: Prescale's next forecast step, made at each tick; ec2-predictive's hourly forecast, made 1–6 h ahead. Errors at different horizons are not comparable.">forecast MAE / MASE (horizon)</th><th>daily peak error vs seasonal naive / planned ≥ peak</th></tr></thead>
<tbody>${rows}</tbody></table>
${notes ? `<ul class="small">${notes}</ul>` : ''}
<h2>Cost against under-provisioning</h2><div id="tradeoff" class="chart"></div>
<h2>Load against capacity, per policy</h2>
<p class="small">Per 5 minutes: <i>demand</i> is the most instances needed at the target, <i>ready</i> the fewest instances serving, <i>MinSize</i> the floor; shaded where ready &lt; demand. Forecast bands (instances): median and planned load of the predictive policies.</p>
${data.map((d, i) => `<h3>${escapeHtml(d.name)}</h3><div id="policy${i}" class="chart"></div>`).join('\n')}
<script>${echartsSource}</script>
<script>
const DATA = ${scriptJson(data)};
const SUMMARY = ${scriptJson(summary)};
${CHART_SCRIPT}
</script>
</body></html>
`;
}
