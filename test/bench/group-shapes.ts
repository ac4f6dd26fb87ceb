/**
 * Prescale's real handlers on group shapes a user's account may have, in the simulation: a group
 * and its twin weighted 2 capacity units per instance (settings per unit), and a campaign that needs
 * more than MaxSize, with and without `maxRaiseOverMaxSize`; EC2 out of the group's type through the
 * campaign, for one type and for a mixed group over three. Prints each run's SLO-violation
 * minutes and instance-hours; the twins should read the same.
 *
 * Run: npx tsx test/bench/group-shapes.ts   (npm run bench:group-shapes)
 */

import * as os from 'node:os';
import { CAMPAIGN_GROUP } from '../../shared/simulation/scenarios/campaign-scenario';
import {
  capacityShortageScenario,
  DIVERSIFIED_GROUP,
  DIVERSIFIED_TYPES,
  runCapacityShortageScenario,
  SINGLE_TYPE_GROUP,
} from '../../shared/simulation/scenarios/capacity-shortage-scenario';
import {
  raisedMaxScenario,
  runRaisedMaxScenario,
} from '../../shared/simulation/scenarios/raised-max-scenario';
import type { GroupRun, GroupsScenario } from '../../shared/simulation/scenarios/run-groups';
import {
  PLAIN_GROUP,
  runWeightedGroupScenario,
  WEIGHTED_GROUP,
  weightedGroupScenario,
} from '../../shared/simulation/scenarios/weighted-group-scenario';
import { benchArgs, benchMetricDelay } from './lib/bench-args';

const USAGE = `Usage: npx tsx test/bench/group-shapes.ts [--metric-delay N]

  --metric-delay N  CloudWatch returns every group's AWS metrics N whole minutes late (as npm start's
                    --metric-delay). Default: none, each minute readable as it ends (the figures in
                    docs/BENCHMARKS.md).`;
const args = benchArgs(USAGE, { 'metric-delay': { type: 'string' } });

const delay = benchMetricDelay(args['metric-delay'], USAGE);

/** A built scenario with the command line's metric delay on its groups (unchanged without one). */
function late<B extends { readonly scenario: GroupsScenario }>(built: B): B {
  return delay === undefined
    ? built
    : { ...built, scenario: { ...built.scenario, metricDelayMinutes: delay } };
}

const row = (name: string, run: GroupRun, extra = '') =>
  `| ${name} | ${run.sloViolationMinutes} | ${run.instanceHours.toFixed(2)} | ${extra} |`;

async function main(): Promise<void> {
  const lines = ['| run | SLO-violation min | instance-hours | notes |', '| --- | --- | --- | --- |'];
  const weighted = late(weightedGroupScenario());
  const twins = await runWeightedGroupScenario(weighted);
  const plain = twins.groups[PLAIN_GROUP] as GroupRun;
  const twin = twins.groups[WEIGHTED_GROUP] as GroupRun;
  const apart = twin.supply.filter((ready, k) => Math.abs(ready - (plain.supply[k] as number)) > 1).length;
  lines.push(row('campaign scenario, group in instances', plain));
  lines.push(
    row(
      `its twin weighted ${weighted.weight} units per instance`,
      twin,
      `ready instances more than one apart from the group's in ${apart} of ${twin.supply.length} minutes`,
    ),
  );
  for (const raise of [12, 0]) {
    const built = late(raisedMaxScenario({ maxRaiseOverMaxSize: raise }));
    const run = (await runRaisedMaxScenario(built)).groups[CAMPAIGN_GROUP] as GroupRun;
    const spike = (built.spikeStartMs - built.scenario.evalStartMs) / 60_000;
    lines.push(
      row(
        `campaign on MaxSize ${built.maxSize}, maxRaiseOverMaxSize ${raise}`,
        run,
        `MaxSize up to ${Math.max(...run.maxSize)}, ${run.maxSize.at(-1)} at the end; ${run.supply[spike]} ready for ${run.demand[spike]} at the spike`,
      ),
    );
  }
  const shortage = late(capacityShortageScenario());
  const short = await runCapacityShortageScenario(shortage);
  const spike = (shortage.spikeStartMs - shortage.scenario.evalStartMs) / 60_000;
  const hours = (ms: number) => ((ms - shortage.scenario.evalStartMs) / 3_600_000).toFixed(0);
  for (const [name, group] of [
    [`one type (${shortage.shortType})`, SINGLE_TYPE_GROUP],
    [`mixed over ${DIVERSIFIED_TYPES.join(', ')}`, DIVERSIFIED_GROUP],
  ] as const) {
    const run = short.groups[group] as GroupRun;
    const reports = short.launchFailures[group] ?? [];
    lines.push(
      row(
        `campaign scenario, no ${shortage.shortType} from hour ${hours(shortage.shortFromMs)} to ${hours(shortage.shortToMs)}: ${name}`,
        run,
        `${run.supply[spike]} ready for ${run.demand[spike]} at the spike; ${reports.length} of ${run.supply.length / 5} runs reported failed launches`,
      ),
    );
  }
  if (delay !== undefined) console.log(`CloudWatch ${delay} min late (--metric-delay ${delay})\n`);
  console.log(lines.join('\n'));
  console.log(`\n${os.cpus().length} cores, Node ${process.version}, ${new Date().toISOString()}`);
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
