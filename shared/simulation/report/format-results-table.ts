import type { PolicySummary } from '../run/policy-run';

const f = (x: number, digits = 1) => (Number.isFinite(x) ? x.toFixed(digits) : '–');

/**
 * A fixed-width text table of policy metrics for the terminal: θU, θO, τU, τO and instability in
 * %, SLO-violation minutes, instance-hours, cost (USD), scaling actions, and forecast MAE (% of
 * mean load) / MASE for the predictive policies with the horizon each was scored at (Prescale's
 * next 5-minute step against ec2-predictive's hours 1–6 h ahead: not comparable); for Prescale also its day-ahead daily-peak error
 * relative to seasonal naive's and the share of days whose planned load covered the actual peak.
 */
export function formatResultsTable(policies: readonly PolicySummary[]): string {
  const header = [
    'policy',
    'θU %',
    'θO %',
    'τU %',
    'τO %',
    'instab %',
    'SLO min',
    'inst-h',
    'cost $',
    'actions',
    'fcst MAE%/MASE (horizon)',
    'peak err/sNaive, plan≥peak',
  ];
  const rows = policies.map((p) => [
    p.name,
    f(p.thetaU, 2),
    f(p.thetaO),
    f(p.tauU, 2),
    f(p.tauO),
    f(p.instability),
    String(p.sloViolationMinutes),
    f(p.instanceHours),
    f(p.costUsd, 2),
    String(p.scalingActions),
    p.forecast ? `${f(p.forecast.maePct)} / ${f(p.forecast.mase, 2)} (${p.forecast.horizonLabel})` : '',
    p.forecast?.peaks
      ? `${f(p.forecast.peaks.peakMaeRatio, 2)}, ${f(100 * p.forecast.peaks.plannedCoversPeak, 0)} % of ${p.forecast.peaks.days} d`
      : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
