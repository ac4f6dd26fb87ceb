import {
  type DependencyScenarioResult,
  dependencyScenario,
  runDependencyScenario,
} from './dependency-scenario';
import { updatePlanSection } from './update-plan-section';

/**
 * `npx tsx shared/simulation/scenarios/run-dependency-scenario.ts`: runs the web → api scenario
 * with Prescale's real handlers, with and without `dependencies.edges`, prints the SLO table,
 * then the rolling-update plan for both groups over the next eight hours.
 */
function formatTable(result: DependencyScenarioResult): string {
  const rows = [['run', 'group', 'SLO-violation min', 'instance-hours', 'ready at spike / needed']];
  const k = (result.built.spikeStartMs - result.built.scenario.evalStartMs) / 60_000;
  for (const [label, run] of [
    ['with graph', result.withGraph],
    ['without graph', result.withoutGraph],
  ] as const) {
    for (const [name, g] of Object.entries(run.groups)) {
      rows.push([
        label,
        name,
        String(g.sloViolationMinutes),
        g.instanceHours.toFixed(1),
        `${g.supply[k]} / ${g.demand[k]}`,
      ]);
    }
  }
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const built = dependencyScenario();
  const result = await runDependencyScenario(built);
  process.stdout.write(`${formatTable(result)}\n\n`);
  const errors = [...result.withGraph.handlerErrors, ...result.withoutGraph.handlerErrors];
  if (errors.length > 0) process.stdout.write(`handler errors: ${errors.length}, first: ${errors[0]}\n\n`);
  const section = await updatePlanSection(built);
  process.stdout.write(`${section.text}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
