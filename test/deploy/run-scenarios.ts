/**
 * Runs the simulation's scenarios that `npm start` does not: the campaign pre-warm (Prescale and
 * target tracking) and the dependency scenario (with and without the web → api edge). Under
 * `PRESCALE_AWS_CHECKS_REPORT_DIR` every request is checked as deployed (`npm run verify:deploy`).
 */
import { PrescaleLambdas } from '../../shared/simulation/run/prescale-lambdas';
import { campaignScenario, runCampaignScenario } from '../../shared/simulation/scenarios/campaign-scenario';
import { runDependencyScenario } from '../../shared/simulation/scenarios/dependency-scenario';

async function main(): Promise<void> {
  const built = campaignScenario();
  const lambdas = await PrescaleLambdas.start(built.config);
  const campaign = await runCampaignScenario(lambdas, built);
  await lambdas.stop();
  console.log(
    `campaign: ${JSON.stringify(campaign.campaignResult)}; ready at spike start ${campaign.prescaleReadyAtSpikeStart} of ${campaign.demandAtSpikeStart} needed`,
  );
  const dependencies = await runDependencyScenario();
  console.log(
    `dependencies: ran with and without the edge (${Object.keys(dependencies.withGraph.groups).join(', ')})`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
