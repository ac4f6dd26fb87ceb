import { evaluationSummary } from '../../../../shared/simulation/report/evaluation-summary';
import { formatResultsTable } from '../../../../shared/simulation/report/format-results-table';
import { renderHtmlReport } from '../../../../shared/simulation/report/render-html-report';
import { buildScenario } from '../../../../shared/simulation/run/build-scenario';
import { evaluatePolicies } from '../../../../shared/simulation/run/evaluate-policies';

describe('reports', () => {
  let evaluation: Awaited<ReturnType<typeof evaluatePolicies>>;
  beforeAll(async () => {
    evaluation = await evaluatePolicies(buildScenario({ seed: 2, warmupDays: 2, days: 1 }), {
      policies: ['reactive', 'static', 'oracle'],
    });
  });

  it('summarises every policy in the --json shape', () => {
    const summary = evaluationSummary(evaluation);
    expect(summary.policies.map((p) => p.name)).toEqual(['reactive', 'static', 'oracle']);
    for (const p of summary.policies) {
      expect(Object.keys(p)).toEqual(
        expect.arrayContaining([
          'name',
          'thetaU',
          'thetaO',
          'tauU',
          'tauO',
          'instability',
          'sloViolationMinutes',
          'instanceHours',
          'costUsd',
          'scalingActions',
        ]),
      );
    }
    const oracle = summary.policies.find((p) => p.name === 'oracle');
    const stat = summary.policies.find((p) => p.name === 'static');
    expect(oracle?.sloViolationMinutes).toBe(0);
    expect(stat?.tauU).toBe(0);
    expect(oracle?.costUsd).toBeLessThan(stat?.costUsd ?? 0);
    expect(summary.trace.evaluatedMinutes).toBe(1440);
  });

  it('prints a table with a row per policy', () => {
    const table = formatResultsTable(evaluationSummary(evaluation).policies);
    expect(table.split('\n')).toHaveLength(5);
    expect(table).toMatch(/^policy\s+θU %/);
  });

  it('labels each forecast error with the horizon it was scored at, in the table and the HTML', () => {
    const withForecasts = {
      ...evaluation,
      runs: evaluation.runs.map((run, i) => ({
        ...run,
        summary: {
          ...run.summary,
          ...(i === 0
            ? {
                forecast: {
                  mae: 1,
                  maePct: 3.1,
                  mase: 0.2,
                  points: 10,
                  horizon: '5-min mean of the step starting at each tick (p50)',
                  horizonLabel: 'next 5-min step',
                },
              }
            : i === 1
              ? {
                  forecast: {
                    mae: 4,
                    maePct: 12.5,
                    mase: 0.87,
                    points: 10,
                    horizon: 'hourly mean, 1–6 h ahead (6-hourly refresh)',
                    horizonLabel: 'hourly, 1–6 h ahead',
                  },
                }
              : {}),
        },
      })),
    };
    const [header, , first, second, third] = formatResultsTable(
      evaluationSummary(withForecasts).policies,
    ).split('\n');
    expect(header).toContain('fcst MAE%/MASE (horizon)');
    expect(first).toContain('3.1 / 0.20 (next 5-min step)');
    expect(second).toContain('12.5 / 0.87 (hourly, 1–6 h ahead)');
    expect(third).not.toContain('(');
    const html = renderHtmlReport(withForecasts, '', '2024-01-01T00:00:00.000Z');
    expect(html).toContain('forecast MAE / MASE (horizon)</th>');
    expect(html).toContain(
      '<span title="hourly mean, 1–6 h ahead (6-hourly refresh)">12.5 % / 0.87 (hourly, 1–6 h ahead)</span>',
    );
  });

  it('writes self-contained HTML with the chart library inline and escaped data', () => {
    const html = renderHtmlReport(evaluation, 'window.echarts = {}; /* lib */', '2024-01-01T00:00:00.000Z');
    expect(html).toContain('<script>window.echarts = {}; /* lib */</script>');
    expect(html).toContain('id="policy2"');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).toContain('target-tracking policy');
  });
});
